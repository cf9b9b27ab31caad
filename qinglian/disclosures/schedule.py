"""When periodic disclosures fall due: plain date arithmetic, no database.

Defaults (domain.md §15.1): a monthly item by the 10th of the next month, a
quarterly one by the 20th of the next quarter's first month, a half-yearly one by
the 20th of the month after the half, a yearly one by 31 January. A catalog item
may set its own day of the month. Items published as things happen are due a
number of days after the event (3 unless the item says otherwise).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from qinglian.core.calendar import add_months, month_end

DEFAULT_DUE_DAY = {"monthly": 10, "quarterly": 20, "semiannual": 20, "annual": 31}
DEFAULT_EVENT_DAYS = 3
_MONTHS_PER_PERIOD = {"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}


@dataclass(frozen=True)
class Period:
    """One period of a periodic item: its first and last day and its due date."""

    start: date
    end: date
    due_on: date

    @property
    def key(self) -> str:
        """A short, sortable name: 2025-03, 2025-Q1, 2025-H1, 2025."""
        months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
        if months == 1:
            return f"{self.start:%Y-%m}"
        if months == 3:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if months == 6:
            return f"{self.start.year}-H{(self.start.month - 1) // 6 + 1}"
        return f"{self.start.year}"


def is_periodic(frequency: str) -> bool:
    return frequency in _MONTHS_PER_PERIOD


def _due(end: date, day: int) -> date:
    """``day`` of the month after ``end`` (the month's last day if it is shorter)."""
    following = add_months(end, 1)
    return following.replace(day=min(day, month_end(following).day))


def period_containing(frequency: str, day: date, due_day: int | None = None) -> Period:
    months = _MONTHS_PER_PERIOD[frequency]
    first_month = (day.month - 1) // months * months + 1
    start = date(day.year, first_month, 1)
    end = add_months(start, months) - timedelta(days=1)
    return Period(start, end, _due(end, due_day or DEFAULT_DUE_DAY[frequency]))


def periods_between(
    frequency: str, first: date, last: date, due_day: int | None = None
) -> list[Period]:
    """Every period that ends on or after ``first`` and starts on or before ``last``."""
    periods: list[Period] = []
    period = period_containing(frequency, first, due_day)
    while period.start <= last:
        periods.append(period)
        period = period_containing(frequency, period.end + timedelta(days=1), due_day)
    return periods


def event_due(happened_on: date, event_days: int | None = None) -> date:
    return happened_on + timedelta(days=DEFAULT_EVENT_DAYS if event_days is None else event_days)


_KEY = re.compile(
    r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|Q(?P<quarter>[1-4])|H(?P<half>[12])))?$"
)


def period_from_key(frequency: str, key: str, due_day: int | None = None) -> Period:
    """The period a key names ("2025-03", "2025-Q1", "2025-H1", "2025") for that frequency.

    Raises ValueError when the key does not name a period of that frequency.
    """
    match = _KEY.match(key)
    if match is None or not is_periodic(frequency):
        raise ValueError(key)
    year = int(match["year"])
    if match["month"]:
        month = int(match["month"])
    elif match["quarter"]:
        month = (int(match["quarter"]) - 1) * 3 + 1
    elif match["half"]:
        month = (int(match["half"]) - 1) * 6 + 1
    else:
        month = 1
    if not 1 <= month <= 12:
        raise ValueError(key)
    period = period_containing(frequency, date(year, month, 1), due_day)
    if period.key != key:
        raise ValueError(key)
    return period
