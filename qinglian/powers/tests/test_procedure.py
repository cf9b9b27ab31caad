"""The procedure engine on matters: refused, or an exception seen at once; never silent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.db import DatabaseError, transaction

from qinglian.accounts.policy import visible
from qinglian.core.errors import DomainError
from qinglian.disclosures.models import Disclosure, DraftState
from qinglian.powers import selectors
from qinglian.powers.models import LibraryStep, Matter, MatterState, Origin, StepRecord
from qinglian.powers.procedure import Evidence
from qinglian.powers.services import (
    StepRefused,
    exception_review,
    matter_start,
    power_list_adopt,
    step_record,
)

pytestmark = pytest.mark.django_db
TODAY = date(2025, 6, 30)

# P01, the four discussions and two disclosures (Ninghai's five):
# 1 PR propose, 2 CO consult, 3 VR? review, 4 PP plan publicised 15 days,
# 5 PM party members (2/3 present, > 1/2 of members in favour),
# 6 RS representatives (2/3 present, > 1/2 of attendees), 7 PB resolution 3 days,
# 8 EX carry out, 9 PO outcome published, 10 AR archive.


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2025, 6, 30), tick=False):
        yield


@pytest.fixture
def matter(tree, village_cadre) -> Matter:
    return matter_start(
        actor=village_cadre,
        village=tree.village_a1,
        item_code="P01",
        title="2025年道路硬化",
        origin=Origin.VILLAGERS,
        started_on=date(2025, 3, 1),
        amount=Decimal("380000"),
    )


def record(user, matter: Matter, number: int, held_on: date, **fields) -> StepRecord:
    evidence_fields = {
        key: fields.pop(key) for key in list(fields) if key in Evidence.__dataclass_fields__
    }
    return step_record(
        actor=user,
        matter=matter,
        evidence=Evidence(number=number, held_on=held_on, **evidence_fields),
        **fields,
    )


def meeting(present: int, expected: int = 30, votes_for: int | None = None) -> dict:
    return {
        "expected": expected,
        "present": present,
        "votes_for": present if votes_for is None else votes_for,
        "votes_against": 0,
        "votes_abstain": 0,
    }


def up_to_plan(user, matter: Matter) -> None:
    record(user, matter, 1, date(2025, 3, 1), content="branch proposes")
    record(user, matter, 2, date(2025, 3, 3), **meeting(7, expected=7))
    record(user, matter, 3, date(2025, 3, 4), content="the committee agrees")
    record(
        user,
        matter,
        4,
        date(2025, 3, 5),
        publicity_start=date(2025, 3, 5),
        publicity_end=date(2025, 3, 19),
    )


def test_a_decision_below_quorum_is_refused(village_cadre, matter):
    up_to_plan(village_cadre, matter)
    with pytest.raises(StepRefused) as refused:
        record(village_cadre, matter, 5, date(2025, 3, 21), **meeting(19))  # 20 of 30 needed
    assert [p.code for p in refused.value.problems] == ["quorum_not_met"]
    assert "19" in refused.value.message and "20" in refused.value.message
    assert not matter.records.filter(number=5).exists()


def test_below_quorum_kept_only_as_an_exception_with_its_reason(village_cadre, matter):
    up_to_plan(village_cadre, matter)
    with pytest.raises(DomainError) as no_reason:
        record(village_cadre, matter, 5, date(2025, 3, 21), as_exception=True, **meeting(19))
    assert no_reason.value.field == "explanation"
    kept = record(
        village_cadre,
        matter,
        5,
        date(2025, 3, 21),
        as_exception=True,
        explanation="农忙，党员外出务工",
        **meeting(19),
    )
    assert [p["code"] for p in kept.problems] == ["quorum_not_met"]
    matter.refresh_from_db()
    assert matter.exceptions == 1


def test_an_exception_is_seen_at_once_by_the_committee_and_the_township(
    tree, village_cadre, supervisor, township_commission, outsider, other_village_cadre, matter
):
    up_to_plan(village_cadre, matter)
    kept = record(
        village_cadre,
        matter,
        5,
        date(2025, 3, 21),
        as_exception=True,
        explanation="x",
        **meeting(19),
    )

    def open_for(user):
        return list(selectors.open_exceptions(visible(user, StepRecord.objects.all())))

    assert open_for(supervisor) == [kept]
    assert open_for(township_commission) == [kept]
    assert open_for(outsider) == []
    assert open_for(other_village_cadre) == []
    with pytest.raises(DomainError):
        exception_review(actor=village_cadre, record=kept, comment="self-review")
    exception_review(actor=supervisor, record=kept, comment="要求重新召开党员大会")
    assert open_for(township_commission) == []


def test_a_publicity_period_one_day_short_is_refused(village_cadre, matter):
    record(village_cadre, matter, 1, date(2025, 3, 1))
    record(village_cadre, matter, 2, date(2025, 3, 3), **meeting(7, expected=7))
    with pytest.raises(StepRefused) as refused:
        record(
            village_cadre,
            matter,
            4,
            date(2025, 3, 5),
            publicity_start=date(2025, 3, 5),
            publicity_end=date(2025, 3, 18),  # 14 days, first and last included
        )
    assert [p.code for p in refused.value.problems] == ["publicity_short"]
    fifteen = record(
        village_cadre,
        matter,
        4,
        date(2025, 3, 5),
        publicity_start=date(2025, 3, 5),
        publicity_end=date(2025, 3, 19),
    )
    assert fifteen.problems == []


def test_working_day_publicity_counts_the_official_calendar(tree, village_cadre):
    with time_machine.travel(date(2025, 10, 31), tick=False):
        _homestead(tree, village_cadre)


def _homestead(tree, village_cadre) -> None:
    homestead = matter_start(
        actor=village_cadre,
        village=tree.village_a1,
        item_code="P23",  # the group's list up 15 working days
        title="张三宅基地申请",
        origin=Origin.VILLAGERS,
        started_on=date(2025, 9, 1),
    )
    record(village_cadre, homestead, 1, date(2025, 9, 1))
    record(village_cadre, homestead, 2, date(2025, 9, 5), **meeting(20, expected=24))
    # 22 September to 15 October spans National Day (1-8 October off, 28 September
    # and 11 October worked): 14 working days, one short; to the 16th, 15.
    with pytest.raises(StepRefused) as refused:
        record(
            village_cadre,
            homestead,
            3,
            date(2025, 9, 22),
            publicity_start=date(2025, 9, 22),
            publicity_end=date(2025, 10, 15),
        )
    assert "14" in refused.value.message
    record(
        village_cadre,
        homestead,
        3,
        date(2025, 9, 22),
        publicity_start=date(2025, 9, 22),
        publicity_end=date(2025, 10, 16),
    )


def test_steps_out_of_order_are_refused(village_cadre, matter):
    record(village_cadre, matter, 1, date(2025, 3, 1))
    with pytest.raises(StepRefused) as skipped_ahead:
        record(village_cadre, matter, 6, date(2025, 3, 25), **meeting(25))
    codes = [p.code for p in skipped_ahead.value.problems]
    assert codes == ["earlier_step_missing"] * 3  # steps 2, 4 and 5; 3 is "when required"
    assert "step 2" in skipped_ahead.value.message.lower() or "2" in skipped_ahead.value.message


def test_a_later_step_recorded_makes_an_earlier_one_out_of_order(village_cadre, matter):
    record(village_cadre, matter, 1, date(2025, 3, 1))
    record(
        village_cadre,
        matter,
        2,
        date(2025, 3, 3),
        as_exception=True,
        explanation="补录",
        **meeting(7, expected=7),
    )
    record(
        village_cadre,
        matter,
        6,
        date(2025, 3, 25),
        as_exception=True,
        explanation="急",
        **meeting(25),
    )
    with pytest.raises(StepRefused) as late:
        record(village_cadre, matter, 5, date(2025, 3, 26), **meeting(25))
    assert "later_step_recorded" in [p.code for p in late.value.problems]


def test_a_step_dated_before_the_previous_one_or_inside_a_notice_is_refused(village_cadre, matter):
    up_to_plan(village_cadre, matter)
    with pytest.raises(StepRefused) as early:
        record(village_cadre, matter, 5, date(2025, 3, 19), **meeting(25))  # notice's last day
    assert [p.code for p in early.value.problems] == ["publicity_running"]
    with pytest.raises(StepRefused) as backdated:
        record(village_cadre, matter, 5, date(2025, 3, 2), **meeting(25))
    assert "dated_before_previous" in [p.code for p in backdated.value.problems]


def test_impossible_evidence_is_refused_outright_even_as_an_exception(village_cadre, matter):
    up_to_plan(village_cadre, matter)
    for wrong, field in [
        (meeting(31), "present"),  # more present than should attend
        ({**meeting(25), "votes_against": 5}, "votes_for"),  # 30 votes from 25 people
        ({"expected": 30}, "present"),
    ]:
        with pytest.raises(DomainError) as refused:
            record(
                village_cadre,
                matter,
                5,
                date(2025, 3, 21),
                as_exception=True,
                explanation="x",
                **wrong,
            )
        assert refused.value.field == field
    with pytest.raises(DomainError) as future:
        record(village_cadre, matter, 5, date(2025, 7, 1), **meeting(25))
    assert future.value.field == "held_on"
    assert not matter.records.filter(number=5).exists()


def test_party_members_pass_on_members_who_should_attend_not_on_attendees(village_cadre, matter):
    up_to_plan(village_cadre, matter)
    # 24 of 30 present, 15 in favour: a majority of those present, but not more
    # than half of the 30 who should attend.
    kept = record(village_cadre, matter, 5, date(2025, 3, 21), **meeting(24, votes_for=15))
    assert kept.passed is False
    matter.refresh_from_db()
    assert matter.state == MatterState.REJECTED
    with pytest.raises(StepRefused) as stopped:
        record(village_cadre, matter, 6, date(2025, 3, 25), **meeting(25))
    assert [p.code for p in stopped.value.problems] == ["after_rejection"]
    # The meeting held again, and passed: the matter goes on.
    again = record(village_cadre, matter, 5, date(2025, 3, 28), **meeting(24, votes_for=16))
    assert again.passed is True
    matter.refresh_from_db()
    assert matter.state == MatterState.OPEN


def test_a_whole_procedure_decides_finishes_and_discloses(village_cadre, supervisor, matter):
    up_to_plan(village_cadre, matter)
    assert selectors.matters_authorising(matter.village_id, {matter.pk}) == set()  # open
    record(village_cadre, matter, 5, date(2025, 3, 21), **meeting(24))
    record(
        village_cadre,
        matter,
        6,
        date(2025, 3, 25),
        content="同意实施道路硬化，预算38万元",
        **meeting(22, expected=30, votes_for=20),
    )
    matter.refresh_from_db()
    resolution = Disclosure.objects.get(pk=matter.resolution_disclosure_id or 0)
    assert resolution.item_code == "VA06"
    draft = resolution.drafts.get()
    assert draft.state == DraftState.SUBMITTED
    assert "同意实施道路硬化" in draft.body and "20" in draft.body
    record(
        village_cadre,
        matter,
        7,
        date(2025, 3, 26),
        publicity_start=date(2025, 3, 26),
        publicity_end=date(2025, 3, 28),
    )
    matter.refresh_from_db()
    assert matter.state == MatterState.DECIDED
    assert matter.decided_on == date(2025, 3, 26)
    assert selectors.matters_authorising(matter.village_id, {matter.pk, 0}) == {matter.pk}
    assert selectors.matters_authorising(matter.village_id + 1, {matter.pk}) == set()
    record(village_cadre, matter, 8, date(2025, 4, 1), content="施工")
    record(village_cadre, matter, 9, date(2025, 6, 1), content="已完工，验收合格，决算37.6万元")
    matter.refresh_from_db()
    result = Disclosure.objects.get(pk=matter.result_disclosure_id or 0)
    assert result.item_code == "VA07"
    assert "37.6" in result.drafts.get().body
    record(village_cadre, matter, 10, date(2025, 6, 2))
    matter.refresh_from_db()
    assert matter.state == MatterState.FINISHED
    assert matter.finished_on == date(2025, 6, 2)
    assert matter.exceptions == 0


def test_a_required_step_skipped_is_an_exception_and_an_optional_one_is_not(village_cadre, matter):
    record(village_cadre, matter, 1, date(2025, 3, 1))
    record(village_cadre, matter, 2, date(2025, 3, 3), **meeting(7, expected=7))
    not_needed = record(village_cadre, matter, 3, date(2025, 3, 4), taken=False)
    assert not_needed.problems == []
    with pytest.raises(StepRefused) as refused:
        record(village_cadre, matter, 4, date(2025, 3, 4), taken=False)
    assert [p.code for p in refused.value.problems] == ["step_skipped"]


def test_procurement_below_the_tier_is_refused(tree, village_cadre):
    purchase = matter_start(
        actor=village_cadre,
        village=tree.village_a1,
        item_code="P11",  # AP>CO>TD(min_quotes=3)>...
        title="办公用品采购",
        origin=Origin.CADRES,
        started_on=date(2025, 5, 1),
        amount=Decimal("8000"),
    )
    record(village_cadre, purchase, 1, date(2025, 5, 1))
    record(village_cadre, purchase, 2, date(2025, 5, 2), **meeting(7, expected=7))
    with pytest.raises(StepRefused) as refused:
        record(village_cadre, purchase, 3, date(2025, 5, 3), procurement_mode="quotes", quotes=2)
    assert [p.code for p in refused.value.problems] == ["too_few_quotes"]


def test_a_region_holds_its_meetings_to_its_own_shares(tree, village_cadre, county_officer):
    adopted = power_list_adopt(
        actor=county_officer, region=tree.county, effective_from=date(2025, 1, 1)
    )
    LibraryStep.objects.filter(power_list=adopted, code="RS").update(
        params={
            "body": "representatives",
            "quorum": "four_fifths_members",
            "pass": "more_than_half_attendees",
            "resolves": True,
        }
    )
    stricter = matter_start(
        actor=village_cadre,
        village=tree.village_a1,
        item_code="P05",  # PR>CO>RS>PB
        title="误工补贴标准",
        origin=Origin.CADRES,
        started_on=date(2025, 5, 1),
    )
    assert stricter.item.power_list == adopted
    record(village_cadre, stricter, 1, date(2025, 5, 1))
    record(village_cadre, stricter, 2, date(2025, 5, 2), **meeting(7, expected=7))
    with pytest.raises(StepRefused) as refused:
        record(village_cadre, stricter, 3, date(2025, 5, 9), **meeting(23))  # 2/3, not 4/5
    assert "24" in refused.value.message


def test_only_a_power_with_a_procedure_opens_a_matter(tree, village_cadre):
    with pytest.raises(DomainError) as negative:
        matter_start(
            actor=village_cadre,
            village=tree.village_a1,
            item_code="N01",
            title="x",
            origin=Origin.CADRES,
            started_on=date(2025, 5, 1),
        )
    assert negative.value.field == "item"
    with pytest.raises(DomainError):
        matter_start(
            actor=village_cadre,
            village=tree.town_a,
            item_code="P01",
            title="x",
            origin=Origin.CADRES,
            started_on=date(2025, 5, 1),
        )


def test_step_records_are_append_only(village_cadre, matter):
    kept = record(village_cadre, matter, 1, date(2025, 3, 1))
    with pytest.raises(DatabaseError), transaction.atomic():
        StepRecord.objects.filter(pk=kept.pk).update(held_on=date(2025, 2, 1))


def test_an_assembly_is_quorate_by_adults_or_by_two_thirds_of_households(tree, village_cadre):
    charter = matter_start(
        actor=village_cadre,
        village=tree.village_a1,
        item_code="P03",  # PR>CO>PP>PM>RS(assembly; more than half of adults)>TR>PB
        title="修订村规民约",
        origin=Origin.CADRES,
        started_on=date(2025, 3, 1),
    )
    record(village_cadre, charter, 1, date(2025, 3, 1))
    record(village_cadre, charter, 2, date(2025, 3, 3), **meeting(7, expected=7))
    record(
        village_cadre,
        charter,
        3,
        date(2025, 3, 4),
        publicity_start=date(2025, 3, 4),
        publicity_end=date(2025, 3, 18),
    )
    record(village_cadre, charter, 4, date(2025, 3, 20), **meeting(25))
    assembly = meeting(300, expected=800, votes_for=280)  # 300 of 800 adults: not half
    with pytest.raises(StepRefused) as refused:
        record(village_cadre, charter, 5, date(2025, 3, 25), **assembly)
    assert [p.code for p in refused.value.problems] == ["quorum_not_met"]
    with pytest.raises(StepRefused):
        record(
            village_cadre,
            charter,
            5,
            date(2025, 3, 25),
            households_expected=240,
            households_present=159,  # one short of two thirds
            **assembly,
        )
    kept = record(
        village_cadre,
        charter,
        5,
        date(2025, 3, 25),
        households_expected=240,
        households_present=160,
        **assembly,
    )
    assert kept.problems == [] and kept.passed is True


def test_from_the_threshold_a_matter_needs_a_power_with_the_villagers_resolution(
    tree, village_cadre
):
    with pytest.raises(DomainError) as refused:
        matter_start(
            actor=village_cadre,
            village=tree.village_a1,
            item_code="P11",  # procurement: no representatives' resolution in its procedure
            title="村委会办公设备采购",
            origin=Origin.CADRES,
            started_on=date(2025, 5, 1),
            amount=Decimal("60000"),
        )
    assert refused.value.field == "item" and "P01" in refused.value.message
    below = matter_start(
        actor=village_cadre,
        village=tree.village_a1,
        item_code="P11",
        title="村委会办公设备采购",
        origin=Origin.CADRES,
        started_on=date(2025, 5, 1),
        amount=Decimal("49999"),
    )
    assert below.item.code == "P11"
