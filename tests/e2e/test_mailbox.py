"""A villager asks about a line of the monthly list from a cheap phone, then follows the case."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import OpenPage, Village
from tests.e2e.screens import log_in, overflow_width

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


def test_the_cadre_answers_beside_the_line_and_the_villager_rates_the_answer(
    open_page: OpenPage, villages: list[Village]
) -> None:
    """The whole walk of seed 004's "what is this 6,500 yuan?": ask, answer, read, rate."""
    code = villages[0].code
    phone = open_page("phone")
    phone.goto(f"/v/{code}/")
    phone.locator("#panel-finance").get_by_role(
        "link", name=re.compile("月度财务收支明细")
    ).first.click()
    list_url = phone.url
    ask = phone.locator("table.lines a.ask").nth(1)
    row_id = ask.locator("xpath=ancestor::tr[1]").get_attribute("id")
    assert row_id and row_id.startswith("line-")
    ask.click()
    phone.locator("textarea[name=text]").fill("这一笔是付给谁的？为什么这么多？")
    phone.locator("form.mailbox-form button[type=submit]").click()
    receipt = phone.locator("#receipt-number").inner_text()
    secret = phone.locator("#secret-number").inner_text()

    desk = open_page("desktop")
    log_in(desk, "village")
    desk.goto("/work/appeals/")
    desk.locator("#cases").get_by_role("link", name=receipt).click()
    expect(desk.locator("#case-text")).to_contain_text("这一笔是付给谁的？")
    expect(desk.locator("#answer-form textarea[name=public_question]")).to_have_value(
        "这一笔是付给谁的？为什么这么多？"
    )
    desk.locator("#answer-form textarea[name=text]").fill("付给保洁公司的清运费，合同在村部可查。")
    desk.locator("#answer-form button[type=submit]").click()
    expect(desk.locator("#case-state")).to_have_text("已答复")
    expect(desk.locator("#case-published")).to_contain_text("付给保洁公司的清运费")

    phone.goto(list_url)
    beside = phone.locator(f"#{row_id} + tr.answer")
    expect(beside).to_contain_text("这一笔是付给谁的？为什么这么多？")
    expect(beside).to_contain_text("付给保洁公司的清运费，合同在村部可查。")
    assert overflow_width(phone) == 0, "the answered list scrolls sideways on a phone"

    phone.goto("/mailbox/track/")
    phone.locator("input[name=receipt]").fill(receipt)
    phone.locator("input[name=secret]").fill(secret)
    phone.locator("main form.stacked button[type=submit]").click()
    expect(phone.locator("#events")).to_contain_text("付给保洁公司的清运费")
    phone.locator("#rate input[name=rating][value=satisfied]").check()
    phone.locator("#rate button[type=submit]").click()
    expect(phone.locator("#events li").last).to_contain_text("满意")
    expect(phone.locator("#rate")).to_have_count(0)  # rated once, never again
