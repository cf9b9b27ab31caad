from __future__ import annotations

import io
from datetime import date

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from conftest import client_for
from qinglian.finance.models import LedgerImport, LedgerMonth, Voucher
from qinglian.finance.services import voucher_record
from qinglian.finance.spreadsheet import COLUMNS
from qinglian.finance.tests.ledger_helpers import cash_and_bank, payment, receipt
from qinglian.transparency.models import LogEntry


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def ledger_file(rows: list[list[object]]) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, COLUMNS)
    for number, row in enumerate(rows, start=1):
        sheet.write_row(number, 0, row)
    workbook.close()
    return buffer.getvalue()


def row(day: str, number: int, code: str, direction: str, amount: str, account: str = "") -> list:
    return [day, number, "三月租金", code, "", direction, amount, account, "", "", "", "", ""]


@pytest.fixture
def accounts(tree):
    return cash_and_bank(tree.village_a1, bank="5000")


def upload(client, code: str, content: bytes, month: str = "2025-03", reason: str = ""):
    file = io.BytesIO(content)
    file.name = "2025-03.xlsx"
    return client.post(
        f"/work/finance/{code}/upload/", {"month": month, "file": file, "reason": reason}
    )


def test_accepted_upload_records_the_month_and_shows_its_statement(tree, village_cadre, accounts):
    content = ledger_file(
        [
            row("2025-03-05", 1, "102", "借", "1200", "农商银行基本户"),
            row("2025-03-05", 1, "501003", "贷", "1200"),
        ]
    )
    response = upload(client_for(village_cadre), tree.village_a1.code, content)
    assert response.status_code == 302
    assert response["Location"] == f"/work/finance/{tree.village_a1.code}/2025-03/"
    page = client_for(village_cadre).get(response["Location"])
    assert "1200.00" in page.content.decode()
    assert Voucher.objects.count() == 1


def test_refused_upload_lists_the_rows_and_offers_the_marked_file(tree, village_cadre, accounts):
    content = ledger_file(
        [
            row("2025-03-05", 1, "102", "借", "1200", "农商银行基本户"),
            row("2025-03-05", 1, "999", "贷", "1200"),
        ]
    )
    client = client_for(village_cadre)
    response = upload(client, tree.village_a1.code, content)
    assert response.status_code == 200
    page = response.content.decode()
    assert "999" in page and "科目编码" in page
    assert not Voucher.objects.exists()
    refused = LedgerImport.objects.get(accepted=False)
    download = client.get(f"/work/finance/imports/{refused.pk}/errors.xlsx")
    assert download.status_code == 200
    body = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(body))
    rows = workbook.get_sheet_by_index(0).to_python()
    header = [str(cell) for cell in rows[0]]
    assert header[-1] == "错误"
    assert rows[2][-1]  # the faulty row carries its message
    assert not rows[1][-1]


def test_upload_that_is_not_a_spreadsheet_gets_a_clear_message(tree, village_cadre, accounts):
    response = upload(client_for(village_cadre), tree.village_a1.code, b"%PDF-1.4 not a ledger")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Voucher.objects.exists()


def test_upload_to_a_closed_month_asks_for_a_reason(tree, village_cadre, accounts):
    _cash, bank = accounts
    voucher = voucher_record(
        actor=None, village=tree.village_a1, draft=receipt(bank, "10", on=date(2025, 3, 1))
    )
    LedgerMonth.objects.filter(pk=voucher.ledger_month_id).update(status="closed")
    content = ledger_file(
        [
            row("2025-03-05", 1, "102", "借", "20", "农商银行基本户"),
            row("2025-03-05", 1, "501003", "贷", "20"),
        ]
    )
    client = client_for(village_cadre)
    refused = upload(client, tree.village_a1.code, content)
    assert refused.status_code == 200
    assert refused.context["form"].errors["reason"]
    accepted = upload(client, tree.village_a1.code, content, reason="发票金额更正")
    assert accepted.status_code == 302
    assert Voucher.objects.filter(superseded_by__isnull=True).get().summary == "三月租金"


def test_close_and_publish_from_the_statement_page(tree, village_cadre, accounts):
    _cash, bank = accounts
    voucher_record(
        actor=None, village=tree.village_a1, draft=receipt(bank, "10", on=date(2025, 3, 1))
    )
    client = client_for(village_cadre)
    base = f"/work/finance/{tree.village_a1.code}/2025-03/"
    assert client.post(base + "publish/").status_code == 302
    assert not LogEntry.objects.exists()  # an open month is not published
    client.post(base + "close/")
    client.post(base + "publish/")
    assert LogEntry.objects.filter(record_type="monthly_statement").count() == 1
    month = LedgerMonth.objects.get()
    assert month.is_closed and month.published_revision == 1


def test_supervisor_reads_but_cannot_upload(tree, supervisor, accounts):
    client = client_for(supervisor)
    assert client.get(f"/work/finance/{tree.village_a1.code}/").status_code == 200
    assert client.get(f"/work/finance/{tree.village_a1.code}/upload/").status_code == 404


def test_statement_page_costs_a_fixed_number_of_queries(
    tree, village_cadre, accounts, django_assert_max_num_queries
):
    cash, bank = accounts
    client = client_for(village_cadre)
    url = f"/work/finance/{tree.village_a1.code}/2025-03/"
    voucher_record(
        actor=None, village=tree.village_a1, draft=receipt(bank, "9", on=date(2025, 3, 1))
    )
    client.get(url)  # warm the session
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for day in range(2, 25):
        voucher_record(
            actor=None, village=tree.village_a1, draft=payment(cash, "1", on=date(2025, 3, day))
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


def test_api_statement_answers_with_content_and_checks(tree, village_cadre, accounts):
    _cash, bank = accounts
    voucher_record(
        actor=None, village=tree.village_a1, draft=receipt(bank, "10", on=date(2025, 3, 1))
    )
    response = client_for(village_cadre).get(
        f"/api/v1/villages/{tree.village_a1.code}/statements/2025-03/"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["content"]["income_total"] == "10.00"
    assert body["errors"] == []
    ledger = client_for(village_cadre).get(
        f"/api/v1/villages/{tree.village_a1.code}/ledger/2025-03/"
    )
    assert [v["number"] for v in ledger.json()] == [1]
    assert ledger.json()[0]["lines"][0]["account"] == "农商银行基本户"
