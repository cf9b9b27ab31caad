"""The figures' pages: the public one (small counts hidden), the staff one (scope: 404 for
another township's staff), and the liaison station's monthly record as a real PDF."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from conftest import client_for
from qinglian.appeals.models import Category, Kind, Rating
from qinglian.appeals.stats import SMALL_COUNT, Shown
from qinglian.appeals.tests.stats_helpers import at, case
from qinglian.core.pdf import checkpoint_text
from qinglian.directory.factories import region
from qinglian.directory.models import RegionLevel
from qinglian.disclosures.tests.reading import read_pdf
from qinglian.transparency.selectors import checkpoint_latest
from qinglian.transparency.services import checkpoint_sign, log_append

TODAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(at(TODAY, 12), tick=False):
        yield


def stats_url(code: str, year: int | None = None) -> str:
    return f"/work/appeals/stats/{code}/" + (f"?year={year}" if year else "")


def record_url(code: str, month: str) -> str:
    return f"/work/appeals/stats/{code}/record-{month}.pdf"


@pytest.fixture
def a1_cases(tree):
    """Village A1 this year: four finance questions, two welfare ones, a report."""
    a1 = tree.village_a1
    for days in (1, 2, 3, 20):
        case(a1, date(2026, 10, 8), category="finance", answered_after=days, rating="satisfied")
    for _ in range(2):
        case(a1, date(2026, 10, 9), category="welfare", due=date(2026, 10, 23))
    case(a1, date(2026, 10, 12), kind=Kind.REPORT, category="cadre_conduct", answered_after=3)
    case(tree.village_b1, date(2026, 3, 1), answered_after=1)


# --- public -------------------------------------------------------------------------------


def test_the_public_page_shows_the_figures_and_never_a_count_below_three(tree, a1_cases):
    response = Client().get(f"/v/{tree.village_a1.code}/mailbox/stats/")
    assert response.status_code == 200
    figures = response.context["mailbox_stats"]
    assert figures.received.value == 6  # the report is not counted
    assert [shown.value for _label, shown in figures.categories] == [4]
    assert figures.other_categories.value is None  # two welfare questions: hidden
    with translation.override("zh-hans"):
        finance = str(Category.FINANCE.label)
        fewer = str(Shown(None))
        rate_hidden = str(Shown(None, percent=True))
    page = response.content.decode()
    assert "上塘村" in page and finance in page and fewer in page
    assert f"{SMALL_COUNT}" in fewer
    # Four of six answered, one late, two overdue: 3 on time of 6 due; 4 rated satisfied.
    assert figures.answered_on_time == Shown(50, percent=True)
    assert figures.satisfaction == Shown(100, percent=True)
    assert rate_hidden not in page


def test_the_public_page_costs_two_queries(tree, a1_cases):
    with CaptureQueriesContext(connection) as captured:
        assert Client().get(f"/v/{tree.village_a1.code}/mailbox/stats/").status_code == 200
    assert len(captured) == 2


def test_the_public_page_is_for_villages_only(tree):
    for code in ("339901100299", tree.town_a.code, tree.county.code):
        assert Client().get(f"/v/{code}/mailbox/stats/").status_code == 404


# --- staff --------------------------------------------------------------------------------


def test_township_staff_see_their_township_by_village_other_townships_get_404(
    tree, a1_cases, township_commission, outsider
):
    client = client_for(township_commission)
    response = client.get(stats_url(tree.town_a.code))
    assert response.status_code == 200
    report = response.context["report"]
    assert report.total.figures.received == 7
    assert [row.region for row in response.context["villages"]] == [
        tree.village_a1,  # 3 on time of 6 due
        tree.village_a2,  # nothing due: last
    ]
    assert "下塘村" in response.content.decode()
    assert client.get(stats_url(tree.village_a1.code)).status_code == 200
    outside = client_for(outsider)
    for code in (tree.town_a.code, tree.village_a1.code, tree.county.code):
        assert outside.get(stats_url(code)).status_code == 404
    assert outside.get(stats_url(tree.town_b.code)).status_code == 200


def test_the_village_counts_no_report_and_the_county_sees_townships(
    tree, a1_cases, village_cadre, county_officer
):
    own = client_for(village_cadre).get(stats_url(tree.village_a1.code))
    assert own.context["report"].total.figures.received == 6
    assert Kind.REPORT not in dict(own.context["report"].kinds)
    assert len(own.context["months"]) == 11  # a record a month, to this one
    county = client_for(county_officer).get(stats_url(tree.county.code))
    report = county.context["report"]
    assert report.total.figures.received == 8
    assert [row.region for row in report.townships] == [tree.town_a, tree.town_b]
    assert "青山镇" in county.content.decode() and "云岭镇" in county.content.decode()


def test_the_year_selector_offers_five_years_and_refuses_others(tree, township_commission):
    client = client_for(township_commission)
    assert client.get(stats_url(tree.town_a.code, 2022)).status_code == 200
    for year in ("2021", "2027", "x"):
        assert client.get(stats_url(tree.town_a.code) + f"?year={year}").status_code == 404
    assert Client().get(stats_url(tree.town_a.code)).status_code == 302


def test_the_staff_page_costs_the_same_queries_however_many_villages(
    tree, a1_cases, county_officer
):
    client = client_for(county_officer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(stats_url(tree.county.code)).status_code == 200
        return len(captured)

    few = queries()
    for n in range(20):
        village = region(f"3399011012{30 + n:02d}", f"新村{n}", RegionLevel.VILLAGE, tree.town_b)
        case(village, date(2026, 4, 1), answered_after=n % 15, rating=Rating.DISSATISFIED)
    assert queries() == few


# --- the monthly record -------------------------------------------------------------------


def flat(text: str) -> str:
    """The page's text with its line breaks as spaces (cells wrap)."""
    return " ".join(text.split())


def publish_one() -> None:
    with transaction.atomic():
        log_append(
            record_type="cadre_term",
            record_id="record-test",
            region_path="339901100201",
            content={"n": 1},
            published_at=datetime(2026, 1, 5, tzinfo=UTC),
        )
    checkpoint_sign()


def test_the_monthly_record_is_a_pdf_with_the_village_its_counts_and_the_checkpoint(
    tree, a1_cases, township_commission, settings
):
    settings.LANGUAGE_CODE = "en"  # the record is printed in the site's language
    publish_one()
    checkpoint = checkpoint_latest()
    assert checkpoint is not None
    response = client_for(township_commission).get(record_url(tree.village_a1.code, "2026-10"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    [page] = read_pdf(response.content)
    for text in ("上塘村", "青山镇", "2026-10", "339901100201"):
        assert text in page.text
    lines, text = page.lines, flat(page.text)
    assert "Cases received 7" in lines
    # The report counts for the commission: answered on time after 3 days.
    assert "Answered on time 4 of 7 due (57%)" in lines
    assert "Satisfaction (satisfied or basically satisfied) 4 of 4 rated (100%)" in lines
    assert "Median time to the first answer 3.0 days" in lines
    assert "By kind question 6, complaint 0, report of misconduct 1, suggestion 0" in text
    assert checkpoint_text(checkpoint.size, bytes(checkpoint.root)) in page.text
    assert "Households visited" in page.text  # a line the station fills in by hand


def test_a_village_record_leaves_reports_out(tree, a1_cases, supervisor, settings):
    settings.LANGUAGE_CODE = "en"
    response = client_for(supervisor).get(record_url(tree.village_a1.code, "2026-10"))
    [page] = read_pdf(response.content)
    assert "Cases received 6" in page.lines
    assert "Answered on time 3 of 6 due (50%)" in page.lines
    assert "Median time to the first answer 2.5 days" in page.lines
    assert "report of misconduct" not in page.text
    assert "counted by the discipline commission only" in flat(page.text)


@pytest.mark.parametrize("month", ["2026-12", "2026-13", "1999-12"])
def test_a_record_for_a_month_to_come_or_no_month_is_404(tree, township_commission, month):
    assert (
        client_for(township_commission).get(record_url(tree.village_a1.code, month)).status_code
        == 404
    )


def test_a_record_is_for_a_village_in_scope(tree, township_commission, outsider):
    assert (
        client_for(township_commission).get(record_url(tree.town_a.code, "2026-10")).status_code
        == 404
    )
    assert client_for(outsider).get(record_url(tree.village_a1.code, "2026-10")).status_code == 404
    assert Client().get(record_url(tree.village_a1.code, "2026-10")).status_code == 302
