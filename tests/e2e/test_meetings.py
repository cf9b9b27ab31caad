"""A sunshine report meeting: slips printed, three attendees score from their phones,
a used code is refused, staff close and publish, the village's page shows the result."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import OpenPage, Village
from tests.e2e.screens import log_in, overflow_width

pytestmark = pytest.mark.browser


def test_three_attendees_score_a_cadre_and_the_result_is_published(
    open_page: OpenPage, villages: list[Village]
) -> None:
    code = villages[0].code
    desk = open_page("desktop")
    log_in(desk, "village")
    desk.goto(f"/work/meetings/{code}/")
    desk.locator("#meetings a", has_text="2026-Q4").click()
    expect(desk).to_have_url(re.compile(r"/work/meetings/m/\d+/$"))
    meeting_url = desk.url
    meeting_pk = re.findall(r"/m/(\d+)/$", meeting_url)[0]

    # Print four slips: the codes are shown once, each with its QR code.
    desk.locator("#slips summary").click()
    desk.locator("#slips input[name=count]").fill("4")
    desk.locator("#slips button[type=submit]").click()
    expect(desk.locator("#slip-list li.slip")).to_have_count(4)
    expect(desk.locator("#slip-list svg")).to_have_count(4)
    codes = [str(c.get_attribute("data-code")) for c in desk.locator("#slip-list code.code").all()]
    assert len(set(codes)) == 4 and all(re.fullmatch(r"\d{10}", c) for c in codes)

    # Three attendees open their slip's QR address on their phones and score.
    score_path = f"/v/{code}/meetings/{meeting_pk}/score/"
    for attendee_code in codes[:3]:
        phone = open_page("phone", java_script_enabled=False)
        phone.goto(f"{score_path}?t={attendee_code}")
        expect(phone.locator("input[name=code]")).to_have_value(attendee_code)
        cadres = phone.locator("#score-form fieldset")
        assert cadres.count() >= 1
        for i in range(cadres.count()):
            cadres.nth(i).locator("input[type=radio]").first.check()  # excellent
        assert overflow_width(phone) == 0, "the scoring form scrolls sideways on a phone"
        phone.locator("#score-form button[type=submit]").click()
        expect(phone.locator("#thanks")).to_be_visible()

    # A fourth try with a code already used is refused, and nothing is counted.
    late = open_page("phone")
    late.goto(score_path)
    late.locator("input[name=code]").fill(codes[0])
    fieldsets = late.locator("#score-form fieldset")
    for i in range(fieldsets.count()):
        fieldsets.nth(i).locator("input[type=radio]").last.check()  # incompetent
    late.locator("#score-form button[type=submit]").click()
    expect(late.locator("#code-refused")).to_be_visible()
    expect(late.locator("#thanks")).to_have_count(0)

    # Staff close the scoring and publish.
    desk.goto(meeting_url)
    desk.locator("#advance-form button[value=close]").click()
    expect(desk.locator("#advance-form button[value=publish]")).to_be_visible()
    desk.locator("#advance-form button[value=publish]").click()
    expect(desk.locator("#advance-form button")).to_have_count(0)

    # The village's page links to its meetings, where the result is shown.
    public = open_page("phone")
    public.goto(f"/v/{code}/")
    public.locator(f'a[href="/v/{code}/meetings/"]').click()
    section = public.locator(f"#meeting-{meeting_pk}")
    expect(section).to_contain_text("2026-Q4")
    first = section.locator(".result .scores").first
    expect(first).to_contain_text("3 (100%)")
    assert overflow_width(public) == 0, "the meetings page scrolls sideways on a phone"
