"""The ledger file formats: template, reader, error workbook. No database."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from datetime import date

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from qinglian.core.errors import DomainError
from qinglian.finance.spreadsheet import (
    COLUMNS,
    ERROR_COLUMN,
    NOTES_SHEET,
    OPTIONAL_COLUMNS,
    POWER_MATTER,
    error_workbook_xlsx,
    ledger_template_xlsx,
    read_ledger,
)

ROW = (
    "2025-03-05",
    "1",
    "支付路灯维修费",
    "541",
    "管理费用",
    "借",
    "1,280.00",
    "",
    "转账",
    "",
    "",
    "李明",
    "",
    "",
)


def xlsx(rows: Sequence[Sequence[object]], *, start_row: int = 0) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("凭证")
    for index, row in enumerate(rows):
        for column, value in enumerate(row):
            if isinstance(value, date):
                sheet.write_datetime(
                    start_row + index,
                    column,
                    value,
                    workbook.add_format({"num_format": "yyyy-mm-dd"}),
                )
            elif value is not None:
                sheet.write(start_row + index, column, value)
    workbook.close()
    return buffer.getvalue()


def csv_bytes(rows: list[tuple[str, ...]], encoding: str) -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows(rows)  # quotes 1,280.00 as Excel does
    return text.getvalue().encode(encoding)


def sheet_rows(content: bytes, index: int = 0) -> list[list[object]]:
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return [list(row) for row in workbook.get_sheet_by_index(index).to_python(False)]


def refusal(content: bytes, name: str = "ledger.xlsx") -> str:
    with pytest.raises(DomainError) as caught:
        read_ledger(content, name)
    assert caught.value.field == "file"
    return caught.value.message


# --- the template ---------------------------------------------------------------


def test_template_has_the_headers_in_order_and_a_notes_sheet():
    content = ledger_template_xlsx()
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    assert workbook.sheet_names == ["凭证", NOTES_SHEET]
    assert tuple(sheet_rows(content)[0]) == COLUMNS
    notes = sheet_rows(content, 1)
    explained = [row[0] for row in notes[1 : len(COLUMNS) + 1]]
    assert explained == list(COLUMNS)
    assert all(row[2] for row in notes[1 : len(COLUMNS) + 1])  # each column has its explanation


def test_template_has_the_optional_power_matter_column_with_its_note():
    content = ledger_template_xlsx()
    assert sheet_rows(content)[0][-1] == POWER_MATTER == "权力事项编号"
    assert POWER_MATTER in OPTIONAL_COLUMNS
    notes = {row[0]: row[1:4] for row in sheet_rows(content, 1)[1:]}
    required, text, example = notes[POWER_MATTER]
    assert required == "可不填"
    assert "已决策或已办结" in str(text) and "一张凭证只对应一个事项" in str(text)
    assert example == "12"
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        comments = "".join(
            archive.read(name).decode() for name in archive.namelist() if "comments" in name
        )
    assert "权力事项的编号" in comments  # the header's comment explains it too


def test_template_formats_dates_amounts_and_keeps_codes_as_text():
    with zipfile.ZipFile(io.BytesIO(ledger_template_xlsx())) as archive:
        styles = archive.read("xl/styles.xml").decode()
    assert 'formatCode="yyyy-mm-dd"' in styles
    assert 'formatCode="#,##0.00"' in styles
    assert 'formatCode="@"' in styles
    assert "<b/>" in styles  # bold header cells


def test_template_round_trips_through_the_reader(english):
    # The header is accepted (no "does not follow the template"): only the rows are missing.
    assert "only the header row" in refusal(ledger_template_xlsx())


def test_template_filled_in_reads_back_in_template_order():
    content = xlsx(
        [list(COLUMNS), [date(2025, 3, 5), 1, "支付路灯维修费", "541", "管理费用", "借", 1280.5]]
    )
    ledger = read_ledger(content, "march.xlsx")
    assert ledger.format == "xlsx"
    records = list(ledger.records())
    assert len(records) == 1
    number, cells = records[0]
    assert number == 2
    assert len(cells) == len(COLUMNS)
    assert cells[:7] == (date(2025, 3, 5), 1.0, "支付路灯维修费", "541", "管理费用", "借", 1280.5)


# --- reading --------------------------------------------------------------------


def test_corrupt_xlsx_is_refused(english):
    content = ledger_template_xlsx()
    damaged = content[:200] + b"\x00" * 300 + content[500:]
    assert "damaged or not a real spreadsheet" in refusal(damaged)
    assert "damaged or not a real spreadsheet" in refusal(content[: len(content) // 2])


def test_corrupt_xls_is_refused(english):
    fake_xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000
    assert "damaged or not a real spreadsheet" in refusal(fake_xls, "ledger.xls")


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)),
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nstream\n\x00\x01\x02\x03",
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
    ],
    ids=["png", "pdf", "jpeg"],
)
def test_a_picture_or_pdf_renamed_xlsx_is_not_a_spreadsheet(english, content):
    assert "not a spreadsheet" in refusal(content, "ledger.xlsx")


def test_a_zip_that_is_no_workbook_is_not_a_spreadsheet(english):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "not a spreadsheet" in refusal(buffer.getvalue(), "ledger.xlsx")


def test_a_zip_bomb_is_refused_before_parsing(english):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (20 * 1024 * 1024))
    assert "too large once unpacked" in refusal(buffer.getvalue())


def test_wrong_template_names_the_missing_and_unexpected_columns(english):
    header = [c for c in COLUMNS if c != "金额"] + ["备注"]
    message = refusal(xlsx([header, ["2025-03-05", 1, "x"]]))
    assert "does not follow the ledger template" in message
    assert "missing column(s): 金额" in message
    assert "unexpected column(s): 备注" in message


def test_a_repeated_column_is_a_wrong_template(english):
    message = refusal(xlsx([[*COLUMNS, "摘要"], list(ROW)]))
    assert "repeated column(s): 摘要" in message


def test_headers_tolerate_spaces_order_and_missing_optional_columns():
    wanted = [c for c in COLUMNS if c not in ("科目名称", "合同编号", "权力事项编号")]
    header = [f"  {c} " for c in reversed(wanted)]
    values = dict(zip(COLUMNS, ROW, strict=True))
    row = [values[c] for c in reversed(wanted)]
    ledger = read_ledger(xlsx([header, row]))
    ((number, cells),) = list(ledger.records())
    assert number == 2
    by_column = dict(zip(COLUMNS, cells, strict=True))
    assert by_column["摘要"] == "支付路灯维修费"
    assert by_column["金额"] == "1,280.00"
    assert by_column["科目名称"] == ""
    assert by_column["合同编号"] == ""
    assert by_column["权力事项编号"] == ""


def test_rows_keep_their_spreadsheet_numbers_past_blank_rows_and_a_title():
    rows: list[list[object]] = [
        ["上塘村2025年3月凭证"],
        [],
        list(COLUMNS),
        list(ROW),
        [],
        [None, None, "   "],
        [ROW[0], "2", *ROW[2:]],
    ]
    ledger = read_ledger(xlsx(rows))
    assert ledger.header_row == 3
    assert [number for number, _cells in ledger.records()] == [4, 7]


@pytest.mark.parametrize(
    "content",
    [b"", xlsx([]), xlsx([[], [None, ""]]), csv_bytes([], "utf-8"), b"\r\n\r\n"],
    ids=["no-bytes", "empty-sheet", "blank-rows", "empty-csv", "blank-csv"],
)
def test_an_empty_file_is_refused(english, content):
    assert "empty" in refusal(content)


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_header_without_rows_is_refused(english, kind):
    content = xlsx([list(COLUMNS)]) if kind == "xlsx" else csv_bytes([COLUMNS], "utf-8")
    assert "only the header row" in refusal(content)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_csv_is_read_in_each_encoding_excel_saves(encoding):
    content = csv_bytes([COLUMNS, ROW], encoding)
    ledger = read_ledger(content, "march.csv")
    assert ledger.format == "csv"
    assert list(ledger.records()) == [(2, ROW)]


def test_csv_is_told_by_its_bytes_not_its_name():
    content = csv_bytes([COLUMNS, ROW], "gb18030")
    assert read_ledger(content, "march.xlsx").format == "csv"


def test_tab_separated_text_is_read():
    content = "\n".join("\t".join(row) for row in (COLUMNS, ROW)).encode("utf-8")
    assert [cells for _n, cells in read_ledger(content).records()] == [ROW]


def test_csv_in_an_unknown_encoding_is_refused(english):
    content = "日期,凭证号\n".encode() + b"\x81\x30\xff\xfe\x00"
    assert "not a spreadsheet" in refusal(content, "march.csv") or "could not be read" in refusal(
        content, "march.csv"
    )


def test_an_html_table_saved_as_xls_is_explained(english):
    content = b"<html><body><table><tr><td>\xe6\x97\xa5\xe6\x9c\x9f</td></tr></table></body></html>"
    assert "web page" in refusal(content, "export.xls")


# --- the error workbook -----------------------------------------------------------


def test_error_workbook_adds_the_error_column_and_keeps_every_row():
    rows = [
        (1, COLUMNS),
        (2, (date(2025, 3, 5), 1.0, "支付", "541", "", "借", 100.0, "", "", "", "", "", "")),
        (
            3,
            (
                date(2025, 3, 5),
                1.0,
                '=HYPERLINK("x")',
                "999",
                "",
                "贷",
                100.0,
                "",
                "",
                "",
                "",
                "",
                "",
            ),
        ),
        (5, ("2025-03-40", "2", "收租", "102", "", "借", "50", "", "", "", "", "", "")),
    ]
    content = error_workbook_xlsx(
        rows, {3: ["科目编码：没有这个科目"], 5: ["日期：不是日期", "金额：x"]}
    )
    read = sheet_rows(content)
    assert read[0] == [*COLUMNS, ERROR_COLUMN]
    assert read[1][:3] == [date(2025, 3, 5), 1.0, "支付"]
    assert read[1][-1] == ""
    assert read[2][2] == '=HYPERLINK("x")'  # kept as text, never a formula
    assert read[2][-1] == "科目编码：没有这个科目"
    assert read[3] == [""] * (len(COLUMNS) + 1)  # row 4 was blank in the upload
    assert read[4][:3] == ["2025-03-40", "2", "收租"]
    assert read[4][-1] == "日期：不是日期；金额：x"


def test_error_workbook_highlights_error_cells_and_lists_file_errors_below():
    rows = [(1, COLUMNS), (2, ROW)]
    content = error_workbook_xlsx(rows, {2: ["金额：x"], None: ["凭证号：缺少 3"]})
    read = sheet_rows(content)
    assert read[-1][-1] == "凭证号：缺少 3"
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        styles = archive.read("xl/styles.xml").decode()
    assert "FFFFC7CE" in styles
