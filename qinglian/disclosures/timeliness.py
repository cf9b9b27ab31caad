"""Publication timeliness of a county, a township or a village over one year.

By village (due, on time, late, overdue, on-time rate), by catalog item across
the villages (which items they most often miss), and what is overdue now. Reads
only, in a fixed number of queries whatever the number of villages: the
villages (one) and the calendar (three).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from qinglian.directory.models import Region, RegionLevel
from qinglian.disclosures.calendar import CalendarLine, Status, Timeliness, calendar

# The year selector offers this year and the ones before it.
YEARS_OFFERED = 5
REPORT_LEVELS = (RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.VILLAGE)


@dataclass(frozen=True)
class VillageRow:
    village: Region
    counts: Timeliness


@dataclass(frozen=True)
class ItemRow:
    code: str
    title: str
    counts: Timeliness
    villages_missed: int  # villages with at least one late or overdue period of the item

    @property
    def missed(self) -> int:
        return self.counts.late + self.counts.overdue


@dataclass(frozen=True)
class OverdueLine:
    village: Region
    code: str
    title: str
    period_key: str
    due_on: date | None  # None for a standing item never published
    days_overdue: int | None


@dataclass(frozen=True)
class TimelinessReport:
    region: Region
    year: int
    first: date
    last: date
    today: date
    total: Timeliness
    villages: list[VillageRow]  # in code order; see ``VILLAGE_ORDERS``
    items: list[ItemRow]  # most often missed first
    overdue: list[OverdueLine]  # longest overdue first


def years_offered(today: date) -> list[int]:
    return list(range(today.year, today.year - YEARS_OFFERED, -1))


def year_window(year: int, today: date) -> tuple[date, date]:
    """Due dates counted for ``year``: from 1 January to 31 December, or to today."""
    return date(year, 1, 1), min(date(year, 12, 31), today)


def villages_under(region: Region) -> list[Region]:
    """The villages in the region's subtree (the village itself for a village), by code."""
    return list(
        Region.objects.villages().subtree(region.path).select_related("parent").order_by("code")
    )


def _rate_key(row: VillageRow) -> tuple[float, int, str]:
    # Nothing due says nothing about a village: it goes last.
    rate = row.counts.rate
    return (2.0 if rate is None else rate, -row.counts.overdue, row.village.code)


VILLAGE_ORDERS: dict[str, Callable[[VillageRow], tuple[object, ...]]] = {
    "worst": _rate_key,
    "overdue": lambda row: (-row.counts.overdue, -row.counts.late, row.village.code),
    "code": lambda row: (row.village.code,),
}


def villages_sorted(rows: Sequence[VillageRow], order: str) -> list[VillageRow]:
    """Rows in ``order``: ``worst`` (lowest on-time rate first), ``overdue`` (most overdue
    first) or ``code``."""
    return sorted(rows, key=VILLAGE_ORDERS.get(order, _rate_key))


def _by_item(lines: Sequence[CalendarLine]) -> list[ItemRow]:
    counts: dict[str, Timeliness] = defaultdict(Timeliness)
    titles: dict[str, str] = {}
    order: dict[str, int] = {}
    missed_by: dict[str, set[int]] = defaultdict(set)
    for line in lines:
        code = line.item.code
        counts[code].add(line)
        if code not in titles:  # the title looks up the language: once an item
            titles[code] = line.item.title
            order[code] = line.item.order
        if line.status in (Status.LATE, Status.OVERDUE):
            missed_by[code].add(line.village.pk)
    rows = [
        ItemRow(code, titles[code], counts[code], len(missed_by[code]))
        for code in counts
        if counts[code].due
    ]
    return sorted(rows, key=lambda row: (-row.missed, -row.counts.overdue, order[row.code]))


def _overdue(lines: Sequence[CalendarLine], today: date) -> list[OverdueLine]:
    titles: dict[int, str] = {}
    found = [
        OverdueLine(
            village=line.village,
            code=line.item.code,
            title=titles.get(line.item.pk) or titles.setdefault(line.item.pk, line.item.title),
            period_key=line.period_key,
            due_on=line.due_on,
            days_overdue=(today - line.due_on).days if line.due_on else None,
        )
        for line in lines
        if line.status == Status.OVERDUE
    ]
    return sorted(
        found,
        key=lambda o: (o.due_on is None, o.due_on or today, o.village.code, o.code, o.period_key),
    )


@dataclass(frozen=True)
class OverdueGroup:
    village: Region
    lines: list[OverdueLine]  # the longest overdue, at most the limit asked for
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.lines)


def overdue_by_village(
    overdue: Sequence[OverdueLine], villages: Sequence[VillageRow], *, limit: int
) -> list[OverdueGroup]:
    """What is overdue, village by village in the order of ``villages``, longest first."""
    grouped: dict[int, list[OverdueLine]] = defaultdict(list)
    for line in overdue:
        grouped[line.village.pk].append(line)
    return [
        OverdueGroup(row.village, grouped[row.village.pk][:limit], len(grouped[row.village.pk]))
        for row in villages
        if grouped[row.village.pk]
    ]


def timeliness_report(region: Region, year: int, *, today: date | None = None) -> TimelinessReport:
    """What fell due in ``year`` (up to today) in the region's villages, and how it went."""
    today = today or timezone.localdate()
    first, last = year_window(year, today)
    villages = villages_under(region)
    lines = calendar(villages, first, last, today=today) if villages and first <= last else []
    by_village: dict[int, Timeliness] = {v.pk: Timeliness() for v in villages}
    total = Timeliness()
    for line in lines:
        by_village[line.village.pk].add(line)
        total.add(line)
    return TimelinessReport(
        region=region,
        year=year,
        first=first,
        last=last,
        today=today,
        total=total,
        villages=[VillageRow(v, by_village[v.pk]) for v in villages],
        items=_by_item(lines),
        overdue=_overdue(lines, today),
    )
