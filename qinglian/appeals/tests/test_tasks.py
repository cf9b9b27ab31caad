"""The daily deadline job and its command: recount, escalate, remind, in that order, once."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils.module_loading import autodiscover_modules
from huey.contrib.djhuey import HUEY

from qinglian.appeals import tasks
from qinglian.appeals.models import Appeal, AppealNotice, NoticeKind
from qinglian.appeals.services import appeal_submit

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def question(tree) -> Appeal:
    # Due on Thursday 16 October 2025 (ten working days, National Day skipped).
    with time_machine.travel(at(date(2025, 9, 26)), tick=False):
        return appeal_submit(village=tree.village_a1, kind="question", text="路灯什么时候修").appeal


def test_the_worker_finds_the_daily_job_early_in_the_china_morning():
    autodiscover_modules("tasks")  # what `qinglian run_huey` does
    due = {task.name for task in HUEY.read_periodic(datetime(2025, 10, 16, 21, 37))}  # UTC
    assert "appeals_deadlines_daily" in due
    assert "appeals_deadlines_daily" not in {
        task.name for task in HUEY.read_periodic(datetime(2025, 10, 16, 21, 38))
    }
    assert datetime(2025, 10, 16, 21, 37, tzinfo=UTC).astimezone(SHANGHAI).hour == 5


def test_the_daily_job_reminds_then_escalates_and_reruns_change_nothing(tree, question):
    with time_machine.travel(at(date(2025, 10, 14), hour=6), tick=False):
        tasks.appeals_deadlines_daily.call_local()
        tasks.appeals_deadlines_daily.call_local()
    assert list(question.notices.values_list("kind", flat=True)) == [NoticeKind.REMINDER]
    with time_machine.travel(at(date(2025, 10, 17), hour=6), tick=False):
        tasks.appeals_deadlines_daily.call_local()
        tasks.appeals_deadlines_daily.call_local()
    question.refresh_from_db()
    assert question.escalation_level == 1 and question.assigned_region == tree.town_a
    assert question.events.filter(kind="escalated").count() == 1


def test_due_dates_are_recounted_before_anything_escalates(tree):
    with time_machine.travel(at(date(2026, 12, 28)), tick=False):
        question = appeal_submit(
            village=tree.village_a1, kind="question", text="年底问一个问题"
        ).appeal
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
    with time_machine.travel(at(date(2027, 1, 12), hour=6), tick=False):
        run = tasks.deadlines_run()
    # Recounted to 13 January first, the case is not late on the 12th: no escalation.
    assert run == tasks.DeadlinesRun(due_dates_recounted=1, escalations=0, reminders=1)
    question.refresh_from_db()
    assert question.due_on == date(2027, 1, 13) and question.escalation_level == 0


def test_the_command_prints_what_it_did_and_a_second_run_does_nothing(tree, question):
    out = io.StringIO()
    call_command("appeals_deadlines", "--on", "2025-10-17", stdout=out)
    assert out.getvalue().splitlines() == [
        "due dates recounted: 0",
        "escalations: 1",
        "reminders: 0",
    ]
    again = io.StringIO()
    call_command("appeals_deadlines", "--on", "2025-10-17", stdout=again)
    assert "escalations: 0" in again.getvalue()
    assert AppealNotice.objects.filter(kind=NoticeKind.ESCALATED).count() == 1
    with pytest.raises(CommandError):
        call_command("appeals_deadlines", "--on", "17/10/2025", stdout=io.StringIO())
