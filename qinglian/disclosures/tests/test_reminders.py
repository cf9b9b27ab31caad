"""Reminders before the due date, notices to the township once overdue: made once each."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import time_machine

from conftest import client_for
from qinglian.disclosures import tasks
from qinglian.disclosures.models import DisclosureReminder, ReminderKind
from qinglian.disclosures.reminders import ReminderRun, reminders_issue
from qinglian.disclosures.tests.test_calendar import publish_on

CHINA = ZoneInfo("Asia/Shanghai")
# 18 April 2025, 06:07 in China: the quarter's lists are due on the 20th, March's
# monthly list was due on the 10th.
MORNING = datetime(2025, 4, 18, 6, 7, tzinfo=CHINA)


def kinds(village, code: str, period: str) -> set[str]:
    return set(
        DisclosureReminder.objects.filter(
            village=village, item_code=code, period_key=period
        ).values_list("kind", flat=True)
    )


def test_due_soon_to_the_village_overdue_to_the_township_and_nothing_twice(tree):
    a1 = tree.village_a1
    publish_on(a1, "VA16", period="2025-Q1", at=datetime(2025, 4, 15, tzinfo=UTC))
    with time_machine.travel(MORNING, tick=False):
        first = reminders_issue()
        made = set(
            DisclosureReminder.objects.values_list("village_id", "item_code", "period_key", "kind")
        )
        again = reminders_issue()
    assert first.villages == 3 and first.due_soon > 0 and first.overdue > 0
    assert again == ReminderRun(villages=3, due_soon=0, overdue=0)
    assert DisclosureReminder.objects.count() == first.due_soon + first.overdue == len(made)
    assert kinds(a1, "VA15", "2025-Q1") == {ReminderKind.DUE_SOON}  # due on the 20th
    assert kinds(a1, "VA16", "2025-Q1") == set()  # published already
    assert kinds(a1, "FA01", "2025-03") == {ReminderKind.OVERDUE}  # due on the 10th
    assert kinds(a1, "FA01", "2025-04") == set()  # due 10 May: not yet
    reminder = DisclosureReminder.objects.get(village=a1, item_code="VA15", period_key="2025-Q1")
    assert reminder.due_on == date(2025, 4, 20) and "低保" in reminder.title
    assert reminder.created_at == MORNING


def test_once_the_date_passes_the_township_gets_a_notice_and_the_reminder_stays(tree):
    a1 = tree.village_a1
    with time_machine.travel(MORNING, tick=False):
        reminders_issue()
    with time_machine.travel(datetime(2025, 4, 21, 6, 7, tzinfo=CHINA), tick=False):
        later = reminders_issue()
    assert kinds(a1, "VA15", "2025-Q1") == {ReminderKind.DUE_SOON, ReminderKind.OVERDUE}
    assert later.due_soon == 0 and later.overdue > 0


def test_the_job_looks_three_months_back_only(tree):
    with time_machine.travel(MORNING, tick=False):
        reminders_issue()
    # From 1 January, the first day of the month three months back.
    assert kinds(tree.village_a1, "FA01", "2024-12") == {ReminderKind.OVERDUE}  # due 10 January
    assert kinds(tree.village_a1, "FA01", "2024-11") == set()  # due 10 December: too old
    assert kinds(tree.village_a1, "VA01", "standing") == {ReminderKind.OVERDUE}  # never published


def test_batches_give_the_same_reminders_as_one_pass(tree):
    with time_machine.travel(MORNING, tick=False):
        whole = reminders_issue()
        rows = set(
            DisclosureReminder.objects.values_list("village_id", "item_code", "period_key", "kind")
        )
        DisclosureReminder.objects.all().delete()
        batched = reminders_issue(batch_villages=1)
    assert whole == batched
    assert rows == set(
        DisclosureReminder.objects.values_list("village_id", "item_code", "period_key", "kind")
    )


def test_the_daily_task_runs_the_job(tree):
    with time_machine.travel(MORNING, tick=False):
        tasks.disclosure_reminders_daily.call_local()
        tasks.disclosure_reminders_daily.call_local()
        assert reminders_issue() == ReminderRun(villages=3, due_soon=0, overdue=0)
    assert DisclosureReminder.objects.filter(kind=ReminderKind.DUE_SOON).exists()


def test_the_village_sees_its_reminders_and_the_township_its_notices(
    tree, village_cadre, township_commission, outsider
):
    a1 = tree.village_a1
    with time_machine.travel(MORNING, tick=False):
        reminders_issue()
        publish_on(a1, "VA15", period="2025-Q1", at=datetime(2025, 4, 18, 6, tzinfo=CHINA))
        village_page = client_for(village_cadre).get(f"/work/disclosures/{a1.code}/")
        township_page = client_for(township_commission).get(
            f"/work/disclosures/{tree.town_a.code}/timeliness/"
        )
        other_township = client_for(outsider).get(
            f"/work/disclosures/{tree.town_b.code}/timeliness/"
        )
    village_html = village_page.content.decode()
    reminders = village_page.context["reminders"]
    assert reminders and all(r.kind == ReminderKind.DUE_SOON and r.village == a1 for r in reminders)
    va15 = next(r for r in reminders if r.item_code == "VA15")
    assert va15.published  # published since the reminder
    assert "2025-04-20" in village_html
    groups = township_page.context["notices"]
    assert {group.village for group in groups} == {a1, tree.village_a2}
    assert all(n.kind == ReminderKind.OVERDUE for group in groups for n in group.notices)
    a1_notices = next(group for group in groups if group.village == a1)
    assert a1_notices.total >= len(a1_notices.notices) > 0 and a1_notices.published == 0
    assert a1_notices.total == DisclosureReminder.objects.filter(village=a1, kind="overdue").count()
    assert a1_notices.notices[0].title in township_page.content.decode()
    assert {group.village for group in other_township.context["notices"]} == {tree.village_b1}
