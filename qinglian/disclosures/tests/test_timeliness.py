"""Timeliness of a township: by village, by item, overdue now; the chart and the workbook."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext, pgettext
from python_calamine import CalamineWorkbook

from conftest import client_for
from qinglian.directory.factories import region
from qinglian.directory.models import RegionLevel
from qinglian.disclosures import timeliness_views
from qinglian.disclosures.calendar import Timeliness
from qinglian.disclosures.charts import BAR_WIDTH, timeliness_bars
from qinglian.disclosures.tests.test_calendar import publish_on
from qinglian.disclosures.timeliness import timeliness_report, villages_sorted

TODAY = date(2025, 5, 15)
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def published(tree):
    """In township A up to 15 May 2025: A1 publishes two items on time and one late; A2
    publishes nothing."""
    a1 = tree.village_a1
    publish_on(a1, "VA15", period="2025-Q1", at=datetime(2025, 4, 18, 2, tzinfo=UTC))
    publish_on(a1, "VA02", at=datetime(2025, 1, 2, 2, tzinfo=UTC))
    publish_on(a1, "VA16", period="2025-Q1", at=datetime(2025, 4, 25, 2, tzinfo=UTC))
    return tree


def test_counts_by_village_and_by_item_and_what_is_overdue(published):
    tree = published
    report = timeliness_report(tree.town_a, 2025, today=TODAY)
    assert (report.first, report.last) == (date(2025, 1, 1), TODAY)
    rows = {row.village.code: row.counts for row in report.villages}
    assert set(rows) == {tree.village_a1.code, tree.village_a2.code}  # not B1: another township
    a1, a2 = rows[tree.village_a1.code], rows[tree.village_a2.code]
    assert a1.due == a2.due > 3
    assert (a1.on_time, a1.late, a1.overdue) == (2, 1, a1.due - 3)
    assert (a2.on_time, a2.late, a2.overdue) == (0, 0, a2.due)
    assert report.total.due == a1.due + a2.due
    items = {row.code: row for row in report.items}
    # Quarterly: 2024-Q4 (due 20 January) and 2025-Q1 (due 20 April) in both villages.
    assert (items["VA16"].counts.due, items["VA16"].counts.late) == (4, 1)
    assert (items["VA16"].counts.overdue, items["VA16"].villages_missed) == (3, 2)
    assert (items["VA15"].counts.on_time, items["VA15"].counts.overdue) == (1, 3)
    assert items["VA02"].villages_missed == 1  # standing: A1 published it, A2 did not
    missed = [row.missed for row in report.items]
    assert missed == sorted(missed, reverse=True)  # most often missed first
    a2_va15 = next(
        line
        for line in report.overdue
        if line.village == tree.village_a2 and line.code == "VA15" and line.period_key == "2025-Q1"
    )
    assert (a2_va15.due_on, a2_va15.days_overdue) == (date(2025, 4, 20), 25)
    dated = [line.due_on for line in report.overdue if line.due_on]
    assert dated == sorted(dated)  # longest overdue first; standing items (no date) last
    assert report.overdue[-1].due_on is None and report.overdue[-1].days_overdue is None


def test_villages_sort_worst_first_most_overdue_first_or_by_code(published):
    tree = published
    rows = timeliness_report(tree.town_a, 2025, today=TODAY).villages
    assert villages_sorted(rows, "worst")[0].village == tree.village_a2
    assert villages_sorted(rows, "overdue")[0].village == tree.village_a2
    assert villages_sorted(rows, "code")[0].village == tree.village_a1


def test_a_year_not_yet_begun_has_nothing_due_and_a_past_year_counts_to_december(tree):
    assert timeliness_report(tree.town_a, 2025, today=date(2024, 12, 1)).total.due == 0
    past = timeliness_report(tree.town_a, 2024, today=TODAY)
    assert past.last == date(2024, 12, 31) and past.total.due > 0


# --- the chart ------------------------------------------------------------------------


def test_bar_widths_follow_the_counts():
    chart = timeliness_bars(
        [("上塘村", Timeliness(due=8, on_time=5, late=2, overdue=1)), ("空村", Timeliness())],
        title="t",
    )
    full, empty = chart.bars
    assert [(s.count, s.width) for s in full.segments] == [(5, 125.0), (2, 50.0), (1, 25.0)]
    assert [s.x for s in full.segments] == [100.0, 225.0, 275.0]  # side by side
    assert full.rate_text == "62%" and empty.rate_text == "—" and not empty.segments


def chart_of(html: str) -> ET.Element:
    match = re.search(r"<svg xmlns=.*?</svg>", html, re.DOTALL)
    assert match, "no inline chart"
    return ET.fromstring(match[0])  # noqa: S314 (our own page, under test)


def test_the_page_draws_each_village_from_the_table_numbers(published, township_commission):
    tree = published
    with time_machine.travel(datetime(2025, 5, 15, 2, tzinfo=UTC)):
        response = client_for(township_commission).get(
            f"/work/disclosures/{tree.town_a.code}/timeliness/"
        )
    assert response.status_code == 200
    html = response.content.decode()
    report = timeliness_report(tree.town_a, 2025, today=TODAY)
    counts = {row.village.name: row.counts for row in report.villages}
    svg = chart_of(html)
    assert svg.get("role") == "img" and svg.find(f"{SVG}title") is not None
    bars = svg.findall(f"{SVG}g")
    # Worst first, as in the table: A2 published nothing.
    assert [bar.get("data-village") for bar in bars] == ["下塘村", "上塘村"]
    for bar in bars:
        village = counts[bar.get("data-village") or ""]
        parts = {
            rect.get("data-status"): (
                int(rect.get("data-count") or 0),
                float(rect.get("width") or 0),
            )
            for rect in bar.findall(f"{SVG}rect")
            if rect.get("data-status")
        }
        expected = {"published": village.on_time, "late": village.late, "overdue": village.overdue}
        assert {status: count for status, (count, _) in parts.items()} == {
            status: n for status, n in expected.items() if n
        }
        for count, width in parts.values():
            assert width == pytest.approx(BAR_WIDTH * count / village.due, abs=0.01)
        assert bar.find(f"{SVG}title") is not None  # each bar says its numbers
    assert "上塘村" in html and f"{counts['上塘村'].overdue}" in html
    assert "FA01" in html  # by item
    # What is overdue, village by village, longest overdue first.
    overdue = {group.village.name: group for group in response.context["overdue"]}
    assert overdue["下塘村"].total == counts["下塘村"].overdue
    oldest = overdue["下塘村"].lines[0]
    assert oldest.due_on == date(2025, 1, 10)  # December's monthly list
    assert f'<td class="num">{oldest.days_overdue}</td>' in html


def test_long_lists_are_cut_on_the_page_and_the_worst_villages_come_first(
    published, township_commission, monkeypatch
):
    monkeypatch.setattr(timeliness_views, "VILLAGES_SHOWN", 1)
    monkeypatch.setattr(timeliness_views, "LINES_SHOWN", 2)
    with time_machine.travel(datetime(2025, 5, 15, 2, tzinfo=UTC)):
        response = client_for(township_commission).get(
            f"/work/disclosures/{published.town_a.code}/timeliness/"
        )
    [group] = response.context["overdue"]
    assert group.village == published.village_a2 and len(group.lines) == 2
    assert group.more == group.total - 2 > 0
    assert response.context["overdue_villages_more"] == 1


def test_a_village_sees_its_own_items_but_not_its_township(tree, village_cadre):
    cadre = client_for(village_cadre)
    own = cadre.get(f"/work/disclosures/{tree.village_a1.code}/timeliness/")
    assert own.status_code == 200 and "上塘村" in own.content.decode()
    assert cadre.get(f"/work/disclosures/{tree.town_a.code}/timeliness/").status_code == 404
    assert cadre.get(f"/work/disclosures/{tree.village_a2.code}/timeliness/").status_code == 404


def test_a_township_is_refused_another_township_and_a_year_not_offered(tree, township_commission):
    client = client_for(township_commission)
    assert client.get(f"/work/disclosures/{tree.town_b.code}/timeliness/").status_code == 404
    page = f"/work/disclosures/{tree.town_a.code}/timeliness/"
    assert client.get(page, {"year": "1999"}).status_code == 404
    assert client.get(page, {"year": "abc"}).status_code == 404
    with time_machine.travel(datetime(2025, 5, 15, 2, tzinfo=UTC)):
        assert client.get(page, {"year": "2024"}).status_code == 200
        assert client.get(page + "?sort=nonsense").status_code == 200  # falls back to worst


def test_workbench_and_village_page_link_to_the_timeliness(tree, township_commission):
    client = client_for(township_commission)
    town = client.get(f"/work/regions/{tree.town_a.code}/").content.decode()
    assert f"/work/disclosures/{tree.town_a.code}/timeliness/" in town
    village = client.get(f"/work/disclosures/{tree.village_a1.code}/").content.decode()
    assert f"/work/disclosures/{tree.village_a1.code}/timeliness/" in village


def test_queries_do_not_grow_with_the_villages(tree, township_commission):
    publish_on(tree.village_a1, "VA15", period="2025-Q1", at=datetime(2025, 4, 18, tzinfo=UTC))
    client = client_for(township_commission)
    client.get("/work/")  # the session and the user are loaded once before counting
    urls = [
        f"/work/disclosures/{tree.town_a.code}/timeliness/",
        f"/work/disclosures/{tree.town_a.code}/timeliness.xlsx",
    ]

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, {"year": "2025"}).status_code == 200
            found.append(len(queries))
        return found

    with time_machine.travel(datetime(2025, 5, 15, 2, tzinfo=UTC)):
        with_two = counts()
        for number in range(18):
            village = region(
                f"3399011002{number + 10:02d}", f"新村{number}", RegionLevel.VILLAGE, tree.town_a
            )
            publish_on(village, "VA16", period="2025-Q1", at=datetime(2025, 4, 25, tzinfo=UTC))
        with_twenty = counts()
    assert with_two == with_twenty == [9, 8]


# --- the workbook ---------------------------------------------------------------------


def number(cell: object) -> int:
    """A count as read back (calamine gives numbers as floats)."""
    return int(float(str(cell)))


def test_the_workbook_has_the_same_numbers_in_chinese(published, township_commission):
    tree = published
    with time_machine.travel(datetime(2025, 5, 15, 2, tzinfo=UTC)):
        response = client_for(township_commission).get(
            f"/work/disclosures/{tree.town_a.code}/timeliness.xlsx", {"year": "2025"}
        )
    assert response.status_code == 200
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    assert "timeliness-339901100000-2025.xlsx" in response["Content-Disposition"]
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    with translation.override("zh-hans"):
        names = [gettext("By village"), gettext("By item"), gettext("Overdue")]
        due = pgettext("disclosure timeliness", "Due")
        village_header = gettext("Village")
    assert book.sheet_names == names
    assert names[0] == "按村统计" and names[2] == "逾期"
    by_village = book.get_sheet_by_name(names[0]).to_python()
    assert by_village[0][:3] == [village_header, gettext("Township"), due]
    assert village_header == "村"
    report = timeliness_report(tree.town_a, 2025, today=TODAY)
    expected = {
        row.village.name: [row.counts.due, row.counts.on_time, row.counts.late, row.counts.overdue]
        for row in report.villages
    }
    assert {row[0]: [number(n) for n in row[2:6]] for row in by_village[1:]} == expected
    assert [row[0] for row in by_village[1:]] == ["下塘村", "上塘村"]  # worst first
    assert by_village[1][6] == 0.0  # A2: nothing on time
    by_item = book.get_sheet_by_name(names[1]).to_python()
    assert by_item[0][1] == "事项"
    va16 = next(row for row in by_item if row[0] == "VA16")
    # The title in Chinese; both villages missed it.
    assert "特困" in str(va16[1]) and number(va16[-1]) == 2
    overdue = book.get_sheet_by_name(names[2]).to_python()
    assert overdue[0][4] == "截止日期"
    a2_va15 = [row for row in overdue if row[0] == "下塘村" and row[1] == "VA15"]
    assert [(str(row[4])[:10], number(row[5])) for row in a2_va15] == [
        ("2025-01-20", 115),  # 2024-Q4
        ("2025-04-20", 25),  # 2025-Q1
    ]
    assert len(overdue) - 1 == len(report.overdue)
