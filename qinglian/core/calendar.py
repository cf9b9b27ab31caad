"""Working days on the official PRC calendar (holidays and make-up working days).

Deadlines in working days ("15 working days") count on this calendar. Holiday data
comes from the `chinesecalendar` package, which follows the State Council's yearly
notice. The notice comes out each autumn, often before a release of the package
carries it: an operator can then enter the announced days
(``qinglian official_calendar``, stored as ``OfficialDay`` rows), and those count
for that year. For a year known to neither, Monday to Friday count as working
days and ``calendar_known`` says so, so that pages can show the deadline as an
estimate; a deadline is never left uncomputed.
"""

from __future__ import annotations

import functools
import logging
from datetime import date, timedelta

import chinese_calendar
from django.core.cache import cache

logger = logging.getLogger(__name__)

_ENTERED_CACHE = "official-days:{year}"
_WARNED: set[int] = set()


def entered_days(year: int) -> dict[date, bool]:
    """Days of ``year`` entered by an operator: day → is a working day (cached)."""
    key = _ENTERED_CACHE.format(year=year)
    days: dict[date, bool] | None = cache.get(key)
    if days is None:
        from qinglian.core.models import OfficialDay

        days = dict(OfficialDay.objects.filter(day__year=year).values_list("day", "is_working_day"))
        cache.set(key, days, 3600)
    return days


def forget_entered_days(year: int) -> None:
    cache.delete(_ENTERED_CACHE.format(year=year))


def package_knows(year: int) -> bool:
    return _package_workday(date(year, 1, 1)) is not None


def calendar_known(year: int) -> bool:
    """Whether ``year``'s holidays are known (from the package or entered by an operator)."""
    return package_knows(year) or bool(entered_days(year))


def is_working_day(day: date) -> bool:
    return _is_working_day(day, entered_days(day.year))


def _is_working_day(day: date, entered: dict[date, bool]) -> bool:
    if day in entered:
        return entered[day]
    published = _package_workday(day)
    if published is not None:
        return published
    if not entered and day.year not in _WARNED:
        _WARNED.add(day.year)
        logger.warning("no official holiday data for %s; counting Monday-Friday", day.year)
    return day.weekday() < 5


@functools.lru_cache(maxsize=4096)
def _package_workday(day: date) -> bool | None:
    """The package's answer for ``day`` (None for a year it does not know); its data
    cannot change while the process runs, and asking costs some 25 µs a day."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


def add_working_days(start: date, days: int) -> date:
    """The date that is ``days`` working days after ``start`` (start itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    entered = _EnteredByYear()
    while remaining:
        current += timedelta(days=1)
        if _is_working_day(current, entered[current.year]):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if ``end`` <= ``start``)."""
    count = 0
    current = start
    entered = _EnteredByYear()
    while current < end:
        current += timedelta(days=1)
        if _is_working_day(current, entered[current.year]):
            count += 1
    return count


class _EnteredByYear(dict[int, dict[date, bool]]):
    """The entered days of each year a count crosses, read from the cache once a year
    rather than once a day (the cache is Redis in production: a round trip each)."""

    def __missing__(self, year: int) -> dict[date, bool]:
        self[year] = entered_days(year)
        return self[year]


# --- calendar months ---------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after the month of ``day``."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date) -> date:
    """The last day of the month of ``day``."""
    return add_months(day, 1) - timedelta(days=1)


def month_from_key(text: str) -> date:
    """The first day of the month written ``YYYY-MM``; ValueError for anything else."""
    year, dash, month = text.strip().partition("-")
    if not (dash and len(year) == 4 and len(month) == 2 and year.isdigit() and month.isdigit()):
        raise ValueError(f"not a month: {text!r}")
    return date(int(year), int(month), 1)  # ValueError for month 00 or 13
