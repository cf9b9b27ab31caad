"""Due dates of periodic disclosures: no database."""

from __future__ import annotations

from datetime import date

import pytest

from qinglian.disclosures.schedule import event_due, period_containing, periods_between


@pytest.mark.parametrize(
    ("frequency", "day", "key", "start", "end", "due_on"),
    [
        (
            "monthly",
            date(2025, 3, 17),
            "2025-03",
            date(2025, 3, 1),
            date(2025, 3, 31),
            date(2025, 4, 10),
        ),
        (
            "monthly",
            date(2025, 12, 1),
            "2025-12",
            date(2025, 12, 1),
            date(2025, 12, 31),
            date(2026, 1, 10),
        ),
        (
            "quarterly",
            date(2025, 8, 2),
            "2025-Q3",
            date(2025, 7, 1),
            date(2025, 9, 30),
            date(2025, 10, 20),
        ),
        (
            "semiannual",
            date(2025, 2, 2),
            "2025-H1",
            date(2025, 1, 1),
            date(2025, 6, 30),
            date(2025, 7, 20),
        ),
        (
            "annual",
            date(2025, 6, 6),
            "2025",
            date(2025, 1, 1),
            date(2025, 12, 31),
            date(2026, 1, 31),
        ),
    ],
)
def test_default_due_dates(frequency, day, key, start, end, due_on):
    period = period_containing(frequency, day)
    assert (period.key, period.start, period.end, period.due_on) == (key, start, end, due_on)


def test_an_items_own_due_day_is_kept_within_a_short_month():
    assert period_containing("monthly", date(2025, 1, 5), due_day=31).due_on == date(2025, 2, 28)
    assert period_containing("quarterly", date(2025, 1, 5), due_day=15).due_on == date(2025, 4, 15)


def test_periods_between_cover_the_range_without_gaps():
    periods = periods_between("monthly", date(2024, 11, 20), date(2025, 2, 3))
    assert [p.key for p in periods] == ["2024-11", "2024-12", "2025-01", "2025-02"]
    quarters = periods_between("quarterly", date(2025, 1, 1), date(2025, 12, 31))
    assert [p.key for p in quarters] == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]


def test_events_are_due_three_days_after_unless_the_item_says():
    assert event_due(date(2025, 3, 30)) == date(2025, 4, 2)
    assert event_due(date(2025, 3, 30), event_days=7) == date(2025, 4, 6)
