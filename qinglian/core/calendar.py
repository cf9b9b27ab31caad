"""Working days on the official PRC calendar (holidays and make-up working days).

Deadlines in working days ("15 working days") count on this calendar. Holiday data
comes from the `chinesecalendar` package, which follows the State Council's yearly
notice. For a year the package does not know yet (the notice comes out each
November), Monday to Friday count as working days and a warning is logged, so a
deadline is never left uncomputed; upgrading the package corrects later runs.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

import chinese_calendar

logger = logging.getLogger(__name__)


def is_working_day(day: date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        logger.warning("no official holiday data for %s; counting Monday-Friday", day.year)
        return day.weekday() < 5


def add_working_days(start: date, days: int) -> date:
    """The date that is ``days`` working days after ``start`` (start itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


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
