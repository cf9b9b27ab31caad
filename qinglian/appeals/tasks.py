"""Scheduled jobs of the mailbox, run by the huey worker (`qinglian run_huey`).

Once a day, in this order: estimated due dates recounted once a year's official
holidays are entered, overdue cases escalated, handlers reminded of cases due
soon. `qinglian appeals_deadlines` runs the same from cron or by hand. Each step
is idempotent (escalation levels, one notice per case, kind, region and due
date), so a rerun, a late run or two runs at once change nothing more; and each
counts from today's date, never from when the job happens to run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from qinglian.appeals.services import appeals_escalate, appeals_remind, due_dates_refresh


@dataclass(frozen=True)
class DeadlinesRun:
    due_dates_recounted: int
    escalations: int
    reminders: int


def deadlines_run(today: date | None = None) -> DeadlinesRun:
    """Recount, escalate, remind: due dates first, so that both others use the right ones."""
    today = today or timezone.localdate()
    recounted = due_dates_refresh()
    return DeadlinesRun(
        due_dates_recounted=recounted,
        escalations=appeals_escalate(today),
        reminders=appeals_remind(today),
    )


# 21:37 UTC is 05:37 in China: escalations and reminders are there when the day starts.
@db_periodic_task(crontab(hour="21", minute="37"))
def appeals_deadlines_daily() -> None:
    deadlines_run()
