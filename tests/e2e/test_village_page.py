"""A villager scans the village's code with a cheap phone and reads the monthly list."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import OpenPage, Village
from tests.e2e.screens import overflow_width

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_villager_switches_tabs_and_reads_a_line_of_the_monthly_list(
    open_page: OpenPage, villages: list[Village], javascript: bool
) -> None:
    page = open_page("phone", java_script_enabled=javascript)
    page.goto(f"/v/{villages[0].code}/")

    finance = page.locator("#panel-finance")
    expect(finance).to_be_visible()  # money first
    page.locator(".tabs > label", has_text="村务").click()
    expect(page.locator("#panel-village")).to_be_visible()
    expect(finance).to_be_hidden()
    page.locator(".tabs > label", has_text="党务").click()
    expect(page.locator("#panel-party")).to_be_visible()
    page.locator(".tabs > label", has_text="财务").click()
    expect(finance).to_be_visible()

    finance.get_by_role("link", name=re.compile("月度财务收支明细")).first.click()
    expect(page).to_have_url(re.compile(rf"/v/{villages[0].code}/d/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("月度财务收支明细")
    line = page.locator("table.lines tbody tr").first
    expect(line).to_be_visible()
    expect(line.locator("td.num")).to_have_text(re.compile(r"^\d+\.\d{2}$"))
    expect(line.locator("td").nth(1)).not_to_be_empty()
    assert overflow_width(page) == 0, "the monthly list scrolls sideways on a phone"
