"""Cases written straight into the table for the figures' tests: a figure reads rows, so
its tests state the rows (received, answered, rated...) rather than replay services."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from qinglian.appeals.models import Appeal, Body, Kind, State
from qinglian.directory.models import Person, Region

SHANGHAI = ZoneInfo("Asia/Shanghai")
_receipts = itertools.count(100_000_000_000)


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI)


def case(
    village: Region,
    received: date | datetime,
    *,
    kind: str = Kind.QUESTION,
    category: str = "finance",
    answered_after: float | None = None,  # days from reception to the first answer
    on_time: bool | None = None,  # by default: answered within 10 days
    due: date | None = None,  # for an unanswered case
    state: str | None = None,
    rating: str = "",
    reopened: bool = False,
    escalations: int = 0,
    body: str | None = None,
    subjects: Sequence[Person] = (),
    save: bool = True,
) -> Appeal:
    received_at = received if isinstance(received, datetime) else at(received)
    first_answered_at = None
    if answered_after is not None:
        first_answered_at = received_at + timedelta(days=answered_after)
        on_time = answered_after <= 10 if on_time is None else on_time
    if state is None:
        state = State.ANSWERED if first_answered_at else State.RECEIVED
    body = body or (Body.COMMISSION if kind == Kind.REPORT or subjects else Body.VILLAGE)
    appeal = Appeal(
        receipt=str(next(_receipts)),
        secret_hash="0" * 64,
        content_digest="0" * 64,
        village=village,
        village_path=village.path,
        kind=kind,
        category=category,
        text="测试用的案件",
        body=body,
        assigned_region=village if body == Body.VILLAGE else village.parent,
        escalation_level=escalations,
        state=state,
        received_at=received_at,
        due_on=due,
        first_answered_at=first_answered_at,
        answered_on_time=on_time if first_answered_at else None,
        rating=rating,
        reopened_at=received_at + timedelta(days=20) if reopened else None,
    )
    if save:
        appeal.save()
        if subjects:
            appeal.subjects.set(subjects)
    return appeal


def cases(village: Region, days: Sequence[date | datetime]) -> list[Appeal]:
    """Plain questions received on ``days``, written in one INSERT."""
    return Appeal.objects.bulk_create([case(village, day, save=False) for day in days])
