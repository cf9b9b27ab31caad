"""A matter walks its chart: a party members' meeting below quorum is refused, kept only as
an exception with its reason, seen at once by the supervision committee, and shown to
villagers on the matter's chart."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import OpenPage, Village
from tests.e2e.screens import log_in, overflow_width

pytestmark = pytest.mark.browser
MATTER = "村集体冷库建设"  # the demo's open P01: its plan on the board until 20 November


def test_a_meeting_below_quorum_is_refused_then_kept_as_an_exception_the_committee_sees(
    open_page: OpenPage, villages: list[Village]
) -> None:
    code = villages[0].code
    cadre = open_page("phone")
    log_in(cadre, "village")
    cadre.goto(f"/work/powers/{code}/matters/")
    cadre.locator("#matters a", has_text=MATTER).click()
    expect(cadre).to_have_url(re.compile(r"/work/powers/matters/\d+/$"))
    matter_url = cadre.url

    # Step 5, the party members' meeting: 18 of 30 came, two thirds (20) are needed.
    form = cadre.locator("#step-form")
    form.locator("select[name=number]").select_option("5")
    form.locator("input[name=held_on]").fill("2026-11-21")
    form.locator("input[name=expected]").fill("30")
    form.locator("input[name=present]").fill("18")
    form.locator("input[name=votes_for]").fill("17")
    form.locator("textarea[name=content]").fill("党员大会审议冷库建设方案")
    form.locator("button[type=submit]").click()
    expect(cadre.locator("#problems")).to_contain_text("应到30人，实到18人")
    expect(form.locator("textarea[name=content]")).to_have_value("党员大会审议冷库建设方案")
    expect(cadre.locator("#step-5")).not_to_contain_text("2026-11-21")  # nothing recorded
    assert overflow_width(cadre) == 0, "the step form scrolls sideways on a phone"

    # Kept as an exception, with its reason.
    form.locator("input[name=as_exception]").check()
    form.locator("textarea[name=explanation]").fill("秋收时节党员外出，次月补开")
    form.locator("button[type=submit]").click()
    expect(cadre).to_have_url(matter_url)
    expect(cadre.locator("#step-5")).to_contain_text("秋收时节党员外出")
    expect(cadre.locator("#step-5.step-exception")).to_be_visible()

    # The supervision committee sees it at once on its workbench and reviews it.
    committee = open_page("desktop")
    log_in(committee, "supervisor")
    committee.goto("/work/")
    committee.locator("#procedure-exceptions a").click()
    waiting = committee.locator("#open-exceptions > li", has_text=MATTER)
    expect(waiting).to_contain_text("秋收时节党员外出")
    waiting.locator("textarea[name=comment]").fill("要求12月补开党员大会，重新审议")
    waiting.locator("button[type=submit]").click()
    expect(committee.locator("#reviewed-exceptions")).to_contain_text("要求12月补开党员大会")

    # A villager sees the step broke its rules on the matter's chart, without the names.
    villager = open_page("phone", java_script_enabled=False)
    villager.goto(f"/v/{code}/powers/matters/")
    villager.locator("#village-matters a", has_text=MATTER).click()
    expect(villager.locator("#steps")).to_contain_text("应到30人，实到18人")
    expect(villager.locator("svg g[data-status=exception]")).to_have_count(1)
    expect(villager.locator("body")).not_to_contain_text("秋收时节党员外出")
    assert overflow_width(villager) == 0, "the matter's page scrolls sideways on a phone"
