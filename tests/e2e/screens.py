"""What the browser tests do and check on any page: log in, fit the screen."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

DEMO_PASSWORD = "qinglian-demo"  # every account that `qinglian demo` makes


def log_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the staff login form, as a person would, and land on the workbench."""
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/work/$"))


def overflow_width(page: Page) -> int:
    """How many CSS pixels the page is wider than the screen: 0 when nothing scrolls sideways."""
    viewport = page.viewport_size
    assert viewport is not None
    scroll_width: int = page.evaluate("() => document.documentElement.scrollWidth")
    return max(0, scroll_width - viewport["width"])
