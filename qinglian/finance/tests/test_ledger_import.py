"""Importing a month's ledger file: every row checked, all written or nothing."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import xlsxwriter
from django.db import connection
from django.test.utils import CaptureQueriesContext
from python_calamine import CalamineWorkbook
from stdnum.cn import uscc

from qinglian.core.errors import DomainError
from qinglian.directory.factories import PersonFactory, make_id_number
from qinglian.directory.models import Company, Region
from qinglian.finance.ledger_import import (
    ImportResult,
    RowError,
    ledger_import_error_workbook,
    ledger_import_file,
    ledger_import_validate,
)
from qinglian.finance.models import (
    Contract,
    ContractDirection,
    ContractKind,
    FundAccount,
    LedgerImport,
    LedgerMonth,
    LedgerMonthStatus,
    Subject,
    Voucher,
    VoucherLine,
)
from qinglian.finance.selectors import monthly_statement_for
from qinglian.finance.services import fund_account_open
from qinglian.finance.spreadsheet import COLUMNS, ERROR_COLUMN, POWER_MATTER
from qinglian.finance.tests.ledger_helpers import power_matter

MARCH = date(2025, 3, 1)


# --- files ------------------------------------------------------------------------


def line(
    number: object,
    direction: str,
    amount: object,
    *,
    code: str = "541",
    day: object = "2025-03-05",
    summary: str = "支付路灯维修费",
    name: str = "",
    account: str = "",
    method: str = "",
    party: str = "",
    party_code: str = "",
    handler: str = "李会计",
    contract: str = "",
    matter: object = "",
) -> list[object]:
    return [
        day,
        number,
        summary,
        code,
        name,
        direction,
        amount,
        account,
        method,
        party,
        party_code,
        handler,
        contract,
        matter,
    ]


def paid_from_bank(number: int, amount: object = "1280.00", **extra: Any) -> list[list[object]]:
    """A balanced two-line voucher: an expense paid by transfer from the bank account."""
    expense = {k: v for k, v in extra.items() if k not in ("account",)}
    return [
        line(number, "借", amount, **expense),
        line(
            number,
            "贷",
            amount,
            code="102",
            account=extra.get("account", "农商银行基本户"),
            method="转账",
            day=extra.get("day", "2025-03-05"),
            summary=extra.get("summary", "支付路灯维修费"),
        ),
    ]


def xlsx(rows: list[list[object]], header: tuple[str, ...] = COLUMNS) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    sheet = workbook.add_worksheet("凭证")
    day_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, header)
    for index, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if isinstance(value, date):
                sheet.write_datetime(index, column, value, day_format)
            elif isinstance(value, str):
                sheet.write_string(index, column, value)
            elif value is not None:
                sheet.write(index, column, value)
    workbook.close()
    return buffer.getvalue()


def csv_file(
    rows: list[list[object]], encoding: str = "utf-8-sig", header: tuple[str, ...] = COLUMNS
) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode(encoding)


# --- the village's books ------------------------------------------------------------


@dataclass
class Books:
    village: Region
    bank: FundAccount
    card: FundAccount
    cash: FundAccount


@pytest.fixture
def books(tree) -> Books:
    village = tree.village_a1
    return Books(
        village=village,
        cash=fund_account_open(
            actor=None, village=village, kind="cash", name="现金", opened_on=MARCH
        ),
        bank=fund_account_open(
            actor=None, village=village, kind="bank", name="农商银行基本户", opened_on=MARCH
        ),
        card=fund_account_open(
            actor=None, village=village, kind="card", name="村务卡", opened_on=MARCH
        ),
    )


def check(books: Books, rows: list[list[object]], *, content: bytes | None = None):
    return ledger_import_validate(
        village=books.village, month=MARCH, content=content or xlsx(rows), file_name="m.xlsx"
    )


def errors_of(books: Books, rows: list[list[object]]) -> list[tuple[int | None, str | None]]:
    return [(e.row, e.column) for e in check(books, rows).errors]


def messages(books: Books, rows: list[list[object]]) -> list[str]:
    return [str(e) for e in check(books, rows).errors]


def company(name: str, serial: int, village: Region) -> Company:
    first17 = f"91339901MA2{serial:06d}"
    return Company.objects.create(
        name=name,
        credit_code=first17 + uscc.calc_check_digit(first17),
        region=village,
        region_path=village.path,
    )


def contract(village: Region, number: str) -> Contract:
    return Contract.objects.create(
        village=village,
        number=number,
        title="鱼塘承包合同",
        kind=ContractKind.LAND_CONTRACTING,
        direction=ContractDirection.RECEIVABLE,
    )


# --- writing ---------------------------------------------------------------------


def test_a_valid_file_writes_all_its_vouchers_and_lines(books, village_cadre):
    supplier = company("青山建材有限公司", 1, books.village)
    pond = contract(books.village, "HT-2025-003")
    tenant = PersonFactory.create(
        region=books.village, id_number=make_id_number("339901", date(1970, 1, 2), 7)
    )
    tenant_id = make_id_number("339901", date(1970, 1, 2), 7)
    rows = [
        *paid_from_bank(1, "1,280.50", party="青山建材有限公司"),
        line(2, "借", 300, code="101", method="现金", day=date(2025, 3, 9), summary="收鱼塘承包费"),
        line(
            2,
            "贷",
            300,
            code="511001",
            name="土地承包收入",
            day=date(2025, 3, 9),
            summary="收鱼塘承包费",
            party="张三",
            party_code=tenant_id,
            contract="HT-2025-003",
        ),
        line(3, "借", 45.2, code="541", day="2025/3/31", summary="村务卡付快递费"),
        line(3, "贷", 45.2, code="102", account="村务卡", method="村务卡", day="2025/3/31"),
    ]
    result = ledger_import_file(
        actor=village_cadre,
        village=books.village,
        month=MARCH,
        file_name="2025-03.xlsx",
        content=xlsx(rows),
    )
    assert result.errors == []
    assert result.accepted
    assert (result.rows, result.vouchers, result.lines) == (6, 3, 6)
    vouchers = list(Voucher.objects.filter(village=books.village).order_by("number"))
    assert [(v.number, v.date, v.summary) for v in vouchers] == [
        (1, date(2025, 3, 5), "支付路灯维修费"),
        (2, date(2025, 3, 9), "收鱼塘承包费"),
        (3, date(2025, 3, 31), "村务卡付快递费"),
    ]
    assert result.ledger_import is not None
    assert {v.ledger_import_id for v in vouchers} == {result.ledger_import.pk}
    assert vouchers[0].handler_name == "李会计"
    lines = list(VoucherLine.objects.order_by("voucher__number", "line_no"))
    assert [(ln.subject.code, ln.direction, ln.amount) for ln in lines] == [
        ("541", "debit", Decimal("1280.50")),
        ("102", "credit", Decimal("1280.50")),
        ("101", "debit", Decimal("300.00")),
        ("511001", "credit", Decimal("300.00")),
        ("541", "debit", Decimal("45.20")),
        ("102", "credit", Decimal("45.20")),
    ]
    assert [ln.account for ln in lines] == [
        None,
        books.bank,
        books.cash,  # the only account under 101 may be left out
        None,
        None,
        books.card,
    ]
    assert [ln.payment_method for ln in lines] == ["", "transfer", "cash", "", "", "card"]
    assert lines[0].counterparty_company == supplier  # the one company of that name
    assert lines[0].counterparty_name == "青山建材有限公司"
    assert lines[3].counterparty_person == tenant
    assert lines[3].counterparty_name == "张三"
    assert lines[3].contract == pond
    imported = LedgerImport.objects.get()
    assert (imported.accepted, imported.rows, imported.file_name) == (True, 6, "2025-03.xlsx")


def test_a_csv_file_in_gb18030_is_imported_like_xlsx(books):
    rows = [*paid_from_bank(1), *paid_from_bank(2, "99.90", day="2025-3-7")]
    result = ledger_import_file(
        actor=None,
        village=books.village,
        month=MARCH,
        file_name="2025-03.csv",
        content=csv_file(rows, "gb18030"),
    )
    assert result.accepted
    assert Voucher.objects.count() == 2
    assert VoucherLine.objects.filter(amount=Decimal("99.90")).count() == 2


def test_a_file_with_3_bad_rows_among_10000_writes_nothing_and_names_all_3(books):
    rows: list[list[object]] = []
    for number in range(1, 5001):
        day = date(2025, 3, 1 + number % 28)
        rows.extend(paid_from_bank(number, round(10 + number * 0.37, 2), day=day))
    # Spreadsheet row = index + 2 (row 1 is the header).
    rows[1232][3] = "999"  # row 1234: no such subject
    rows[4998][0] = date(2025, 4, 2)  # row 5000: outside March
    rows[8998][8] = "支付宝"  # row 9000: no such payment method
    result = ledger_import_file(
        actor=None, village=books.village, month=MARCH, file_name="big.xlsx", content=xlsx(rows)
    )
    assert result.rows == 10_000
    assert not result.accepted
    assert [(e.row, e.column) for e in result.errors] == [
        (1234, "科目编码"),
        (5000, "日期"),
        (9000, "结算方式"),
    ]
    assert Voucher.objects.count() == 0
    assert VoucherLine.objects.count() == 0
    refused = LedgerImport.objects.get()
    assert (refused.accepted, refused.rows, refused.error_count) == (False, 10_000, 3)


def test_importing_again_supersedes_the_months_vouchers(books):
    ledger_import_file(
        actor=None,
        village=books.village,
        month=MARCH,
        file_name="a.xlsx",
        content=xlsx([*paid_from_bank(1), *paid_from_bank(2)]),
    )
    ledger_import_file(
        actor=None,
        village=books.village,
        month=MARCH,
        file_name="b.xlsx",
        content=xlsx(paid_from_bank(1, "7.00")),
    )
    current = Voucher.objects.filter(superseded_by__isnull=True)
    assert [v.lines.get(direction="debit").amount for v in current] == [Decimal("7.00")]
    assert Voucher.objects.filter(superseded_by__isnull=False).count() == 2


def test_a_closed_month_needs_a_reason(books):
    LedgerMonth.objects.create(village=books.village, month=MARCH, status=LedgerMonthStatus.CLOSED)
    content = xlsx(paid_from_bank(1))
    with pytest.raises(DomainError) as caught:
        ledger_import_file(
            actor=None, village=books.village, month=MARCH, file_name="m.xlsx", content=content
        )
    assert caught.value.field == "reason"
    assert Voucher.objects.count() == 0
    result = ledger_import_file(
        actor=None,
        village=books.village,
        month=MARCH,
        file_name="m.xlsx",
        content=content,
        reason="补记漏记的路灯维修费",
    )
    assert result.accepted


def test_an_unreadable_file_is_refused_and_recorded(books):
    with pytest.raises(DomainError) as caught:
        ledger_import_file(
            actor=None,
            village=books.village,
            month=MARCH,
            file_name="m.xlsx",
            content=b"\x89PNG\r\n\x1a\n\x00\x00",
        )
    assert caught.value.field == "file"
    refused = LedgerImport.objects.get()
    assert (refused.accepted, refused.rows, refused.error_count) == (False, 0, 1)


def test_the_error_workbook_puts_each_rows_errors_beside_it(books):
    rows = [*paid_from_bank(1), *paid_from_bank(2)]
    rows[2][5] = "收"
    content = xlsx(rows)
    result = ledger_import_file(
        actor=None, village=books.village, month=MARCH, file_name="m.xlsx", content=content
    )
    workbook = ledger_import_error_workbook(content=content, errors=result.errors)
    read = CalamineWorkbook.from_filelike(io.BytesIO(workbook)).get_sheet_by_index(0).to_python()
    assert read[0] == [*COLUMNS, ERROR_COLUMN]
    assert len(read) == 5
    assert [bool(row[-1]) for row in read[1:]] == [False, False, True, False]
    assert str(read[3][-1]).startswith("方向：")
    assert read[3][:6] == ["2025-03-05", 2.0, "支付路灯维修费", "541", "", "收"]


def test_row_errors_read_as_row_column_and_message(english):
    assert str(RowError(12, "金额", "too many decimals")) == "Row 12, 金额: too many decimals"
    assert str(RowError(12, None, "repeated")) == "Row 12: repeated"
    assert str(RowError(None, "凭证号", "gaps")) == "gaps"
    result = ImportResult(rows=1, errors=[RowError(3, "金额", "x"), RowError(3, None, "y")])
    assert result.messages_by_row() == {3: ["金额：x", "y"]}


# --- the rules, one by one -----------------------------------------------------------


def test_the_date_is_required_and_inside_the_month(books):
    rows = [
        *paid_from_bank(1, day=""),
        *paid_from_bank(2, day="2025-04-01"),
        *paid_from_bank(3, day="2025-02-30"),
        *paid_from_bank(4, day="2025/3/5"),
        *paid_from_bank(5, day="2025年3月6日"),
        *paid_from_bank(6, day=45727.0),  # an Excel serial day, 2025-03-11
        *paid_from_bank(7, day=date(2025, 3, 31)),
    ]
    assert errors_of(books, rows) == [(r, "日期") for r in (2, 3, 4, 5, 6, 7)]


def test_text_and_serial_dates_are_read(books):
    rows = [
        *paid_from_bank(1, day="2025/3/5"),
        *paid_from_bank(2, day="2025年3月6日"),
        *paid_from_bank(3, day=45726.0),
        *paid_from_bank(4, day="20250331"),
    ]
    result = check(books, rows)
    assert result.errors == []
    assert [v.date for v in result.vouchers] == [
        date(2025, 3, 5),
        date(2025, 3, 6),
        date(2025, 3, 10),
        date(2025, 3, 31),
    ]


@pytest.mark.parametrize("number", ["", "0", "-1", "1.5", "一", 2.5])
def test_the_voucher_number_is_a_positive_whole_number(books, number):
    rows = [
        *paid_from_bank(1),
        line(number, "借", 5),
        line(number, "贷", 5, code="102", account="现金"),
    ]
    assert (4, "凭证号") in errors_of(books, rows)


def test_the_summary_is_required_and_at_most_200_characters(books):
    rows = [*paid_from_bank(1, summary=""), *paid_from_bank(2, summary="修" * 201)]
    assert errors_of(books, rows) == [(2, "摘要"), (3, "摘要"), (4, "摘要"), (5, "摘要")]


def test_the_subject_must_be_in_the_chart(books, tree, english):
    Subject.objects.create(
        chart="2004",
        code="541001",
        name="办公费",
        category="profit_loss",
        kind="expense",
        normal_balance="debit",
        region=books.village,
    )
    Subject.objects.create(
        chart="2004",
        code="541002",
        name="差旅费",
        category="profit_loss",
        kind="expense",
        normal_balance="debit",
        region=tree.village_a2,  # another village's own subject
    )
    rows = [
        *paid_from_bank(1, code="541001"),
        *paid_from_bank(2, code="541002"),
        *paid_from_bank(3, code=""),
        *paid_from_bank(4, code="5410"),
    ]
    assert errors_of(books, rows) == [(4, "科目编码"), (6, "科目编码"), (8, "科目编码")]
    assert "no subject with code 541002" in messages(books, rows)[0]


def test_a_subject_given_as_a_number_is_read_as_its_code(books):
    result = check(books, paid_from_bank(1, code=541))
    assert result.errors == []
    assert result.vouchers[0].lines[0].subject.code == "541"


def test_the_subject_name_when_given_must_match_the_code(books, english):
    rows = [*paid_from_bank(1, name="管理费用"), *paid_from_bank(2, name="办公费")]
    assert errors_of(books, rows) == [(4, "科目名称")]
    assert "Subject 541 is called 管理费用, not 办公费" in messages(books, rows)[0]


@pytest.mark.parametrize("direction", ["", "收", "debit"])
def test_the_direction_is_debit_or_credit(books, direction):
    rows = paid_from_bank(1)
    rows[0][5] = direction
    assert errors_of(books, rows) == [(2, "方向")]


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("1,234.50", Decimal("1234.50")),
        ("￥88", Decimal("88.00")),
        (1234.5, Decimal("1234.50")),
        (0.1 + 0.2, Decimal("0.30")),  # a formula's float, shown as 0.3 by Excel
        (12, Decimal("12.00")),
        ("7.500", Decimal("7.50")),
    ],
)
def test_amounts_are_read_from_text_and_numbers(books, amount, expected):
    result = check(books, paid_from_bank(1, amount))
    assert result.errors == []
    assert [ln.amount for ln in result.vouchers[0].lines] == [expected, expected]


@pytest.mark.parametrize("amount", ["", "abc", "12.345", 12.345, "-5", -5.0, 0, "0.00", "1e20"])
def test_an_amount_must_be_positive_with_at_most_two_decimals(books, amount):
    assert errors_of(books, paid_from_bank(1, amount)) == [(2, "金额"), (3, "金额")]


def test_a_bank_line_names_one_of_the_villages_accounts(books, tree, english):
    FundAccount.objects.create(
        village=tree.village_a2,
        kind="bank",
        name="下塘村基本户",
        subject=books.bank.subject,
        opened_on=MARCH,
    )
    rows = [
        *paid_from_bank(1, account=""),  # two accounts under 102: which one?
        *paid_from_bank(2, account="下塘村基本户"),  # another village's
        *paid_from_bank(3, account="现金"),  # kept under 101, not 102
        *paid_from_bank(4, account="村务卡"),
    ]
    assert errors_of(books, rows) == [(3, "资金账户"), (5, "资金账户"), (7, "资金账户")]
    assert "kept under subject 101 现金, not 102 银行存款" in messages(books, rows)[2]


def test_only_cash_and_bank_lines_name_an_account(books):
    rows = paid_from_bank(1)
    rows[0][7] = "农商银行基本户"
    assert errors_of(books, rows) == [(2, "资金账户")]


def test_the_only_account_under_a_subject_may_be_left_out(books):
    rows = [line(1, "借", 5), line(1, "贷", 5, code="101")]
    result = check(books, rows)
    assert result.errors == []
    assert result.vouchers[0].lines[1].account == books.cash


@pytest.mark.parametrize("method", ["支付宝", "cash"])
def test_the_payment_method_is_one_of_three_or_empty(books, method):
    rows = paid_from_bank(1)
    rows[1][8] = method
    assert errors_of(books, rows) == [(3, "结算方式")]


def test_a_counterparty_id_number_must_be_a_registered_person(books, english):
    registered = make_id_number("339901", date(1980, 6, 1), 3)
    person = PersonFactory.create(region=books.village, id_number=registered)
    unknown = make_id_number("339901", date(1981, 6, 1), 4)
    rows = [
        *paid_from_bank(1, party="王五", party_code=registered.lower()),
        *paid_from_bank(2, party="赵六", party_code=unknown),
    ]
    assert errors_of(books, rows) == [(4, "对方证件号或信用代码")]
    assert "No registered person has this ID number" in messages(books, rows)[0]
    first = check(books, rows[:2]).vouchers[0].lines[0]
    assert (first.counterparty_person, first.counterparty_name) == (person, "王五")


def test_a_counterparty_credit_code_must_be_a_registered_company(books, english):
    supplier = company("青山建材有限公司", 1, books.village)
    first17 = "91339901MA2999999"
    unknown = first17 + uscc.calc_check_digit(first17)
    rows = [
        *paid_from_bank(1, party_code=supplier.credit_code),
        *paid_from_bank(2, party_code=unknown),
    ]
    assert errors_of(books, rows) == [(4, "对方证件号或信用代码")]
    assert "No registered company" in messages(books, rows)[0]
    first = check(books, rows[:2]).vouchers[0].lines[0]
    assert (first.counterparty_company, first.counterparty_name) == (supplier, "青山建材有限公司")


@pytest.mark.parametrize(
    "code", ["33990119800601003", "339901198006010039", "91339901MA2000001X", "3.39901E+17"]
)
def test_a_counterparty_code_that_is_no_valid_number_is_refused(books, code):
    assert errors_of(books, paid_from_bank(1, party_code=code)) == [(2, "对方证件号或信用代码")]


def test_an_id_number_excel_turned_into_a_number_is_explained(books, english):
    rows = paid_from_bank(1)
    rows[0][10] = 339901198006010030.0
    assert "Format the column as text" in messages(books, rows)[0]


def test_a_counterparty_name_links_only_a_unique_company(books):
    company("青山建材有限公司", 1, books.village)
    company("清河五金店", 2, books.village)
    company("清河五金店", 3, books.village)
    rows = [*paid_from_bank(1, party="青山建材有限公司"), *paid_from_bank(2, party="清河五金店")]
    lines = [draft.lines[0] for draft in check(books, rows).vouchers]
    assert lines[0].counterparty_company is not None
    assert lines[1].counterparty_company is None
    assert lines[1].counterparty_name == "清河五金店"


def test_a_contract_number_must_be_the_villages(books, tree):
    contract(books.village, "HT-1")
    contract(tree.village_a2, "HT-2")
    rows = [*paid_from_bank(1, contract="HT-1"), *paid_from_bank(2, contract="HT-2")]
    assert errors_of(books, rows) == [(4, "合同编号")]


# --- the power matter that authorised a voucher ------------------------------------


def test_a_payment_names_the_decided_matter_that_authorised_it(books, village_cadre, english):
    canal = power_matter(books.village, "DECIDED")
    rows = [
        *paid_from_bank(1, "60000.00", code="551", summary="水渠工程款", matter=canal.pk),
        *paid_from_bank(2, "70000.00", code="551", summary="道路硬化工程款"),
    ]
    result = ledger_import_file(
        actor=village_cadre,
        village=books.village,
        month=MARCH,
        file_name="m.xlsx",
        content=xlsx(rows),
    )
    assert result.errors == [] and result.accepted
    assert dict(Voucher.objects.values_list("number", "power_matter_id")) == {1: canal.pk, 2: None}
    flagged = [
        w for w in monthly_statement_for(books.village, MARCH).warnings if "power matter" in w
    ]
    assert flagged == ["Voucher 2 pays 70000.00 without a decided power matter."]


@pytest.mark.parametrize("state", ["DECIDED", "FINISHED"])
def test_the_matter_may_be_written_on_one_line_or_the_same_on_each(books, state):
    canal = power_matter(books.village, state)
    rows = [*paid_from_bank(1), *paid_from_bank(2)]
    rows[1][-1] = str(canal.pk)  # on the second line only, as text
    rows[2][-1] = rows[3][-1] = canal.pk  # on both lines, as numbers
    checked = check(books, rows)
    assert checked.errors == []
    assert [draft.power_matter_id for draft in checked.vouchers] == [canal.pk, canal.pk]


@pytest.mark.parametrize("where, state", [("village_a1", "OPEN"), ("village_a2", "DECIDED")])
def test_a_matter_not_decided_or_not_the_villages_is_refused(
    books, tree, village_cadre, english, where, state
):
    wrong = power_matter(getattr(tree, where), state)
    rows = [*paid_from_bank(1), *paid_from_bank(2, matter=wrong.pk), *paid_from_bank(3)]
    rows[5][-1] = wrong.pk + 1000  # no matter at all
    result = ledger_import_file(
        actor=village_cadre,
        village=books.village,
        month=MARCH,
        file_name="m.xlsx",
        content=xlsx(rows),
    )
    assert [(e.row, e.column) for e in result.errors] == [(4, POWER_MATTER), (7, POWER_MATTER)]
    assert str(result.errors[0]) == (
        f"Row 4, 权力事项编号: Power matter {wrong.pk} is not a decided or finished matter "
        "of this village."
    )
    assert not result.accepted
    assert not Voucher.objects.exists()
    assert LedgerImport.objects.get().accepted is False


@pytest.mark.parametrize("value", ["十二", "12a", "0", "-3", 0, -3, 2.5, "2.5", date(2025, 3, 1)])
def test_the_matter_number_is_a_positive_whole_number(books, village_cadre, english, value):
    rows = [*paid_from_bank(1), *paid_from_bank(2, matter=value)]
    result = ledger_import_file(
        actor=village_cadre,
        village=books.village,
        month=MARCH,
        file_name="m.xlsx",
        content=xlsx(rows),
    )
    assert [(e.row, e.column) for e in result.errors] == [(4, POWER_MATTER)]
    assert "must be a whole number from 1 up" in result.errors[0].message
    assert not Voucher.objects.exists()


def test_a_voucher_naming_two_matters_is_refused(books, village_cadre, english):
    canal, road = power_matter(books.village, "DECIDED"), power_matter(books.village, "DECIDED")
    rows = [*paid_from_bank(1), *paid_from_bank(2)]
    rows[2][-1], rows[3][-1] = canal.pk, road.pk
    result = ledger_import_file(
        actor=village_cadre,
        village=books.village,
        month=MARCH,
        file_name="m.xlsx",
        content=xlsx(rows),
    )
    assert [(e.row, e.column) for e in result.errors] == [(5, POWER_MATTER)]
    assert f"Voucher 2 already names power matter {canal.pk} in row 4" in str(result.errors[0])
    assert not Voucher.objects.exists()


def test_a_file_without_the_matter_column_still_imports(books, village_cadre):
    header = tuple(c for c in COLUMNS if c != POWER_MATTER)
    rows = [row[:-1] for row in [*paid_from_bank(1), *paid_from_bank(2)]]
    for content in (xlsx(rows, header), csv_file(rows, header=header)):
        result = ledger_import_file(
            actor=village_cadre, village=books.village, month=MARCH, file_name="m", content=content
        )
        assert result.errors == [] and result.accepted
        current = Voucher.objects.filter(superseded_by__isnull=True)
        assert list(current.values_list("power_matter_id", flat=True)) == [None, None]


def test_all_the_matters_of_a_file_are_checked_in_one_query(books, django_assert_num_queries):
    matters = [power_matter(books.village, "DECIDED") for _ in range(3)]
    few = [*paid_from_bank(1, matter=matters[0].pk), *paid_from_bank(2)]
    # 600 numbers that are no matter (odd vouchers) and the 3 matters (even ones).
    many = [
        row
        for number in range(1, 1201)
        for row in paid_from_bank(
            number, matter=10_000 + number if number % 2 else matters[number % 3].pk
        )
    ]
    counts = []
    for rows in (few, many):
        content = xlsx(rows)
        with CaptureQueriesContext(connection) as queries:
            result = check(books, rows, content=content)
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
    assert [e.row for e in result.errors] == list(range(2, 2402, 4))  # odd vouchers' first rows


def test_the_rows_of_a_voucher_share_one_date(books, english):
    rows = paid_from_bank(1)
    rows[1][0] = "2025-03-06"
    assert errors_of(books, rows) == [(2, "日期"), (3, "日期")]
    assert "rows 2–3" in messages(books, rows)[0]


def test_a_voucher_must_balance_and_the_error_names_all_its_rows(books, english):
    rows = [
        *paid_from_bank(1),
        line(2, "借", 100),
        line(2, "借", 20),
        line(2, "贷", 110, code="101"),
    ]
    assert errors_of(books, rows) == [(4, "金额"), (5, "金额"), (6, "金额")]
    assert (
        "Voucher 2 (rows 4–6) does not balance: debit 120.00, credit 110.00"
        in (messages(books, rows)[0])
    )


def test_a_voucher_has_at_least_two_lines(books):
    rows = [*paid_from_bank(1), line(2, "借", 100)]
    assert errors_of(books, rows) == [(4, "凭证号")]


def test_a_row_written_twice_is_an_error(books, english):
    rows = [*paid_from_bank(1), line(1, "借", "1280.00")]
    errors = check(books, rows).errors
    assert (4, None) in [(e.row, e.column) for e in errors]
    assert "repeats row 2" in str(next(e for e in errors if e.column is None))


def test_a_voucher_number_is_used_by_one_voucher_only(books, english):
    rows = [*paid_from_bank(1), *paid_from_bank(2), *paid_from_bank(1, "5.00")]
    assert errors_of(books, rows) == [(6, "凭证号"), (7, "凭证号")]
    assert "already used by rows 2–3" in messages(books, rows)[0]


def test_voucher_numbers_start_at_1_without_gaps(books, english):
    rows = [*paid_from_bank(2), *paid_from_bank(3), *paid_from_bank(6), *paid_from_bank(7)]
    errors = check(books, rows).errors
    assert [(e.row, e.column) for e in errors] == [(None, "凭证号")]
    assert "missing: 1, 4–5" in str(errors[0])


def test_every_error_of_every_row_is_reported(books):
    rows = paid_from_bank(1)
    rows[0][0] = "tomorrow"
    rows[0][5] = "?"
    rows[0][8] = "?"
    rows[1][3] = "?"
    assert errors_of(books, rows) == [(2, "日期"), (2, "方向"), (2, "结算方式"), (3, "科目编码")]


def test_a_region_that_is_no_village_keeps_no_books(tree):
    with pytest.raises(DomainError) as caught:
        ledger_import_validate(
            village=tree.town_a, month=MARCH, content=xlsx(paid_from_bank(1)), file_name="m.xlsx"
        )
    assert caught.value.field == "village"


# --- cost ------------------------------------------------------------------------


REGISTERED = make_id_number("339901", date(1980, 6, 1), 3)


def _ledger(vouchers: int) -> list[list[object]]:
    rows: list[list[object]] = []
    for number in range(1, vouchers + 1):
        rows.extend(
            paid_from_bank(
                number,
                f"{number}.00",
                party=("青山建材有限公司", "王五")[number % 2],
                party_code=("", REGISTERED)[number % 2],
                contract="HT-1",
            )
        )
    return rows


def test_checking_costs_the_same_queries_whatever_the_number_of_rows(
    books, django_assert_max_num_queries
):
    PersonFactory.create(region=books.village, id_number=REGISTERED)
    company("青山建材有限公司", 1, books.village)
    contract(books.village, "HT-1")
    counts = []
    for vouchers in (5, 1000):
        rows = _ledger(vouchers)
        content = xlsx(rows)
        with CaptureQueriesContext(connection) as queries:
            result = check(books, rows, content=content)
        assert result.errors == []
        assert result.vouchers[0].lines[0].counterparty_person is not None
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
    # The chart, accounts, contracts, then the people and companies named: one query each.
    content = xlsx(_ledger(300))
    with django_assert_max_num_queries(6):
        check(books, [], content=content)


def test_the_cycle_collector_runs_again_after_an_import_even_a_failed_one(tree, village_cadre):
    import gc

    from qinglian.finance.ledger_import import ledger_import_file

    assert gc.isenabled()
    with pytest.raises(DomainError):
        ledger_import_file(
            actor=village_cadre,
            village=tree.village_a1,
            month=date(2025, 3, 1),
            file_name="x.xlsx",
            content=b"not a spreadsheet \x00\x01",
        )
    assert gc.isenabled()
