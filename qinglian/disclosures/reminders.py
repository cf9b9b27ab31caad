"""Reminders before a disclosure falls due, and the township's notices once it is overdue.

``reminders_issue`` is the daily job's work (``tasks.py`` only calls it): for
every village, what falls due within ``REMINDER_DAYS`` and is not published
becomes a reminder to the village; what is overdue becomes a notice to its
township. Each reminder is made once (a unique constraint, and inserts that
skip what exists), so a second run, or two runs at once, add nothing.

The job looks at due dates from the first day of the month ``LOOKBACK_MONTHS``
back, not over the whole history, so that it stays cheap: an item overdue for
longer had its notice when it fell overdue.
It writes no audit event: the reminders are themselves the record of what was
said and when, and nothing but the job writes them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from qinglian.core.calendar import add_months
from qinglian.directory.models import Region, subtree_q
from qinglian.disclosures.calendar import CalendarLine, Status, calendar
from qinglian.disclosures.models import Disclosure, DisclosureReminder, ReminderKind

REMINDER_DAYS = 3
LOOKBACK_MONTHS = 3
# Villages handled per calendar call: bounds memory on a county of thousands.
BATCH_VILLAGES = 500
# The staff pages show what the job said over this many days.
SHOWN_DAYS = 30
SHOWN_MAX = 100  # a village's reminders
NOTICES_MAX = 2000  # notices about a region's villages, newest first


@dataclass(frozen=True)
class ReminderRun:
    """What one run did: villages looked at, reminders and notices added."""

    villages: int
    due_soon: int
    overdue: int


def reminder_kind(line: CalendarLine, today: date) -> str | None:
    """The reminder a calendar line calls for on ``today``, if any."""
    if line.status == Status.OVERDUE:
        return ReminderKind.OVERDUE
    if (
        line.status == Status.DUE
        and line.due_on is not None
        and today <= line.due_on <= today + timedelta(days=REMINDER_DAYS)
    ):
        return ReminderKind.DUE_SOON
    return None


def _batches(villages: Sequence[Region], size: int) -> Iterator[Sequence[Region]]:
    for start in range(0, len(villages), size):
        yield villages[start : start + size]


def reminders_issue(
    *, today: date | None = None, batch_villages: int = BATCH_VILLAGES
) -> ReminderRun:
    """Make the reminders and notices due on ``today`` (default: today) that do not exist yet."""
    today = today or timezone.localdate()
    first = add_months(today, -LOOKBACK_MONTHS)
    last = today + timedelta(days=REMINDER_DAYS)
    villages = list(Region.objects.villages().order_by("path"))
    added: dict[str, int] = {ReminderKind.DUE_SOON: 0, ReminderKind.OVERDUE: 0}
    for batch in _batches(villages, batch_villages):
        wanted: dict[tuple[int, str, str, str], DisclosureReminder] = {}
        for line in calendar(batch, first, last, today=today):
            kind = reminder_kind(line, today)
            if kind is None:
                continue
            key = (line.village.pk, line.item.code, line.period_key, kind)
            wanted[key] = DisclosureReminder(
                village=line.village,
                item_code=line.item.code,
                title=line.item.title_zh,
                period_key=line.period_key,
                due_on=line.due_on,
                kind=kind,
            )
        if not wanted:
            continue
        existing = set(
            DisclosureReminder.objects.filter(
                village__in=[v.pk for v in batch],
                period_key__in={key[2] for key in wanted},
            ).values_list("village_id", "item_code", "period_key", "kind")
        )
        new = [reminder for key, reminder in wanted.items() if key not in existing]
        with transaction.atomic():
            # A run at the same moment may have made some: those are skipped, not doubled.
            DisclosureReminder.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
        for reminder in new:
            added[reminder.kind] += 1
    return ReminderRun(
        villages=len(villages),
        due_soon=added[ReminderKind.DUE_SOON],
        overdue=added[ReminderKind.OVERDUE],
    )


# --- reads for the staff pages ---------------------------------------------------------


def _recent(kind: str) -> QuerySet[DisclosureReminder]:
    since = timezone.now() - timedelta(days=SHOWN_DAYS)
    published = Disclosure.objects.filter(
        village_id=OuterRef("village_id"),
        item_code=OuterRef("item_code"),
        period_key=OuterRef("period_key"),
        versions_published__gt=0,
    )
    return (
        DisclosureReminder.objects.filter(kind=kind, created_at__gte=since)
        .annotate(published=Exists(published))
        .select_related("village")
    )


def reminders_for_village(village: Region) -> list[DisclosureReminder]:
    """The reminders the village received lately, newest first, each knowing if it is
    published since (``published``). One query."""
    return list(
        _recent(ReminderKind.DUE_SOON)
        .filter(village=village)
        .order_by("-created_at", "due_on", "item_code")[:SHOWN_MAX]
    )


def notices_for_region(region: Region) -> list[DisclosureReminder]:
    """The overdue notices about villages under ``region`` lately, newest first, each
    knowing if it is published since (``published``). One query."""
    return list(
        _recent(ReminderKind.OVERDUE)
        .filter(subtree_q("village__path", [region.path]))
        .order_by("-created_at", "village__path", "due_on", "item_code")[:NOTICES_MAX]
    )


@dataclass(frozen=True)
class NoticeGroup:
    village: Region
    notices: list[DisclosureReminder]  # newest first, at most the limit asked for
    total: int
    published: int  # of the total, published since the notice

    @property
    def more(self) -> int:
        return self.total - len(self.notices)


def notices_by_village(
    notices: Sequence[DisclosureReminder], villages: Sequence[Region], *, limit: int
) -> list[NoticeGroup]:
    """The notices village by village, in the order of ``villages``."""
    grouped: dict[int, list[DisclosureReminder]] = {v.pk: [] for v in villages}
    for notice in notices:
        grouped.setdefault(notice.village_id, []).append(notice)
    return [
        NoticeGroup(
            village,
            grouped[village.pk][:limit],
            len(grouped[village.pk]),
            sum(1 for n in grouped[village.pk] if getattr(n, "published", False)),
        )
        for village in villages
        if grouped[village.pk]
    ]
