"""A villager asks about a line of the monthly list from a cheap phone, then follows the case."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import OpenPage, Village
from tests.e2e.screens import overflow_width

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_villager_asks_about_a_line_and_follows_the_answer(
    open_page: OpenPage, villages: list[Village], javascript: bool
) -> None:
    code = villages[0].code
    page = open_page("phone", java_script_enabled=javascript)
    page.goto(f"/v/{code}/")
    expect(page.locator(f'#mailbox a[href="/v/{code}/ask/"]')).to_be_visible()
    expect(page.locator('#mailbox a[href="/mailbox/track/"]')).to_be_visible()

    page.locator("#panel-finance").get_by_role(
        "link", name=re.compile("月度财务收支明细")
    ).first.click()
    page.locator("table.lines a.ask").first.click()
    expect(page).to_have_url(re.compile(rf"/v/{code}/ask/\?d=\d+&line=line-"))
    expect(page.locator("#asked-line")).to_contain_text(
        re.compile(r"\d{4}-\d{2}-\d{2} .+ \d+\.\d{2}")
    )
    expect(page.locator("input[name=kind][value=question]")).to_be_checked()
    expect(page.locator("input[name=website]")).not_to_be_in_viewport()
    assert overflow_width(page) == 0, "the mailbox form scrolls sideways on a phone"
    page.locator("textarea[name=text]").fill("这笔钱付给了谁？有没有发票？")
    page.locator("form.mailbox-form button[type=submit]").click()

    receipt = page.locator("#receipt-number")
    expect(receipt).to_have_text(re.compile(r"^\d{4} \d{4} \d{4}$"))
    expect(page.locator("#secret-number span")).to_have_count(5)
    assert "/ask/" in page.url and "line=" in page.url  # the POST's answer: no new address
    assert overflow_width(page) == 0, "the receipt scrolls sideways on a phone"
    numbers = receipt.inner_text(), page.locator("#secret-number").inner_text()

    page.locator('a[href="/mailbox/track/"]').first.click()
    page.locator("input[name=receipt]").fill(numbers[0])
    page.locator("input[name=secret]").fill(numbers[1])
    page.locator("main form.stacked button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/mailbox/cases/\d+/$"))
    expect(page.locator("#events li")).to_have_count(1)
    expect(page.locator("main")).to_contain_text("这笔钱付给了谁？有没有发票？")
    page.locator("#write textarea").fill("发票在村部能看吗？")
    page.locator("#write button[type=submit]").click()
    expect(page.locator("#events li")).to_have_count(2)
    assert overflow_width(page) == 0, "the case page scrolls sideways on a phone"
