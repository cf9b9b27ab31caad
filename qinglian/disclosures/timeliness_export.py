"""The timeliness report as an Excel workbook: by village, by item, overdue now.

The same numbers as the page (built from the same ``TimelinessReport``). Call it
inside ``translation.override`` of the language wanted: headers, sheet names,
item titles and periods follow the active language. Text is written as text,
never as a formula, whatever it starts with.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

import xlsxwriter
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from qinglian.disclosures.calendar import Timeliness
from qinglian.disclosures.templatetags.disclosure_periods import period_label
from qinglian.disclosures.timeliness import TimelinessReport, VillageRow

EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's 1900 date system, as used after March 1900


def _count_headers() -> list[str]:
    return [
        pgettext("disclosure timeliness", "Due"),
        _("On time"),
        _("Late"),
        _("Overdue"),
        _("On-time rate"),
    ]


def _counts(counts: Timeliness) -> list[Any]:
    return [counts.due, counts.on_time, counts.late, counts.overdue, counts.rate]


def timeliness_xlsx(report: TimelinessReport, villages: Sequence[VillageRow]) -> bytes:
    """The workbook: ``villages`` in the order wanted, the items and what is overdue."""
    buffer = io.BytesIO()
    # Rows are written in order: constant memory, whatever the county's size.
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    header = workbook.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1})
    percent = workbook.add_format({"num_format": "0%"})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})

    def table(name: str, headers: list[str], widths: list[int], rows: list[list[Any]]) -> None:
        sheet = workbook.add_worksheet(name[:31])
        for column, (text, width) in enumerate(zip(headers, widths, strict=True)):
            sheet.set_column(column, column, width)
            sheet.write_string(0, column, text, header)
        sheet.freeze_panes(1, 0)
        for row_number, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):
                    sheet.write_string(row_number, column, value)
                elif isinstance(value, float):  # counts are whole: a float is a rate
                    sheet.write_number(row_number, column, value, percent)
                elif isinstance(value, date):  # as Excel's day number: much faster to write
                    sheet.write_number(row_number, column, (value - EXCEL_EPOCH).days, day)
                else:
                    sheet.write_number(row_number, column, value)
        if rows:
            sheet.autofilter(0, 0, len(rows), len(headers) - 1)

    table(
        _("By village"),
        [_("Village"), _("Township"), *_count_headers()],
        [14, 14, 8, 8, 8, 8, 10],
        [
            [
                row.village.name,
                row.village.parent.name if row.village.parent else "",
                *_counts(row.counts),
            ]
            for row in villages
        ],
    )
    table(
        _("By item"),
        [_("Item code"), _("Item"), *_count_headers(), _("Villages that missed it")],
        [10, 40, 8, 8, 8, 8, 10, 12],
        [[row.code, row.title, *_counts(row.counts), row.villages_missed] for row in report.items],
    )
    labels = {key: period_label(key) for key in {line.period_key for line in report.overdue}}
    table(
        _("Overdue"),
        [_("Village"), _("Item code"), _("Item"), _("Period"), _("Due on"), _("Days overdue")],
        [14, 10, 40, 16, 12, 10],
        [
            [
                line.village.name,
                line.code,
                line.title,
                labels[line.period_key],
                line.due_on,
                line.days_overdue,
            ]
            for line in report.overdue
        ],
    )
    workbook.close()
    return buffer.getvalue()
