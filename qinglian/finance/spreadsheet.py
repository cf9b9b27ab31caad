"""The ledger file formats: the template, reading an upload, the error workbook. No database.

One row of the ledger sheet is one voucher line. The Chinese column headers are
the file format itself (bookkeepers fill them in Excel or WPS), so they are data
constants here, not translated strings; messages to the user go through gettext.

Reading is python-calamine for .xlsx/.xls/.ods (about eight times faster than
openpyxl on large sheets) and the csv module for .csv (UTF-8 with or without a
BOM, or GB18030 as Chinese Excel saves it). The format is told by the file's
bytes, never by its name alone, and any failure of a parser means "not a
readable spreadsheet": the caller only ever sees a ``DomainError``.
"""

from __future__ import annotations

import csv
import io
import itertools
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from operator import itemgetter
from typing import Any

import xlsxwriter
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook, PasswordError

from qinglian.core.errors import DomainError

# --- the template's columns (the file format) -----------------------------------

DATE = "日期"
NUMBER = "凭证号"
SUMMARY = "摘要"
SUBJECT_CODE = "科目编码"
SUBJECT_NAME = "科目名称"
DIRECTION = "方向"
AMOUNT = "金额"
ACCOUNT = "资金账户"
PAYMENT_METHOD = "结算方式"
COUNTERPARTY_NAME = "对方名称"
COUNTERPARTY_CODE = "对方证件号或信用代码"
HANDLER = "经手人"
CONTRACT = "合同编号"
POWER_MATTER = "权力事项编号"

COLUMNS: tuple[str, ...] = (
    DATE,
    NUMBER,
    SUMMARY,
    SUBJECT_CODE,
    SUBJECT_NAME,
    DIRECTION,
    AMOUNT,
    ACCOUNT,
    PAYMENT_METHOD,
    COUNTERPARTY_NAME,
    COUNTERPARTY_CODE,
    HANDLER,
    CONTRACT,
    POWER_MATTER,
)
OPTIONAL_COLUMNS = frozenset({SUBJECT_NAME, CONTRACT, POWER_MATTER})
ERROR_COLUMN = "错误"

DEBIT_WORD = "借"
CREDIT_WORD = "贷"
PAYMENT_WORDS = ("现金", "转账", "村务卡")
TEMPLATE_SHEET = "凭证"
NOTES_SHEET = "说明"

# What each column holds, for the notes sheet of the template (part of the format).
_COLUMN_NOTES: dict[str, tuple[str, str, str]] = {
    DATE: (
        "必填",
        "记账日期，须在导入的月份之内；用日期格式或 2025-03-05 这样的文字。",
        "2025-03-05",
    ),
    NUMBER: ("必填", "凭证号，本月从 1 起连续编号；同一张凭证的各行写同一个号，且放在一起。", "1"),
    SUMMARY: ("必填", "摘要，说明这笔钱的用途或来源，最多 200 字。", "支付村道路灯维修费"),
    SUBJECT_CODE: (
        "必填",
        "会计科目编码，按《村集体经济组织会计制度》科目表，或本村设立的明细科目。",
        "541",
    ),
    SUBJECT_NAME: (
        "可不填",
        "科目名称；填写时须与科目编码对应，用于核对编码有没有填错。",
        "管理费用",
    ),
    DIRECTION: ("必填", "借 或 贷。每张凭证借方合计须等于贷方合计。", "借"),
    AMOUNT: ("必填", "金额，元，正数，最多两位小数。", "1280.00"),
    ACCOUNT: (
        "现金、银行存款科目必填",
        "资金账户名称，与系统中登记的账户名称一致；该科目下只有一个账户时可不填。",
        "农商银行基本户",
    ),
    PAYMENT_METHOD: ("可不填", "现金、转账 或 村务卡。", "转账"),
    COUNTERPARTY_NAME: ("可不填", "收款或付款的单位或个人名称。", "青山建材有限公司"),
    COUNTERPARTY_CODE: (
        "可不填",
        "对方为个人时填 18 位身份证号，为单位时填 18 位统一社会信用代码；须已在系统中登记。",
        "91339901MA2XXXXXXX",
    ),
    HANDLER: ("可不填", "经手人姓名。", "李明"),
    CONTRACT: ("可不填", "相关合同的编号，须是本村已登记的合同。", "HT-2025-003"),
    POWER_MATTER: (
        "可不填",
        "批准这笔收支的权力事项的编号（事项页面上显示的编号），须是本村已决策或已办结的事项；"
        "一张凭证只对应一个事项，编号写在其中一行或每行写同一个。达到规定金额（默认 5 万元）"
        "的支出不填时，月度报表会提示缺少已决策的权力事项。",
        "12",
    ),
}

# Limits on what is read: a month's ledger is far below them; a zip bomb is not.
MAX_DATA_ROWS = 200_000
MAX_ZIP_ENTRIES = 1_000
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
_HEADER_SEARCH_ROWS = 10

Cell = str | int | float | bool | date | datetime | time | timedelta | None

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_BINARY_BYTES = frozenset(range(0, 9)) | frozenset(range(14, 27)) | frozenset(range(28, 32))


def _normalise_header(value: Cell) -> str:
    if not isinstance(value, str):
        return "" if value is None else str(value).strip()
    return "".join(value.split())  # drops surrounding (and stray inner) spaces, also U+3000


# --- reading ----------------------------------------------------------------------


@dataclass
class LedgerRows:
    """An uploaded ledger, checked for its header; the data rows are read as they are used.

    ``rows`` yields ``(row_number, cells)``: the 1-based row number as the
    spreadsheet shows it, and the raw cells in the file's own column order.
    ``records()`` yields the same rows with the cells in template order
    (``COLUMNS``), an absent optional column reading as an empty string.
    """

    format: str  # "xlsx", "xls", "ods" or "csv"
    header_row: int
    header: tuple[Cell, ...]
    positions: tuple[int | None, ...]  # per template column, its index in a file row
    rows: Iterator[tuple[int, tuple[Cell, ...]]]

    def records(self) -> Iterator[tuple[int, tuple[Cell, ...]]]:
        positions = self.positions
        if positions == tuple(range(len(COLUMNS))):
            width = len(COLUMNS)
            for number, cells in self.rows:
                if len(cells) == width:
                    yield number, cells
                else:
                    yield number, (*cells, *("",) * width)[:width]
            return
        spare = max(p for p in positions if p is not None) + 1
        pick = itemgetter(*(spare if p is None else p for p in positions))
        padding = ("",) * (spare + 1)
        for number, cells in self.rows:
            if len(cells) <= spare:
                cells = (*cells, *padding)[: spare + 1]
            yield number, pick(cells)


def read_ledger(content: bytes, file_name: str = "") -> LedgerRows:
    """Open an uploaded ledger and check its header row.

    Raises ``DomainError(field="file")`` for a file that is not a readable
    spreadsheet, does not follow the template, or holds no data row.
    """
    kind = detect_format(content)
    raw_rows = _csv_rows(content) if kind == "csv" else _workbook_rows(content, kind)
    return _with_header(kind, raw_rows)


def detect_format(content: bytes) -> str:
    """``xlsx``, ``ods``, ``xls`` or ``csv``, told by the bytes; refuses anything else."""
    if not content:
        raise DomainError(_("The file is empty."), field="file")
    if content.startswith(_ZIP_MAGIC):
        return _zip_format(content)
    if content.startswith(_OLE_MAGIC):
        return "xls"
    head = content[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "csv"  # UTF-16 text, as Excel's "Unicode text" saves it
    if any(byte in _BINARY_BYTES for byte in head):
        raise DomainError(_not_a_spreadsheet(), field="file")
    if head.lstrip().lower().startswith((b"<!doctype html", b"<html", b"<?xml", b"<table")):
        raise DomainError(
            _(
                "This file is a web page saved with a spreadsheet name, not a real spreadsheet. "
                "Open it in Excel or WPS, save it as .xlsx, and upload that."
            ),
            field="file",
        )
    return "csv"


def _not_a_spreadsheet() -> str:
    return _(
        "This file is not a spreadsheet. Upload the ledger as an Excel file (.xlsx or .xls), "
        "an .ods file or a CSV file made from the template."
    )


def _corrupt() -> str:
    return _(
        "The file could not be read: it is damaged or not a real spreadsheet. Open it in Excel "
        "or WPS, save it again as .xlsx, and upload that."
    )


def _zip_format(content: bytes) -> str:
    """Check a zip's entries before any parser sees it (zip bombs), and tell xlsx from ods."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise DomainError(_corrupt(), field="file") from None
    total = sum(entry.file_size for entry in entries)
    too_compressed = any(
        entry.file_size > 1024 * 1024
        and entry.file_size > MAX_COMPRESSION_RATIO * max(entry.compress_size, 1)
        for entry in entries
    )
    if len(entries) > MAX_ZIP_ENTRIES or total > MAX_UNCOMPRESSED_BYTES or too_compressed:
        raise DomainError(
            _("The file is too large once unpacked. Split the ledger into smaller files."),
            field="file",
        )
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return "xlsx"
    if "content.xml" in names and "mimetype" in names:
        return "ods"
    raise DomainError(_not_a_spreadsheet(), field="file")


def _workbook_rows(content: bytes, kind: str) -> Iterator[tuple[int, tuple[Cell, ...]]]:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        if not workbook.sheet_names:
            raise DomainError(_("The file holds no sheet."), field="file")
        sheet = workbook.get_sheet_by_index(0)
        rows = sheet.iter_rows()
    except DomainError:
        raise
    except PasswordError:
        raise DomainError(
            _("The file is protected by a password. Save it without a password and upload again."),
            field="file",
        ) from None
    except Exception:  # any parser failure means an unreadable file (security.md §3.9)
        raise DomainError(_corrupt(), field="file") from None
    return _guarded(enumerate(map(tuple, rows), start=1))


def _guarded(
    rows: Iterator[tuple[int, tuple[Cell, ...]]],
) -> Iterator[tuple[int, tuple[Cell, ...]]]:
    try:
        yield from rows
    except Exception:
        raise DomainError(_corrupt(), field="file") from None


def _csv_rows(content: bytes) -> Iterator[tuple[int, tuple[Cell, ...]]]:
    text = _decode_text(content)
    first_line = text[: text.find("\n")] if "\n" in text else text
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return _guarded(enumerate(map(tuple, reader), start=1))


def _decode_text(content: bytes) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        encodings: tuple[str, ...] = ("utf-8-sig",)
    elif content.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise DomainError(
        _(
            "The text of this CSV file could not be read. Save it from Excel as "
            '"CSV UTF-8" (or as .xlsx) and upload again.'
        ),
        field="file",
    )


def _is_blank(cells: tuple[Cell, ...]) -> bool:
    # A plain loop: a filled row is told by its first cell, without a generator per row.
    for cell in cells:
        if cell is None:
            continue
        if type(cell) is str and not cell.strip():
            continue
        return False
    return True


def _with_header(kind: str, raw_rows: Iterator[tuple[int, tuple[Cell, ...]]]) -> LedgerRows:
    header_number = 0
    header: tuple[Cell, ...] = ()
    first_filled: tuple[int, tuple[Cell, ...]] | None = None
    known = set(COLUMNS)
    for number, cells in raw_rows:
        if _is_blank(cells):
            continue
        if first_filled is None:
            first_filled = (number, cells)
        if any(_normalise_header(cell) in known for cell in cells):
            header_number, header = number, cells
            break
        if number >= _HEADER_SEARCH_ROWS:
            break
    if first_filled is None:
        raise DomainError(
            _("The file is empty: it holds no header row and no ledger rows."), field="file"
        )
    if not header:
        header_number, header = first_filled
    positions = _header_positions(header)
    data = _data_rows(raw_rows)
    first = next(data, None)
    if first is None:
        raise DomainError(
            _(
                "The file holds only the header row and no ledger rows. Fill in one row per "
                "voucher line under the header."
            ),
            field="file",
        )
    return LedgerRows(
        format=kind,
        header_row=header_number,
        header=header,
        positions=positions,
        rows=itertools.chain((first,), data),
    )


def _header_positions(header: tuple[Cell, ...]) -> tuple[int | None, ...]:
    found: dict[str, int] = {}
    unexpected: list[str] = []
    repeated: list[str] = []
    for index, cell in enumerate(header):
        name = _normalise_header(cell)
        if not name:
            continue
        if name not in COLUMNS:
            unexpected.append(name)
        elif name in found:
            repeated.append(name)
        else:
            found[name] = index
    missing = [name for name in COLUMNS if name not in found and name not in OPTIONAL_COLUMNS]
    problems = []
    if missing:
        problems.append(_("missing column(s): %(columns)s") % {"columns": "、".join(missing)})
    if unexpected:
        problems.append(_("unexpected column(s): %(columns)s") % {"columns": "、".join(unexpected)})
    if repeated:
        problems.append(_("repeated column(s): %(columns)s") % {"columns": "、".join(repeated)})
    if problems:
        raise DomainError(
            _(
                "The file does not follow the ledger template (%(problems)s). Download the "
                "template and copy your rows into it, keeping its header row."
            )
            % {"problems": "; ".join(problems)},
            field="file",
        )
    return tuple(found.get(name) for name in COLUMNS)


def _data_rows(
    raw_rows: Iterator[tuple[int, tuple[Cell, ...]]],
) -> Iterator[tuple[int, tuple[Cell, ...]]]:
    count = 0
    for number, cells in raw_rows:
        if _is_blank(cells):
            continue
        count += 1
        if count > MAX_DATA_ROWS:
            raise DomainError(
                _(
                    "The file has more than %(limit)d rows. Split the month into smaller files "
                    "or ask the county office for help."
                )
                % {"limit": MAX_DATA_ROWS},
                field="file",
            )
        yield number, cells


# --- the template -----------------------------------------------------------------

_TEMPLATE_ROWS = 5000  # rows prepared with formats and drop-down lists
_WIDTHS = (12, 8, 30, 10, 14, 6, 14, 16, 10, 22, 22, 10, 14, 14)


def ledger_template_xlsx() -> bytes:
    """The empty ledger workbook a bookkeeper downloads, fills in and uploads."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    header = workbook.add_format(
        {
            "bold": True,
            "bg_color": "#DCE6F1",
            "border": 1,
            "align": "center",
            "valign": "vcenter",
        }
    )
    optional_header = workbook.add_format(
        {"bold": True, "bg_color": "#F2F2F2", "border": 1, "align": "center"}
    )
    formats = {
        DATE: workbook.add_format({"num_format": "yyyy-mm-dd"}),
        NUMBER: workbook.add_format({"num_format": "0"}),
        POWER_MATTER: workbook.add_format({"num_format": "0"}),
        AMOUNT: workbook.add_format({"num_format": "#,##0.00"}),
        # Codes and ID numbers as text: Excel would turn 18 digits into 3.39901E+17.
        SUBJECT_CODE: workbook.add_format({"num_format": "@"}),
        COUNTERPARTY_CODE: workbook.add_format({"num_format": "@"}),
        CONTRACT: workbook.add_format({"num_format": "@"}),
    }
    sheet = workbook.add_worksheet(TEMPLATE_SHEET)
    for index, (name, width) in enumerate(zip(COLUMNS, _WIDTHS, strict=True)):
        sheet.set_column(index, index, width, formats.get(name))
        sheet.write_string(0, index, name, optional_header if name in OPTIONAL_COLUMNS else header)
        sheet.write_comment(0, index, _COLUMN_NOTES[name][1], {"x_scale": 2})
    sheet.set_row(0, 22)
    sheet.freeze_panes(1, 0)
    last = _TEMPLATE_ROWS
    sheet.data_validation(
        1,
        COLUMNS.index(DIRECTION),
        last,
        COLUMNS.index(DIRECTION),
        {"validate": "list", "source": [DEBIT_WORD, CREDIT_WORD]},
    )
    sheet.data_validation(
        1,
        COLUMNS.index(PAYMENT_METHOD),
        last,
        COLUMNS.index(PAYMENT_METHOD),
        {"validate": "list", "source": list(PAYMENT_WORDS)},
    )
    sheet.data_validation(
        1,
        COLUMNS.index(AMOUNT),
        last,
        COLUMNS.index(AMOUNT),
        {
            "validate": "decimal",
            "criteria": ">",
            "value": 0,
            "error_message": "金额须为正数",
        },
    )

    notes = workbook.add_worksheet(NOTES_SHEET)
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    notes.set_column(0, 0, 22)
    notes.set_column(1, 1, 20)
    notes.set_column(2, 2, 70, wrap)
    notes.set_column(3, 3, 22)
    notes.write_row(0, 0, ["列名", "是否必填", "说明", "示例"], header)
    for row, name in enumerate(COLUMNS, start=1):
        required, text, example = _COLUMN_NOTES[name]
        notes.write_string(row, 0, name)
        notes.write_string(row, 1, required)
        notes.write_string(row, 2, text, wrap)
        notes.write_string(row, 3, example)
    tail = len(COLUMNS) + 2
    for offset, line in enumerate(
        (
            "每一行是凭证的一行分录；一张凭证至少两行，借方合计等于贷方合计。",
            "整个文件有一处错误就全部不导入，系统会给出带“错误”列的文件，改正后重新上传。",
            "重新上传同一个月份会替换该月原有的凭证；已结账或已公开的月份须说明原因。",
            "请勿改动第一行的列名，也不要在表格上方另加标题行。",
        )
    ):
        notes.write_string(tail + offset, 0, line)
    workbook.close()
    return buffer.getvalue()


# --- the error workbook -------------------------------------------------------------


def error_workbook_xlsx(
    rows: Iterable[tuple[int, Sequence[Cell]]],
    errors: Mapping[int | None, Sequence[str]],
) -> bytes:
    """The upload given back with a last column 错误 holding each row's errors.

    ``rows`` are the rows as read (``(row_number, cells)``, the header row
    first); each is written at its own row number, so that "row 12" in a
    message is row 12 of this file too. ``errors`` maps a row number to its
    messages; messages about the whole file (key ``None``) go below the rows.
    """
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    sheet = workbook.add_worksheet(TEMPLATE_SHEET)
    header_format = workbook.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1})
    error_header = workbook.add_format({"bold": True, "bg_color": "#C00000", "font_color": "white"})
    error_cell = workbook.add_format(
        {"bg_color": "#FFC7CE", "font_color": "#9C0006", "text_wrap": True}
    )
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    datetime_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    width = 0
    last_row = -1
    header_done = False
    for number, cells in rows:
        row = number - 1
        if row <= last_row:
            continue  # constant_memory writes rows in order only
        if not header_done:
            width = len(cells)
            for column, value in enumerate(cells):
                sheet.write_string(row, column, "" if value is None else str(value), header_format)
            sheet.write_string(row, width, ERROR_COLUMN, error_header)
            sheet.set_column(width, width, 60)
            header_done = True
        else:
            for column, value in enumerate(cells):
                _write_cell(sheet, row, column, value, date_format, datetime_format)
            messages = errors.get(number)
            if messages:
                sheet.write_string(row, width, "；".join(messages), error_cell)
        last_row = row
    general = errors.get(None)
    if general:
        sheet.write_string(last_row + 2, width, "；".join(general), error_cell)
    workbook.close()
    return buffer.getvalue()


def _write_cell(
    sheet: Any, row: int, column: int, value: Cell, date_format: Any, datetime_format: Any
) -> None:
    if value is None or value == "":
        return
    if isinstance(value, str):
        sheet.write_string(row, column, value)  # never a formula, whatever it starts with
    elif isinstance(value, bool):
        sheet.write_boolean(row, column, value)
    elif isinstance(value, int | float):
        sheet.write_number(row, column, value)
    elif isinstance(value, datetime):
        sheet.write_datetime(row, column, value, datetime_format)
    elif isinstance(value, date):
        sheet.write_datetime(row, column, datetime.combine(value, time()), date_format)
    else:
        sheet.write_string(row, column, str(value))
