"""The calendar: due, published on time, late, overdue; a fixed number of queries."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from qinglian.disclosures.calendar import Status, calendar, overdue_by_item, timeliness_by
from qinglian.disclosures.services import (
    disclosure_open,
    draft_publish,
    draft_review,
    draft_submit,
    draft_write,
)


def publish_on(village, code: str, *, period: str = "", event_on=None, at: datetime):
    disclosure = disclosure_open(
        village=village, item_code=code, period_key=period, event_on=event_on
    )
    draft = draft_write(actor=None, disclosure=disclosure, body="内容")
    draft_submit(actor=None, draft=draft)
    draft_review(actor=None, draft=draft, approve=True)
    return draft_publish(actor=None, draft=draft, published_at=at)


def status(lines, code: str, period: str) -> str:
    return next(
        line.status for line in lines if line.item.code == code and line.period_key == period
    )


def test_statuses(tree):
    village = tree.village_a1
    publish_on(village, "VA15", period="2025-Q1", at=datetime(2025, 4, 18, 2, tzinfo=UTC))
    publish_on(village, "VA16", period="2025-Q1", at=datetime(2025, 4, 25, 2, tzinfo=UTC))
    publish_on(village, "VA02", at=datetime(2025, 1, 2, 2, tzinfo=UTC))
    publish_on(village, "VA08", event_on=date(2025, 4, 1), at=datetime(2025, 4, 9, 2, tzinfo=UTC))
    lines = calendar([village], date(2025, 4, 1), date(2025, 6, 30), today=date(2025, 5, 15))
    assert status(lines, "VA15", "2025-Q1") == Status.PUBLISHED  # due 20 April
    assert status(lines, "VA16", "2025-Q1") == Status.LATE
    assert status(lines, "VA27", "2025-Q1") == Status.OVERDUE  # never published
    assert status(lines, "FA01", "2025-04") == Status.OVERDUE  # due 10 May
    assert status(lines, "FA01", "2025-05") == Status.DUE  # due 10 June
    assert status(lines, "VA02", "standing") == Status.PUBLISHED
    assert status(lines, "VA01", "standing") == Status.OVERDUE
    assert status(lines, "VA08", "E2025-04-01-1") == Status.LATE  # 3 days allowed
    assert not any(line.period_key == "2025-Q2" for line in lines)  # due 20 July: outside
    grouped = dict(overdue_by_item(lines))
    assert [
        line.period_key for line in next(v for k, v in grouped.items() if k.code == "FA01")
    ] == ["2025-03", "2025-04"]  # March was due 10 April, inside the window
    by_item = timeliness_by(lines, "item")
    assert (by_item["VA15"].on_time, by_item["VA16"].late, by_item["FA01"].overdue) == (1, 1, 2)
    assert by_item["FA01"].due == 2  # May is not due yet
    assert by_item["VA15"].rate == 1.0 and by_item["VA16"].rate == 0.0


@pytest.mark.parametrize("villages", [1, 3])
def test_calendar_queries_are_fixed(tree, villages, django_assert_num_queries):
    chosen = [tree.village_a1, tree.village_a2, tree.village_b1][:villages]
    for village in chosen:
        publish_on(village, "VA15", period="2025-Q1", at=datetime(2025, 4, 18, tzinfo=UTC))
    with django_assert_num_queries(3):  # catalogs, items, disclosures
        lines = calendar(chosen, date(2024, 1, 1), date(2025, 12, 31), today=date(2025, 6, 1))
    assert {line.village for line in lines} == set(chosen)
