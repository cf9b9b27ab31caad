"""Enter the State Council's holidays for a year the calendar package does not know yet.

    qinglian official_calendar 2027 --holiday 2027-01-01:2027-01-03 \\
        --holiday 2027-10-01:2027-10-07 --working 2027-09-26 --name 2027-10-01=国庆节
    qinglian official_calendar 2027            # show what is entered and known

A year's entries replace that year's earlier entries, in one transaction.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from qinglian.core.calendar import forget_entered_days, package_knows
from qinglian.core.models import OfficialDay


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _days(span: str) -> list[date]:
    first_text, _, last_text = span.partition(":")
    first = _day(first_text)
    last = _day(last_text) if last_text else first
    if last < first:
        raise CommandError(f"the range ends before it starts: {span!r}")
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


class Command(BaseCommand):
    help = "Enter or show a year's official holidays and make-up working days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int)
        parser.add_argument("--holiday", action="append", default=[], help="day or first:last")
        parser.add_argument("--working", action="append", default=[], help="make-up working day")
        parser.add_argument("--name", action="append", default=[], help="day=name of the holiday")

    def handle(self, *args: Any, **options: Any) -> None:
        year: int = options["year"]
        holidays = [day for span in options["holiday"] for day in _days(span)]
        working = [_day(text) for text in options["working"]]
        names = {}
        for item in options["name"]:
            day_text, _, name = item.partition("=")
            names[_day(day_text)] = name.strip()
        if holidays or working:
            outside = [d for d in [*holidays, *working] if d.year != year]
            if outside:
                raise CommandError(f"{outside[0]} is not in {year}")
            both = set(holidays) & set(working)
            if both:
                raise CommandError(f"{min(both)} is given as both a holiday and a working day")
            with transaction.atomic():
                OfficialDay.objects.filter(day__year=year).delete()
                OfficialDay.objects.bulk_create(
                    [
                        OfficialDay(day=d, is_working_day=False, name=names.get(d, ""))
                        for d in holidays
                    ]
                    + [
                        OfficialDay(day=d, is_working_day=True, name=names.get(d, ""))
                        for d in working
                    ]
                )
            forget_entered_days(year)
        entered = OfficialDay.objects.filter(day__year=year)
        source = "the chinesecalendar package" if package_knows(year) else "entries only"
        self.stdout.write(f"{year}: {source}; {entered.count()} entered day(s)")
        for row in entered:
            kind = "working" if row.is_working_day else "holiday"
            self.stdout.write(f"  {row.day} {kind} {row.name}")
