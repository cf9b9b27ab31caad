"""`qinglian appeals_deadlines`: the mailbox's daily deadline work, for cron or by hand.

Recounts estimated due dates (after `qinglian official_calendar` entered a year),
escalates overdue cases and reminds handlers of cases due soon, as the daily job
does, then prints what it did. Idempotent: a second run the same day does nothing.

    qinglian appeals_deadlines                   # today (China time)
    qinglian appeals_deadlines --on 2026-10-09   # as if today were that day
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qinglian.appeals.tasks import deadlines_run


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {text!r}") from None


class Command(BaseCommand):
    help = "Recount estimated due dates, escalate overdue cases, remind handlers; print counts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", type=_day, help="the day to count from (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        run = deadlines_run(options["on"])
        self.stdout.write(
            f"due dates recounted: {run.due_dates_recounted}\n"
            f"escalations: {run.escalations}\n"
            f"reminders: {run.reminders}"
        )
