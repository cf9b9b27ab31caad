"""A villager opens the public home page on a phone to find their village."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import OpenPage, Village
from tests.e2e.screens import overflow_width

pytestmark = pytest.mark.browser

ACCENT_RED = "rgb(179, 38, 30)"  # the header's colour in site.css


def test_villager_finds_every_village_in_chinese_on_a_phone(
    phone: Page, villages: list[Village]
) -> None:
    response = phone.goto("/")

    assert response is not None and response.status == 200
    expect(phone.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(phone.get_by_role("heading", level=1)).to_have_text("找到你的村")
    expect(phone.locator(".site-header")).to_contain_text("工作人员登录")
    main = phone.locator("main")
    for township in {v.township_name for v in villages}:
        expect(main.get_by_role("heading", name=township, exact=True)).to_be_visible()
    for village in villages:
        expect(main).to_contain_text(village.name)
        expect(main).to_contain_text(village.code)
    # The stylesheet is served (collectstatic + whitenoise) and applied.
    expect(phone.locator(".site-header")).to_have_css("background-color", ACCENT_RED)
    assert overflow_width(phone) == 0, "the home page scrolls sideways on a phone"


def test_home_page_shows_the_villages_with_javascript_off(
    open_page: OpenPage, villages: list[Village]
) -> None:
    page = open_page("phone", java_script_enabled=False)

    page.goto("/")

    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    for village in villages:
        expect(page.locator("main")).to_contain_text(village.name)
    assert overflow_width(page) == 0


def test_villager_opens_the_village_page_and_sees_the_log_stamps(
    open_page: OpenPage, villages: list[Village]
) -> None:
    page = open_page("phone", java_script_enabled=False)
    page.goto("/")
    page.get_by_role("link", name=villages[0].name).click()

    expect(page).to_have_url(re.compile(rf"/v/{villages[0].code}/$"))
    page.locator(".tabs > label", has_text="村干部").click()  # the cadres' tab, without JavaScript
    roster = page.locator("#panel-cadres li")
    expect(roster.first).to_be_visible()
    expect(roster.first.locator(".log-stamp")).to_have_text(re.compile(r"#\d+ · [0-9a-f]{12}"))
    expect(page.locator("#log-checkpoint")).to_contain_text("检查点")
    assert overflow_width(page) == 0
