"""The disclosure calendar: for each village and period, what is due, published, late or missing.

Reads only, in a fixed number of queries whatever the number of villages or
periods: the villages' catalogs (one query), their items (one), and the
disclosures in the window (one).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qinglian.core.calendar import add_months
from qinglian.directory.models import Region
from qinglian.disclosures.models import CatalogItem, Disclosure, Frequency
from qinglian.disclosures.schedule import event_due, is_periodic, periods_between
from qinglian.disclosures.selectors import catalogs_in_force


class Status:
    PUBLISHED = "published"  # on time
    LATE = "late"  # published, after the due date
    OVERDUE = "overdue"  # due date passed, not published
    DUE = "due"  # not yet due, not published
    LABELS = {
        PUBLISHED: _("published on time"),
        LATE: _("published late"),
        OVERDUE: _("overdue, not published"),
        DUE: _("not yet due"),
    }


@dataclass(frozen=True)
class CalendarLine:
    village: Region
    item: CatalogItem
    period_key: str
    due_on: date | None
    disclosure: Disclosure | None
    status: str

    @property
    def status_label(self) -> str:
        return str(Status.LABELS[self.status])


def _status(due_on: date | None, disclosure: Disclosure | None, today: date) -> str:
    published_at = disclosure.first_published_at if disclosure else None
    if published_at is not None:
        late = due_on is not None and timezone.localdate(published_at) > due_on
        return Status.LATE if late else Status.PUBLISHED
    if due_on is not None and due_on < today:
        return Status.OVERDUE
    return Status.DUE


@functools.lru_cache(maxsize=256)
def _due_periods(
    frequency: str, due_day: int | None, first: date, last: date
) -> tuple[tuple[str, date], ...]:
    """(key, due date) of each period of the rule due in [first, last], worked out once
    for all the villages that share the rule."""
    # A period falls due after it ends (a year's by the next 31 January).
    scan_from = add_months(first, -13)
    return tuple(
        (period.key, period.due_on)
        for period in periods_between(frequency, scan_from, last, due_day)
        if first <= period.due_on <= last
    )


def calendar(
    villages: Sequence[Region],
    first: date,
    last: date,
    *,
    today: date | None = None,
    codes: Iterable[str] | None = None,
) -> list[CalendarLine]:
    """Every disclosure due in [first, last] for the villages, with its status.

    Periodic items: every period whose due date falls in the window. Items
    published as things happen: the disclosures recorded in the window, late if
    published after their due date. Standing items: one line each, overdue
    while never published. Matters put before a decision have no due date and
    appear only once recorded.
    """
    today = today or timezone.localdate()
    wanted = set(codes) if codes is not None else None
    catalogs = catalogs_in_force(villages, last)
    items_of: dict[int, list[CatalogItem]] = defaultdict(list)
    for item in CatalogItem.objects.filter(
        catalog_id__in={c.pk for c in catalogs.values()}
    ).order_by("order"):
        if wanted is None or item.code in wanted:
            items_of[item.catalog_id].append(item)
    found: dict[tuple[int, str, str], Disclosure] = {}
    events: dict[tuple[int, str], list[Disclosure]] = defaultdict(list)
    for disclosure in Disclosure.objects.filter(
        Q(period_key="standing")
        | Q(due_on__range=(first, last))
        | Q(period_start__range=(first, last)),
        village__in=[v.pk for v in villages],
    ).defer("search_text"):
        found[(disclosure.village_id, disclosure.item_code, disclosure.period_key)] = disclosure
        if disclosure.period_key.startswith(("E", "P")):
            events[(disclosure.village_id, disclosure.item_code)].append(disclosure)
    lines: list[CalendarLine] = []
    for village in villages:
        catalog = catalogs.get(village.pk)
        for item in items_of.get(catalog.pk, []) if catalog else []:
            if is_periodic(item.frequency):
                for key, period_due in _due_periods(item.frequency, item.due_day, first, last):
                    periodic = found.get((village.pk, item.code, key))
                    status = _status(period_due, periodic, today)
                    lines.append(CalendarLine(village, item, key, period_due, periodic, status))
            elif item.frequency == Frequency.STANDING:
                standing = found.get((village.pk, item.code, "standing"))
                lines.append(
                    CalendarLine(
                        village,
                        item,
                        "standing",
                        None,
                        standing,
                        Status.PUBLISHED if standing and standing.is_published else Status.OVERDUE,
                    )
                )
            else:
                for disclosure in sorted(
                    events.get((village.pk, item.code), []), key=lambda d: d.period_key
                ):
                    due_on = disclosure.due_on
                    if (
                        due_on is None
                        and item.frequency == Frequency.EVENT
                        and disclosure.period_start
                    ):
                        due_on = event_due(disclosure.period_start, item.event_days)
                    lines.append(
                        CalendarLine(
                            village,
                            item,
                            disclosure.period_key,
                            due_on,
                            disclosure,
                            _status(due_on, disclosure, today),
                        )
                    )
    return lines


@dataclass
class Timeliness:
    """Counts of a village (or of an item across villages) over a window."""

    due: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0

    @property
    def rate(self) -> float | None:
        """Share published on time among what fell due; None when nothing did."""
        return None if not self.due else self.on_time / self.due

    def add(self, line: CalendarLine) -> None:
        if line.status == Status.DUE:
            return
        self.due += 1
        if line.status == Status.PUBLISHED:
            self.on_time += 1
        elif line.status == Status.LATE:
            self.late += 1
        else:
            self.overdue += 1


def timeliness_by(lines: Iterable[CalendarLine], key: str) -> dict[object, Timeliness]:
    """Counts grouped by ``"village"`` or by ``"item"`` (the item's code)."""
    totals: dict[object, Timeliness] = defaultdict(Timeliness)
    for line in lines:
        totals[line.village if key == "village" else line.item.code].add(line)
    return dict(totals)


def overdue_by_item(lines: Iterable[CalendarLine]) -> list[tuple[CatalogItem, list[CalendarLine]]]:
    """What is overdue, item by item in catalog order, each with its periods, oldest first."""
    grouped: dict[int, list[CalendarLine]] = defaultdict(list)
    items: dict[int, CatalogItem] = {}
    for line in lines:
        if line.status == Status.OVERDUE:
            grouped[line.item.pk].append(line)
            items[line.item.pk] = line.item
    return [(items[pk], grouped[pk]) for pk in sorted(grouped, key=lambda pk: items[pk].order)]
