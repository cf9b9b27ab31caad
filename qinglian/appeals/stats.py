"""Figures of the mass mailbox: for a county, a township or a village, over a year or a month.

Per village and per township: cases received (by kind, by category), answered
on time (count and rate), the median time to a first answer, satisfaction,
reopened, escalated and transferred cases, and the number received against the
same period of the year before ("down 7.75%"). Reads only, in a fixed number of
queries whatever the number of villages (the villages, this period's cases as
rows, last year's counts by village; pinned in ``test_stats``).

Who counts what
---------------
Figures are aggregates over the region's subtree by **where the case comes from**
(``village_path``), not lists of cases, so they do not go through
``selectors.appeals_visible`` (which scopes by the *handling* region: a
village's question that escalated to the township would drop out of the
village's own figures exactly when it became late). What they must not do is
let anyone learn of a case they may not see, and a count is already that:

- a **discipline commission** officer (``COMMISSION_ROLES``) over the region
  counts every case from it, reports and cases naming cadres included, except
  those naming the officer or a declared close relative (recusal holds for
  counts too: "one report in your brother's village" is a disclosure);
- **anyone else** over the region (village cadres, bookkeepers, the supervision
  committee, the township party office, operators) counts only the cases a
  village handles by nature: questions, complaints and suggestions that name no
  cadre. Reports and cases naming a cadre are left out entirely, not shown as a
  separate line, since a total that includes them would reveal them by
  subtraction. This is by the case's nature, not by its current ``body``:
  escalation and reopening hand a village's late or disputed cases to the
  commission, and counting by ``body`` would hide them from the village's own
  on-time rate;
- **the public** (``public_figures``) sees the same cases as the village's
  staff (the village's cadres read the public page too), with every count
  below ``SMALL_COUNT``, and every rate computed from fewer cases, shown only as
  "fewer than 3": the exact number is not even put in the page's context.

Definitions
-----------
A case counts in the period in which it was received (China time). It is
*answered* once it has a first answer (an answer, the acceptance of a report, or
its closure; a transfer outside the platform is not an answer). *On time* is the
flag set at that first answer (on or before the due date); *late* is a first
answer after it, or no answer yet and past the due date today (*overdue*). The
on-time rate is on time / (on time + late): cases still within their time count
on neither side. The time to a first answer runs from reception, in calendar
days; its median is over the answered cases. *Satisfaction* is (satisfied +
basically satisfied) / rated (reopening a case clears its rating).
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from qinglian.accounts import policy
from qinglian.appeals.models import (
    OPEN_STATES,
    Appeal,
    Category,
    Kind,
    Rating,
    State,
)
from qinglian.appeals.selectors import COMMISSION_ROLES
from qinglian.core.calendar import add_months
from qinglian.directory.models import Region, RegionLevel, subtree_q

SMALL_COUNT = 3  # public figures: counts below this, and rates from fewer cases, are not shown
YEARS_OFFERED = 5  # the staff page's year selector: this year and the ones before it
REPORT_LEVELS = (RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.VILLAGE)
SATISFIED = (Rating.SATISFIED, Rating.BASICALLY_SATISFIED)

_ROW_FIELDS = (
    "village_id",
    "kind",
    "category",
    "state",
    "received_at",
    "first_answered_at",
    "answered_on_time",
    "due_on",
    "rating",
    "reopened_at",
    "escalation_level",
)


# --- what is counted ----------------------------------------------------------------------


@dataclass(frozen=True)
class Counting:
    """Which cases a reader's figures count (see the module docstring)."""

    everything: bool  # reports and cases naming cadres included
    recused: frozenset[int] = frozenset()  # people whose cases are left out even so


VILLAGE_CASES = Counting(everything=False)


def counting_for(user: Any, region: Region) -> Counting:
    """Everything for a discipline commission officer over ``region`` (less recusal),
    the cases the village handles by nature for anyone else."""
    if policy.can_reach_region(user, region, roles=COMMISSION_ROLES):
        return Counting(everything=True, recused=policy.recused_person_ids(user))
    return VILLAGE_CASES


def _cases(paths: Iterable[str], counting: Counting) -> QuerySet[Appeal]:
    cases = Appeal.objects.filter(subtree_q("village_path", list(paths)))
    naming = Appeal.subjects.through.objects.filter(appeal_id=OuterRef("pk"))
    if not counting.everything:
        return cases.exclude(kind=Kind.REPORT).exclude(Exists(naming))
    if counting.recused:
        return cases.exclude(Exists(naming.filter(person_id__in=counting.recused)))
    return cases


# --- periods ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Days from ``first`` to ``last``, both included (China time)."""

    first: date
    last: date

    def received_q(self) -> Q:
        tz = timezone.get_current_timezone()
        start = datetime.combine(self.first, time.min, tzinfo=tz)
        end = datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=tz)
        return Q(received_at__gte=start, received_at__lt=end)

    def year_before(self) -> Period:
        return Period(_year_before(self.first), _year_before(self.last))


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def year_period(year: int, today: date) -> Period:
    """1 January to 31 December of ``year``, or to today for this year."""
    return Period(date(year, 1, 1), min(date(year, 12, 31), today))


def month_period(month: date, today: date) -> Period:
    """The calendar month of ``month``, or to today for this month."""
    return Period(month.replace(day=1), min(add_months(month, 1) - timedelta(days=1), today))


def years_offered(today: date) -> list[int]:
    return list(range(today.year, today.year - YEARS_OFFERED, -1))


# --- figures ----------------------------------------------------------------------------


@dataclass
class Figures:
    """Counts over a set of cases; ``add`` one case's row, ``merge`` another set's figures."""

    received: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    by_category: Counter[str] = field(default_factory=Counter)
    answered: int = 0  # with a first answer
    on_time: int = 0  # first answer on or before the due date
    answered_late: int = 0  # first answer after it
    overdue: int = 0  # no first answer, still open, past the due date today
    still_open: int = 0
    escalated: int = 0
    reopened: int = 0
    transferred: int = 0
    ratings: Counter[str] = field(default_factory=Counter)
    days_to_answer: list[float] = field(default_factory=list, repr=False)

    def add(self, row: Any, today: date) -> None:
        self.received += 1
        self.by_kind[row.kind] += 1
        self.by_category[row.category] += 1
        is_open = row.state in OPEN_STATES
        if row.first_answered_at is not None:
            self.answered += 1
            seconds = (row.first_answered_at - row.received_at).total_seconds()
            self.days_to_answer.append(max(seconds, 0) / 86400)
            if row.answered_on_time:
                self.on_time += 1
            elif row.answered_on_time is False:
                self.answered_late += 1
        elif is_open and row.due_on is not None and row.due_on < today:
            self.overdue += 1
        self.still_open += is_open
        self.escalated += row.escalation_level > 0
        self.reopened += row.reopened_at is not None
        self.transferred += row.state == State.TRANSFERRED
        if row.rating:
            self.ratings[row.rating] += 1

    def merge(self, other: Figures) -> None:
        for name in (
            "received",
            "answered",
            "on_time",
            "answered_late",
            "overdue",
            "still_open",
            "escalated",
            "reopened",
            "transferred",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.by_kind.update(other.by_kind)
        self.by_category.update(other.by_category)
        self.ratings.update(other.ratings)
        self.days_to_answer.extend(other.days_to_answer)

    @property
    def late(self) -> int:
        return self.answered_late + self.overdue

    @property
    def timed(self) -> int:
        """Cases whose first answer fell due: answered (on time or late), or overdue."""
        return self.on_time + self.late

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.timed if self.timed else None

    @property
    def rated(self) -> int:
        return sum(self.ratings.values())

    @property
    def satisfied(self) -> int:
        return sum(self.ratings[rating] for rating in SATISFIED)

    @property
    def satisfaction_rate(self) -> float | None:
        return self.satisfied / self.rated if self.rated else None

    @property
    def median_days(self) -> float | None:
        """Median calendar days from reception to the first answer, to a tenth of a day."""
        if not self.days_to_answer:
            return None
        return round(statistics.median(self.days_to_answer), 1)

    def categories(self) -> list[tuple[str, str, int]]:
        """(value, label, count) of the categories with cases, most cases first (then in
        the list's order)."""
        labels = dict(Category.choices)
        order = {value: index for index, value in enumerate(Category.values)}
        return [
            (value, str(labels.get(value, value)), n)
            for value, n in sorted(
                self.by_category.items(), key=lambda item: (-item[1], order.get(item[0], 99))
            )
        ]


@dataclass(frozen=True)
class YearOnYear:
    """Cases received in a period against the same period a year before."""

    current: int
    previous: int

    @property
    def change(self) -> Decimal | None:
        """The change in percent, to two decimals (half up); None without cases last year."""
        if not self.previous:
            return None
        percent = Decimal(100 * (self.current - self.previous)) / Decimal(self.previous)
        return percent.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def __str__(self) -> str:
        change = self.change
        if change is None:
            return _("no cases in the same period last year")
        if change == 0:
            return _("unchanged")
        if change < 0:
            return _("down %(percent)s%%") % {"percent": f"{-change:.2f}"}
        return _("up %(percent)s%%") % {"percent": f"{change:.2f}"}


@dataclass
class Row:
    """One village's or township's figures, with its count for the same period last year."""

    region: Region
    figures: Figures = field(default_factory=Figures)
    previous: int = 0

    @property
    def year_on_year(self) -> YearOnYear:
        return YearOnYear(self.figures.received, self.previous)


@dataclass(frozen=True)
class RegionReport:
    region: Region
    year: int
    period: Period
    counting: Counting
    today: date
    total: Row
    villages: list[Row]  # in code order; ``villages_worst_first`` for the page's order
    townships: list[Row]  # in code order

    @property
    def kinds(self) -> list[tuple[str, str]]:
        """The kinds the reader's figures count, as (value, label)."""
        return [
            (value, str(label))
            for value, label in Kind.choices
            if self.counting.everything or value != Kind.REPORT
        ]

    @property
    def previous_period(self) -> Period:
        return self.period.year_before()


def villages_worst_first(rows: Sequence[Row]) -> list[Row]:
    """Lowest on-time rate first; a village with nothing due yet goes last."""

    def key(row: Row) -> tuple[float, int, str]:
        rate = row.figures.on_time_rate
        return (2.0 if rate is None else rate, -row.figures.late, row.region.code)

    return sorted(rows, key=key)


def _villages_under(region: Region) -> list[Region]:
    return list(
        Region.objects.villages().subtree(region.path).select_related("parent").order_by("code")
    )


def figures_report(
    region: Region, year: int, counting: Counting, *, today: date | None = None
) -> RegionReport:
    """The region's figures for ``year`` (to today), by village and by township: three
    queries (the villages, this period's cases, last year's counts by village)."""
    today = today or timezone.localdate()
    period = year_period(year, today)
    villages = _villages_under(region)
    rows = {village.pk: Row(village) for village in villages}
    cases = _cases([region.path], counting)
    for case in cases.filter(period.received_q()).values_list(*_ROW_FIELDS, named=True):
        rows[case.village_id].figures.add(case, today)
    for village_id, n in (
        cases.filter(period.year_before().received_q())
        .values_list("village_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        rows[village_id].previous = n
    townships: dict[int, Row] = {}
    total = Row(region)
    for row in rows.values():
        township = row.region.parent
        assert township is not None
        into = townships.setdefault(township.pk, Row(township))
        for target in (into, total):
            target.figures.merge(row.figures)
            target.previous += row.previous
    return RegionReport(
        region=region,
        year=year,
        period=period,
        counting=counting,
        today=today,
        total=total,
        villages=list(rows.values()),
        townships=sorted(townships.values(), key=lambda row: row.region.code),
    )


def region_report(
    user: Any, region: Region, year: int, *, today: date | None = None
) -> RegionReport:
    """``figures_report`` with what ``user`` may count (``counting_for``)."""
    return figures_report(region, year, counting_for(user, region), today=today)


# --- a village's month: the liaison station's performance record ---------------------------


@dataclass(frozen=True)
class MonthFigures:
    village: Region
    month: date  # its first day
    period: Period
    counting: Counting
    today: date  # the figures as they stand on this day
    figures: Figures


def month_figures(
    village: Region, month: date, counting: Counting, *, today: date | None = None
) -> MonthFigures:
    """The cases received from ``village`` in ``month``, as they stand today: one query."""
    today = today or timezone.localdate()
    period = month_period(month, today)
    figures = Figures()
    for case in (
        _cases([village.path], counting)
        .filter(period.received_q())
        .values_list(*_ROW_FIELDS, named=True)
    ):
        figures.add(case, today)
    return MonthFigures(
        village=village,
        month=period.first,
        period=period,
        counting=counting,
        today=today,
        figures=figures,
    )


# --- public figures, with small counts suppressed ----------------------------------------


@dataclass(frozen=True)
class Shown:
    """A figure as the public sees it: the number, or only "fewer than 3".

    A suppressed figure keeps no number (``value`` is None), so no template or
    cache can show it by mistake.
    """

    value: int | None
    percent: bool = False  # a rate, in whole percent

    @property
    def suppressed(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        if self.value is None:
            if self.percent:
                return _("fewer than %(n)d cases") % {"n": SMALL_COUNT}
            return _("fewer than %(n)d") % {"n": SMALL_COUNT}
        return f"{self.value}%" if self.percent else str(self.value)


def shown_count(n: int) -> Shown:
    return Shown(n if n >= SMALL_COUNT else None)


def shown_rate(part: int, whole: int) -> Shown:
    if whole < SMALL_COUNT:
        return Shown(None, percent=True)
    return Shown(round(100 * part / whole), percent=True)


@dataclass(frozen=True)
class PublicFigures:
    year: int
    since: date
    until: date
    received: Shown
    answered_on_time: Shown  # percent of the cases whose first answer fell due
    satisfaction: Shown  # percent of the rated answers
    categories: list[tuple[str, Shown]]  # (label, count): categories with at least 3 cases
    other_categories: Shown | None  # the other categories together; None when there are none


def public_figures(village: Region, *, today: date | None = None) -> PublicFigures:
    """This year's figures of the village's mailbox for everyone: one query.

    Only the cases the village handles by nature (see the module docstring), and
    no count below ``SMALL_COUNT``: a category with fewer cases is folded into
    "other categories", itself shown as "fewer than 3" when it is.
    """
    today = today or timezone.localdate()
    period = year_period(today.year, today)
    figures = Figures()
    for case in (
        _cases([village.path], VILLAGE_CASES)
        .filter(period.received_q())
        .values_list(*_ROW_FIELDS, named=True)
    ):
        figures.add(case, today)
    shown: list[tuple[str, Shown]] = []
    folded = 0
    for _value, label, n in figures.categories():
        if n >= SMALL_COUNT:
            shown.append((label, Shown(n)))
        else:
            folded += n
    return PublicFigures(
        year=today.year,
        since=period.first,
        until=period.last,
        received=shown_count(figures.received),
        answered_on_time=shown_rate(figures.on_time, figures.timed),
        satisfaction=shown_rate(figures.satisfied, figures.rated),
        categories=shown,
        other_categories=shown_count(folded) if folded else None,
    )


def public_stats_context(village: Region) -> dict[str, Any]:
    """The context ``appeals/public_stats.html`` needs: ``{% include %}`` it with this.

    The village page can place the figures with
    ``{% include "appeals/public_stats.html" %}`` once this dict is in its context.
    """
    return {"mailbox_stats": public_figures(village)}


def months_of(year: int, today: date) -> list[date]:
    """The first days of the months of ``year`` up to today's month, latest first."""
    last = 12 if year < today.year else today.month
    return [date(year, m, 1) for m in range(last, 0, -1)] if year <= today.year else []
