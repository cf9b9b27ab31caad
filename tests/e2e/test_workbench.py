"""A village cadre logs in and works on their own village, and only on it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Village
from tests.e2e.screens import log_in, overflow_width

pytestmark = pytest.mark.browser

MASKED_ID = re.compile(r"\d{6}\*{8}\d{3}[\dX]")
MASKED_PHONE = re.compile(r"1\d{2}\*{4}\d{4}")
FULL_ID = re.compile(r"\d{17}[\dX]")
FULL_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def test_village_cadre_sees_only_their_own_village(
    desktop: Page, first_township_villages: list[Village]
) -> None:
    own, neighbour = first_township_villages[:2]

    log_in(desktop, "village")

    my_regions = desktop.locator("#my-regions")
    expect(my_regions.locator("> li")).to_have_count(1)
    expect(my_regions).to_contain_text(own.name)
    expect(my_regions).to_contain_text(own.code)
    expect(my_regions).not_to_contain_text(neighbour.name)


def test_village_cadre_opens_their_people_list_with_masked_ids_and_phones(
    desktop: Page, first_township_villages: list[Village]
) -> None:
    own = first_township_villages[0]
    log_in(desktop, "village")

    desktop.locator(f"#my-regions a[href='/work/regions/{own.code}/']").click()
    desktop.locator(f"main a[href='/work/regions/{own.code}/people/']").click()

    expect(desktop).to_have_url(re.compile(rf"/work/regions/{own.code}/people/$"))
    rows = desktop.locator("#people tbody tr")
    expect(rows.first).to_be_visible()
    row_texts = rows.all_inner_texts()
    assert len(row_texts) > 1
    for text in row_texts:
        assert MASKED_ID.search(text), f"no masked ID number in row {text!r}"
    assert any(MASKED_PHONE.search(text) for text in row_texts), "no masked phone shown"
    page_text = desktop.locator("body").inner_text()
    assert not FULL_ID.search(page_text), "a full ID number is on the page"
    assert not FULL_PHONE.search(page_text), "a full phone number is on the page"


def test_neighbouring_village_people_list_is_not_found(
    desktop: Page, first_township_villages: list[Village]
) -> None:
    neighbour = first_township_villages[1]
    log_in(desktop, "village")

    response = desktop.goto(f"/work/regions/{neighbour.code}/people/")

    assert response is not None and response.status == 404
    expect(desktop.locator("#people")).to_have_count(0)
    expect(desktop.locator("body")).not_to_contain_text(neighbour.name)
    assert not MASKED_ID.search(desktop.locator("body").inner_text())


def test_workbench_and_people_list_fit_a_phone_screen(
    phone: Page, first_township_villages: list[Village]
) -> None:
    own = first_township_villages[0]

    log_in(phone, "village")
    expect(phone.locator("#my-regions")).to_contain_text(own.name)
    assert overflow_width(phone) == 0, "the workbench scrolls sideways on a phone"

    phone.goto(f"/work/regions/{own.code}/people/")
    expect(phone.locator("#people tbody tr").first).to_be_visible()
    assert overflow_width(phone) == 0, "the people list scrolls sideways on a phone"
