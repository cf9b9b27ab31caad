"""The mailbox's figures: each one on a known set of cases, what each reader counts, the
year before, small counts hidden from the public, and a fixed number of queries."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_user
from qinglian.accounts.models import Role
from qinglian.appeals.models import Kind, Rating, State
from qinglian.appeals.stats import (
    VILLAGE_CASES,
    Counting,
    YearOnYear,
    counting_for,
    figures_report,
    month_figures,
    public_figures,
    region_report,
    villages_worst_first,
)
from qinglian.appeals.tests.helpers import in_office
from qinglian.appeals.tests.stats_helpers import SHANGHAI, case, cases
from qinglian.directory.factories import region
from qinglian.directory.models import RegionLevel

TODAY = date(2026, 11, 20)
EVERYTHING = Counting(everything=True)


def report_of(area, counting=EVERYTHING, year=2026):
    return figures_report(area, year, counting, today=TODAY)


def test_on_time_counts_late_answers_and_overdue_cases_not_those_still_within_time(tree):
    a1 = tree.village_a1
    for _ in range(3):
        case(a1, date(2026, 3, 2), answered_after=2)
    case(a1, date(2026, 3, 2), answered_after=14)  # answered late
    case(a1, date(2026, 10, 1), due=date(2026, 11, 19))  # no answer, past due: overdue
    case(a1, date(2026, 11, 18), due=date(2026, 12, 2))  # still within its time
    case(a1, date(2026, 5, 1), state=State.TRANSFERRED)  # passed on, never answered here
    figures = report_of(a1).total.figures
    assert (figures.received, figures.answered, figures.on_time) == (7, 4, 3)
    assert (figures.answered_late, figures.overdue, figures.late, figures.timed) == (1, 1, 2, 5)
    assert figures.on_time_rate == pytest.approx(0.6)
    assert (figures.still_open, figures.transferred) == (2, 1)


def test_median_time_to_first_answer_is_over_answered_cases_in_days(tree):
    a1 = tree.village_a1
    for days in (1, 2, 10):
        case(a1, date(2026, 4, 1), answered_after=days)
    case(a1, date(2026, 4, 1), due=date(2026, 4, 15))  # unanswered: not in the median
    assert report_of(a1).total.figures.median_days == 2.0
    case(a1, date(2026, 4, 1), answered_after=3.25)
    assert report_of(a1).total.figures.median_days == 2.6  # (2 + 3.25) / 2, to a tenth


def test_satisfaction_is_satisfied_and_basically_satisfied_over_rated(tree):
    a1 = tree.village_a1
    for rating in (Rating.SATISFIED, Rating.SATISFIED, Rating.BASICALLY_SATISFIED):
        case(a1, date(2026, 6, 1), answered_after=1, rating=rating)
    case(a1, date(2026, 6, 1), answered_after=1, rating=Rating.DISSATISFIED, reopened=True)
    case(a1, date(2026, 6, 1), answered_after=1)  # not rated
    case(a1, date(2026, 6, 1), answered_after=1, reopened=True, escalations=1)
    figures = report_of(a1).total.figures
    assert (figures.satisfied, figures.rated) == (3, 4)
    assert figures.satisfaction_rate == pytest.approx(0.75)
    assert (figures.reopened, figures.escalated) == (2, 1)


def test_kinds_and_categories_are_counted_per_village_and_summed_per_township(tree):
    case(tree.village_a1, date(2026, 2, 1), kind=Kind.COMPLAINT, category="land_dispute")
    case(tree.village_a1, date(2026, 2, 1), kind=Kind.SUGGESTION, category="livelihood")
    case(tree.village_a2, date(2026, 2, 1), kind=Kind.COMPLAINT, category="land_dispute")
    case(tree.village_b1, date(2026, 2, 1), kind=Kind.QUESTION, category="finance")
    report = report_of(tree.county)
    by_village = {row.region.code: row.figures for row in report.villages}
    assert by_village[tree.village_a1.code].by_kind == {"complaint": 1, "suggestion": 1}
    towns = {row.region: row.figures for row in report.townships}
    assert towns[tree.town_a].received == 3 and towns[tree.town_b].received == 1
    assert towns[tree.town_a].by_category == {"land_dispute": 2, "livelihood": 1}
    assert [value for value, _label, _n in report.total.figures.categories()] == [
        "land_dispute",
        "finance",
        "livelihood",
    ]


def test_villages_worst_on_time_rate_first_those_with_nothing_due_last(tree):
    case(tree.village_a1, date(2026, 3, 1), answered_after=1)
    case(tree.village_a2, date(2026, 3, 1), answered_after=30)
    rows = villages_worst_first(report_of(tree.county).villages)
    assert [row.region for row in rows] == [tree.village_a2, tree.village_a1, tree.village_b1]


@pytest.mark.parametrize(
    ("current", "previous", "change", "text"),
    [
        (369, 400, Decimal("-7.75"), "down 7.75%"),  # seed 004: petitions down 7.75%
        (5, 4, Decimal("25.00"), "up 25.00%"),
        (4, 4, Decimal("0.00"), "unchanged"),
        (2, 3, Decimal("-33.33"), "down 33.33%"),
        (3, 0, None, "no cases in the same period last year"),
    ],
)
def test_year_on_year_change_in_percent(current, previous, change, text, english):
    year_on_year = YearOnYear(current, previous)
    assert year_on_year.change == change
    assert str(year_on_year) == text


def test_year_on_year_compares_with_the_same_period_last_year_in_china_time(tree, english):
    a1 = tree.village_a1
    # To 20 November: 369 cases in 2026 against 400 in 2025 (seed 004's "down 7.75%");
    # 30 more in 2025 after 20 November, outside the same period.
    cases(a1, [date(2026, 1 + n % 10, 1 + n % 28) for n in range(368)])
    cases(a1, [date(2025, 1 + n % 10, 1 + n % 28) for n in range(399)])
    cases(a1, [date(2025, 11, 21) if n % 2 else date(2025, 12, 31) for n in range(30)])
    # 00:30 on 1 January 2026 in China is still 31 December in UTC: it counts in 2026,
    # and 23:30 on 20 November 2025 in China (15:30 UTC) in the same period last year.
    case(a1, datetime(2026, 1, 1, 0, 30, tzinfo=SHANGHAI))
    case(a1, datetime(2025, 11, 20, 23, 30, tzinfo=SHANGHAI))
    total = report_of(a1).total
    assert (total.figures.received, total.previous) == (369, 400)
    assert str(total.year_on_year) == "down 7.75%"
    full_year = report_of(a1, year=2025).total
    assert (full_year.figures.received, full_year.previous) == (430, 0)


def test_the_commission_counts_reports_the_village_and_operators_do_not(
    tree,
    village_cadre,
    supervisor,
    admin_operator,
    township_commission,
    county_officer,
):
    cadre = in_office(village_cadre.person, tree.village_a1)
    a1 = tree.village_a1
    case(a1, date(2026, 3, 1), kind=Kind.REPORT, category="cadre_conduct")
    case(a1, date(2026, 3, 1), kind=Kind.COMPLAINT, subjects=[cadre])
    # A village question escalated to the commission is still the village's case.
    case(a1, date(2026, 3, 1), due=date(2026, 3, 16), escalations=1, body="commission")
    case(a1, date(2026, 3, 1), answered_after=2)
    for user in (village_cadre, supervisor, admin_operator):
        counting = counting_for(user, a1)
        assert counting == VILLAGE_CASES
        report = region_report(user, a1, 2026, today=TODAY)
        assert report.total.figures.received == 2
        assert Kind.REPORT not in dict(report.kinds)
        assert report.total.figures.overdue == 1
    for user in (township_commission, county_officer):
        report = region_report(user, a1, 2026, today=TODAY)
        assert report.total.figures.received == 4
        assert report.total.figures.by_kind[Kind.REPORT] == 1


def test_a_commission_officer_does_not_count_cases_naming_a_relative(
    tree, village_cadre, cadre_relative
):
    cadre = in_office(village_cadre.person, tree.village_a1)
    relative_officer = make_user(
        "relative", Role.TOWN_DISCIPLINE, tree.town_a, person=cadre_relative
    )
    case(tree.village_a1, date(2026, 3, 1), kind=Kind.REPORT, subjects=[cadre])
    case(tree.village_a1, date(2026, 3, 1), kind=Kind.REPORT)
    counting = counting_for(relative_officer, tree.town_a)
    assert counting.everything and cadre.pk in counting.recused
    assert (
        region_report(relative_officer, tree.town_a, 2026, today=TODAY).total.figures.received == 1
    )


def test_a_region_report_costs_three_queries_however_many_villages(tree, township_commission):
    def queries(area) -> int:
        counting_for(township_commission, area)  # the user's roles, read once a request
        with CaptureQueriesContext(connection) as captured:
            region_report(township_commission, area, 2026, today=TODAY)
        return len(captured)

    case(tree.village_a1, date(2026, 3, 1), answered_after=1)
    few = queries(tree.town_a)
    for n in range(30):
        village = region(f"3399011002{30 + n:02d}", f"新村{n}", RegionLevel.VILLAGE, tree.town_a)
        case(village, date(2026, 3, 1), answered_after=n % 12, rating=Rating.SATISFIED)
        case(village, date(2025, 3, 1))
    assert queries(tree.town_a) == few == 3


def test_a_month_counts_the_cases_received_in_it(tree):
    a1 = tree.village_a1
    case(a1, date(2026, 9, 30), answered_after=1)
    case(a1, date(2026, 10, 1), answered_after=1, rating=Rating.SATISFIED)
    case(a1, date(2026, 10, 31), kind=Kind.COMPLAINT, due=date(2026, 11, 14))
    case(a1, date(2026, 11, 1), answered_after=1)
    month = month_figures(a1, date(2026, 10, 1), EVERYTHING, today=TODAY)
    figures = month.figures
    assert (figures.received, figures.answered, figures.overdue, figures.rated) == (2, 1, 1, 1)
    assert month.period.last == date(2026, 10, 31)


# --- public figures ---------------------------------------------------------------------


def test_public_figures_hide_every_count_below_three(tree, english):
    a1 = tree.village_a1
    for _ in range(4):
        case(a1, date(2026, 2, 1), category="finance", answered_after=1, rating="satisfied")
    for _ in range(2):
        case(a1, date(2026, 2, 1), category="welfare", answered_after=1)
    figures = public_figures(a1, today=TODAY)
    assert figures.received.value == 6 and str(figures.received) == "6"
    assert [(label, shown.value) for label, shown in figures.categories] == [("finance", 4)]
    other = figures.other_categories
    assert other is not None and other.suppressed and other.value is None
    assert str(other) == "fewer than 3"
    assert str(figures.answered_on_time) == "100%"
    assert str(figures.satisfaction) == "100%"


def test_public_rates_from_fewer_than_three_cases_are_not_shown(tree, english):
    a1 = tree.village_a1
    case(a1, date(2026, 2, 1), answered_after=1, rating="satisfied")
    case(a1, date(2026, 2, 1), answered_after=30, rating="dissatisfied")
    figures = public_figures(a1, today=TODAY)
    for shown in (figures.received, figures.answered_on_time, figures.satisfaction):
        assert shown.value is None
    assert str(figures.received) == "fewer than 3"
    assert str(figures.answered_on_time) == "fewer than 3 cases"
    assert figures.categories == [] and figures.other_categories is not None


def test_public_figures_leave_out_reports_and_cases_naming_cadres(tree, village_cadre):
    cadre = in_office(village_cadre.person, tree.village_a1)
    a1 = tree.village_a1
    for _ in range(3):
        case(a1, date(2026, 2, 1), kind=Kind.REPORT, category="cadre_conduct")
        case(a1, date(2026, 2, 1), kind=Kind.COMPLAINT, category="cadre_conduct", subjects=[cadre])
    for _ in range(3):
        case(a1, date(2026, 2, 1), category="finance")
    case(a1, date(2025, 12, 31), category="finance")  # last year
    figures = public_figures(a1, today=TODAY)
    assert figures.received.value == 3
    assert [shown.value for _label, shown in figures.categories] == [3]
    assert figures.other_categories is None
