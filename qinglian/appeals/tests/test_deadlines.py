"""Deadlines in working days on the official calendar, escalation, reminders, reopening."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from qinglian.appeals.models import Body, DeadlineRule, NoticeKind, State
from qinglian.appeals.services import (
    appeal_answer,
    appeal_rate,
    appeal_reopen,
    appeal_submit,
    appeals_escalate,
    appeals_remind,
    due_dates_refresh,
)
from qinglian.core.errors import DomainError

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def test_a_question_before_national_day_counts_the_make_up_days_and_skips_the_holiday(tree):
    # 2025: 1-8 October off; Sunday 28 September and Saturday 11 October are worked.
    with time_machine.travel(at(date(2025, 9, 26)), tick=False):
        question = appeal_submit(
            village=tree.village_a1, kind="question", text="国庆前问一句话"
        ).appeal
    # Working days after Fri 26 Sep: 28, 29, 30 Sep, 9, 10, 11, 13, 14, 15, 16 Oct.
    assert question.due_on == date(2025, 10, 16)
    assert not question.due_estimated


def test_a_report_is_due_for_acceptance_fifteen_working_days_later(tree):
    with time_machine.travel(at(date(2025, 9, 30)), tick=False):
        report = appeal_submit(
            village=tree.village_a1, kind="report", text="举报村干部的问题"
        ).appeal
    # 9, 10, 11, 13-17, 20-24, 27, 28 October.
    assert report.due_on == date(2025, 10, 28)


def test_a_region_sets_its_own_deadline_and_the_nearest_region_wins(tree):
    DeadlineRule.objects.create(region=tree.county, kind="question", first_response_days=7)
    DeadlineRule.objects.create(region=tree.town_a, kind="question", first_response_days=3)
    with time_machine.travel(at(date(2025, 9, 26)), tick=False):
        in_a = appeal_submit(village=tree.village_a1, kind="question", text="青山镇的问题").appeal
        in_b = appeal_submit(village=tree.village_b1, kind="question", text="云岭镇的问题").appeal
    assert in_a.due_on == date(2025, 9, 30)  # 28, 29, 30 September
    assert in_b.due_on == date(2025, 10, 13)  # 28, 29, 30 Sep, 9, 10, 11, 13 Oct


def test_a_year_without_official_data_is_estimated_then_recounted_when_entered(tree):
    with time_machine.travel(at(date(2026, 12, 28)), tick=False):
        question = appeal_submit(
            village=tree.village_a1, kind="question", text="年底问一个问题"
        ).appeal
        # Monday to Friday only: 29, 30, 31 Dec, 1, 4, 5, 6, 7, 8, 11 Jan.
        assert question.due_on == date(2027, 1, 11) and question.due_estimated
        call_command(
            "official_calendar",
            "2027",
            "--holiday",
            "2027-01-01:2027-01-03",
            "--holiday",
            "2027-01-11",
            stdout=io.StringIO(),
        )
        assert due_dates_refresh() == 1
    question.refresh_from_db()
    # 29, 30, 31 Dec, 4-8 Jan, then 11 January is off: 12, 13.
    assert question.due_on == date(2027, 1, 13) and not question.due_estimated


def test_an_overdue_case_escalates_once_then_again_when_very_overdue(tree):
    with time_machine.travel(at(date(2025, 9, 26)), tick=False):
        question = appeal_submit(
            village=tree.village_a1, kind="question", text="一直没人回答"
        ).appeal
    assert appeals_escalate(date(2025, 10, 16)) == 0  # due that day: not late yet
    assert appeals_escalate(date(2025, 10, 17)) == 1
    question.refresh_from_db()
    assert (question.body, question.assigned_region, question.escalation_level) == (
        Body.COMMISSION,
        tree.town_a,
        1,
    )
    assert appeals_escalate(date(2025, 10, 17)) == 0  # reruns change nothing
    # Very overdue ten working days past due (16 Oct): from 31 October.
    assert question.very_overdue_on == date(2025, 10, 30)
    assert appeals_escalate(date(2025, 10, 30)) == 0
    assert appeals_escalate(date(2025, 10, 31)) == 1
    question.refresh_from_db()
    assert question.assigned_region == tree.county and question.escalation_level == 2
    assert appeals_escalate(date(2025, 12, 31)) == 0
    events = list(question.events.filter(kind="escalated").values_list("code", "public"))
    assert events == [("overdue", True), ("very_overdue", True)]
    kinds = set(question.notices.values_list("kind", "region"))
    assert kinds == {
        (NoticeKind.ESCALATED, tree.town_a.pk),
        (NoticeKind.VERY_OVERDUE, tree.county.pk),
    }


def test_handlers_are_reminded_two_working_days_before_the_due_date(tree):
    with time_machine.travel(at(date(2025, 9, 26)), tick=False):
        question = appeal_submit(
            village=tree.village_a1, kind="question", text="什么时候答复"
        ).appeal
    assert appeals_remind(date(2025, 10, 13)) == 0  # 14, 15, 16: three working days left
    assert appeals_remind(date(2025, 10, 14)) == 1
    assert appeals_remind(date(2025, 10, 15)) == 0  # once per due date
    assert question.notices.get().kind == NoticeKind.REMINDER


def test_the_villager_rates_once_and_reopens_once_which_goes_to_the_township(tree, village_cadre):
    question = appeal_submit(village=tree.village_a1, kind="question", text="6500元是什么钱").appeal
    with pytest.raises(DomainError):
        appeal_rate(appeal=question, rating="satisfied")
    appeal_answer(actor=village_cadre, appeal=question, text="是垃圾清运的费用")
    question = appeal_rate(appeal=question, rating="dissatisfied")
    with pytest.raises(DomainError):
        appeal_rate(appeal=question, rating="satisfied")
    question = appeal_reopen(appeal=question, text="清运一次不要这么多钱")
    assert question.state == State.RECEIVED and question.assigned_region == tree.town_a
    assert question.body == Body.COMMISSION and question.notices.get().kind == NoticeKind.REOPENED
    appeal_answer(actor=None, appeal=question, text="镇纪委核实：含三个月费用")
    with pytest.raises(DomainError):
        appeal_reopen(appeal=question, text="还是不满意")
