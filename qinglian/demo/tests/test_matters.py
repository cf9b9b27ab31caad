"""The demo's power-list matters: every state, the exceptions and their review, the
disclosures made from a finished matter, and nothing more on a second run.

A small county (two townships of three villages, without books or other
disclosures) is built once for this module, inside a transaction rolled back after.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import override_settings

from qinglian.accounts.models import User
from qinglian.accounts.policy import visible
from qinglian.core.calendar import working_days_between
from qinglian.demo.builder import DemoBuild, demo_county_build
from qinglian.demo.matters import MattersBuild, demo_matters_build
from qinglian.directory.models import Region
from qinglian.disclosures.models import Disclosure, DraftState
from qinglian.powers.models import ExceptionReview, Matter, MatterState, StepRecord
from qinglian.powers.selectors import EXCEPTION_REVIEWERS, open_exceptions

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[DemoBuild]:
    with (
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield demo_county_build(villages=6, finance_months=0, disclosure_months=0)
        transaction.set_rollback(True)


def first_village_matter(title: str) -> Matter:
    return Matter.objects.select_related("village").get(title=title)


def test_there_is_a_matter_in_every_state(demo):
    assert demo.matters is not None
    states = set(Matter.objects.values_list("state", flat=True))
    assert states == set(MatterState.values)
    assert demo.matters.open >= 1 and demo.matters.decided >= 1
    assert demo.matters.finished >= 1 and demo.matters.rejected >= 1
    assert Matter.objects.count() == (
        demo.matters.open + demo.matters.decided + demo.matters.finished + demo.matters.rejected
    )


def test_the_road_is_finished_cleanly_and_its_drafts_wait_for_the_committee(demo):
    road = first_village_matter("2026年村道硬化工程")
    assert road.state == MatterState.FINISHED and road.exceptions == 0
    assert road.records.count() == 10
    resolution = Disclosure.objects.get(pk=road.resolution_disclosure_id or 0)
    result = Disclosure.objects.get(pk=road.result_disclosure_id or 0)
    assert (resolution.item_code, result.item_code) == ("VA06", "VA07")
    assert resolution.village == result.village == road.village
    for disclosure in (resolution, result):
        draft = disclosure.drafts.get()
        assert draft.state == DraftState.SUBMITTED
        assert "2026年村道硬化工程" in draft.body
    assert "37.6" in result.drafts.get().body


def test_a_vote_short_of_the_pass_rule_rejects_the_allowance(demo):
    allowance = first_village_matter("2026年村干部误工补贴标准调整")
    assert allowance.state == MatterState.REJECTED
    assert allowance.records.filter(code="RS", passed=False).exists()


def test_the_skipped_party_meeting_leaves_one_exception_reviewed_and_one_open(demo):
    wall = first_village_matter("村小学围墙维修")
    assert wall.state == MatterState.OPEN
    assert not wall.records.filter(code="PM").exists()
    kept = wall.records.exclude(problems=[]).order_by("number")
    assert [record.code for record in kept] == ["RS", "PB"]
    assert all(record.explanation for record in kept)
    assert all(p["code"] == "earlier_step_missing" for r in kept for p in r.problems)
    review = ExceptionReview.objects.get(record=kept[0])
    assert review.reviewed_by == User.objects.get(username="supervisor")
    assert not ExceptionReview.objects.filter(record=kept[1]).exists()
    assert wall.exceptions == 2


def test_the_committee_and_the_township_see_the_open_exceptions_on_their_workbench(demo):
    def waiting_for(username: str) -> list[str]:
        user = User.objects.get(username=username)
        records = visible(user, StepRecord.objects.all(), roles=EXCEPTION_REVIEWERS)
        return sorted(f"{r.matter.title} {r.code}" for r in open_exceptions(records))

    expected = ["村委会办公电脑采购 TD", "村小学围墙维修 PB"]
    assert waiting_for("supervisor") == waiting_for("township") == sorted(expected)
    assert waiting_for("village2") == []


def test_the_township_page_lists_the_matters_of_its_villages(demo, client):
    township = first_village_matter("2026年村道硬化工程").village.parent
    assert township is not None
    client.force_login(User.objects.get(username="township"))
    page = client.get(f"/work/powers/{township.code}/matters/").content.decode()
    villages = Region.objects.filter(pk__in=Matter.objects.values("village_id"))
    assert villages.count() >= 3
    for village in villages:
        assert village.name in page
    assert "2026年村道硬化工程" in page and "村卫生室设备采购" in page
    assert 'id="procedure-exceptions"' in client.get("/work/").content.decode()


def test_two_quotes_are_an_exception_and_the_homestead_list_counts_working_days(demo):
    quotes = StepRecord.objects.get(matter__title="村委会办公电脑采购", code="TD")
    assert [p["code"] for p in quotes.problems] == ["too_few_quotes"]
    listed = StepRecord.objects.get(matter__title="村民建房宅基地申请", code="PL")
    assert listed.problems == []
    assert listed.publicity_start is not None and listed.publicity_end is not None
    day_before = listed.publicity_start - timedelta(days=1)
    assert working_days_between(day_before, listed.publicity_end) >= 15
    # Across National Day: more than three weeks of calendar for 15 working days.
    assert (listed.publicity_end - listed.publicity_start).days > 21


def test_the_build_counts_the_exceptions_and_the_one_reviewed(demo):
    assert demo.matters is not None
    assert demo.matters.exceptions == StepRecord.objects.exclude(problems=[]).count() >= 2
    assert demo.matters.reviewed == ExceptionReview.objects.count() == 1


def test_a_second_run_adds_nothing(demo):
    before = (Matter.objects.count(), StepRecord.objects.count(), Disclosure.objects.count())
    assert demo_matters_build(county=demo.county, seed=1) == MattersBuild()
    after = (Matter.objects.count(), StepRecord.objects.count(), Disclosure.objects.count())
    assert after == before
