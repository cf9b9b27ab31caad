"""The language buttons in the header switch every page between Chinese and English."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_english_button_switches_the_page_to_english_and_back(phone: Page) -> None:
    phone.goto("/")
    expect(phone.locator("html")).to_have_attribute("lang", "zh-hans")

    phone.locator("header button[name=language][value=en]").click()

    expect(phone.locator("html")).to_have_attribute("lang", "en")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Find your village")
    expect(phone).to_have_url(re.compile(r"/$"))  # back on the page where it was clicked

    # The choice sticks on the next page, and 中文 brings Chinese back.
    phone.goto("/accounts/login/")
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    phone.locator("header button[name=language][value=zh-hans]").click()
    expect(phone.locator("html")).to_have_attribute("lang", "zh-hans")
