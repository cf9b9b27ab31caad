"""The liaison station's monthly record drawn without a database: one A4 page, real text."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date

from django.utils import translation

from qinglian.appeals.models import Category
from qinglian.appeals.performance_record import Record, record_pdf, station_lines
from qinglian.appeals.stats import Figures
from qinglian.disclosures.tests.reading import read_pdf

FIGURES = Figures(
    received=7,
    by_kind=Counter(question=4, complaint=2, suggestion=1),
    by_category=Counter(finance=3, livelihood=2, land_dispute=2),
    answered=5,
    on_time=4,
    answered_late=1,
    overdue=1,
    still_open=2,
    escalated=2,
    reopened=1,
    ratings=Counter(satisfied=2, basically_satisfied=1, dissatisfied=1),
    days_to_answer=[1.5, 2, 3, 4, 9],
)
RECORD = Record(
    village_name="上塘村",
    village_code="339901100201",
    township_name="青山镇",
    month=date(2026, 10, 1),
    figures=FIGURES,
    all_cases=False,
    as_of=date(2026, 11, 22),
    checkpoint_size=4217,
    checkpoint_root=bytes(range(32)),
    checkpoint_url="https://qinglian.example.gov.cn/log/checkpoint",
    printed_on=date(2026, 11, 22),
)


def test_the_record_shows_the_month_s_figures_and_blank_lines_on_one_page():
    with translation.override("en"):
        pages = read_pdf(record_pdf(RECORD))
        blanks = station_lines()
    [page] = pages
    text = " ".join(page.text.split())
    for expected in (
        "上塘村, 青山镇 · month 2026-10",
        "Cases received 7",
        "By kind question 4, complaint 2, suggestion 1",
        "By category finance 3, land disputes 2, daily life 2",
        "Answered on time 4 of 6 due (67%)",
        "Answered late, or overdue without an answer 2",
        "Median time to the first answer 3 days",
        "Escalated for lateness 2",
        "Reopened by the villager 1",
        "Ratings satisfied 2, basically satisfied 1, dissatisfied 1",
        "3 of 4 rated (75%)",
        "4217 entries, root AAECAwQFBgcICQoL",
        "Printed on 2026-11-22",
    ):
        assert expected in text, expected
    for line in blanks:
        assert " ".join(line.split()) in text


def test_every_category_at_once_still_fits_one_page_in_chinese():
    every = replace(FIGURES, by_category=Counter(dict.fromkeys(Category.values, 1)))
    with translation.override("zh-hans"):
        pdf = record_pdf(replace(RECORD, figures=every, all_cases=True))
    [page] = read_pdf(pdf)
    assert "上塘村" in page.text
    assert b"+NotoSansSC" in pdf and len(pdf) < 100_000
