from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from conftest import client_for
from qinglian.disclosures.models import DisclosureDraft
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


def test_close_then_send_the_list_to_the_committee(tree, village_cadre, supervisor, accounts):
    _cash, bank = accounts
    voucher_record(
        actor=None, village=tree.village_a1, draft=receipt(bank, "10", on=date(2025, 3, 1))
    )
    client = client_for(village_cadre)
    base = f"/work/finance/{tree.village_a1.code}/2025-03/"
    assert client.post(base + "submit/").status_code == 302
    assert not DisclosureDraft.objects.exists()  # an open month is not sent
    client.post(base + "close/")
    sent = client.post(base + "submit/")
    draft = DisclosureDraft.objects.get()
    assert sent["Location"] == f"/work/disclosures/drafts/{draft.pk}/"
    assert draft.state == "submitted" and draft.kind == "statement"
    assert not LogEntry.objects.exists()  # published only once the committee signs
    assert LedgerMonth.objects.get().published_revision is None


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


def test_bookkeeper_records_a_contract_with_its_schedule_and_named_company(tree, village_cadre):
    from qinglian.directory.models import Company
    from qinglian.finance.models import Contract

    company = Company.objects.create(
        name="青山建材有限公司",
        credit_code="91339901MA0000002W",
        region=tree.village_a1,
        region_path=tree.village_a1.path,
    )
    client = client_for(village_cadre)
    url = f"/work/finance/{tree.village_a1.code}/contracts/new/"
    response = client.post(
        url,
        {
            "number": "HT-2026-001",
            "title": "仓库租赁合同",
            "kind": "lease",
            "direction": "receivable",
            "counterparty_name": "青山建材有限公司",
            "starts_on": "2026-01-01",
            "ends_on": "2028-12-31",
            "annual_rent": "12000",
            "resolution_reference": "2025年第4次村民代表会议决议",
            "instalments": "2026-01-10 6000\n2026-07-10 6000",
        },
    )
    assert response.status_code == 302
    contract = Contract.objects.get()
    assert contract.counterparty_company == company
    assert [i.amount for i in contract.instalments.order_by("due_on")] == [6000, 6000]


def test_contract_form_names_the_bad_schedule_line(tree, village_cadre):
    from qinglian.finance.models import Contract

    response = client_for(village_cadre).post(
        f"/work/finance/{tree.village_a1.code}/contracts/new/",
        {
            "number": "HT-2026-002",
            "title": "租赁",
            "kind": "lease",
            "direction": "receivable",
            "instalments": "2026-01-10 6000\nnext spring, 500",
        },
    )
    assert response.status_code == 200
    assert "第2行" in response.context["form"].errors["instalments"][0]  # Chinese first
    assert not Contract.objects.exists()


def test_service_refusal_lands_on_its_field(tree, village_cadre):
    client = client_for(village_cadre)
    data = {
        "kind": "cash",
        "name": "现金",
        "opening_balance": "100",
        "opened_on": "2026-01-01",
    }
    url = f"/work/finance/{tree.village_a1.code}/accounts/new/"
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 200
    assert again.context["form"].errors["name"]


def test_assets_and_resources_are_registered_from_the_workbench(tree, village_cadre):
    from qinglian.finance.models import Asset, Resource

    client = client_for(village_cadre)
    code = tree.village_a1.code
    asset = client.post(
        f"/work/finance/{code}/assets/new/",
        {
            "code": "ZC-001",
            "name": "村级光伏电站",
            "category": "operating",
            "kind": "energy",
            "status": "in_use",
            "acquired_on": "2023-06-30",
            "original_value": "360000",
        },
    )
    resource = client.post(
        f"/work/finance/{code}/resources/new/",
        {
            "code": "ZY-001",
            "name": "东塘鱼塘",
            "kind": "water",
            "status": "idle",
            "area_mu": "42.5",
            "registered_on": "2024-01-01",
        },
    )
    assert asset.status_code == resource.status_code == 302
    assert Asset.objects.get().changes.count() == 1
    assert Resource.objects.get().area_mu == Decimal("42.50")
    page = client.get(f"/work/finance/{code}/property/").content.decode()
    assert "村级光伏电站" in page and "东塘鱼塘" in page


def test_voucher_page_signs_in_order_and_attaches_the_invoice(
    tree, village_cadre, supervisor, accounts
):
    cash, _bank = accounts
    voucher = voucher_record(
        actor=None, village=tree.village_a1, draft=payment(cash, "86", on=date(2025, 3, 4))
    )
    url = f"/work/finance/vouchers/{voucher.pk}/"
    committee = client_for(supervisor)
    committee.post(
        url + "sign/", {"role": "finance_review", "name": "李监委", "signed_on": "2025-03-05"}
    )
    cadre = client_for(village_cadre)
    cadre.post(
        url + "sign/", {"role": "committee_chair", "name": "张主任", "signed_on": "2025-03-06"}
    )
    invoice = io.BytesIO(b"%PDF-1.7 invoice")
    invoice.name = "发票.pdf"
    cadre.post(url + "attach/", {"kind": "invoice", "file": invoice})
    # The committee may sign but not attach.
    photo = io.BytesIO(b"\x89PNG\r\n\x1a\nphoto")
    photo.name = "photo.png"
    assert committee.post(url + "attach/", {"kind": "receipt", "file": photo}).status_code == 404
    assert [s.role for s in voucher.signoffs.order_by("step")] == [
        "finance_review",
        "committee_chair",
    ]
    attachment = voucher.attachments.get()
    page = committee.get(url).content.decode()
    assert "李监委" in page and "张主任" in page
    download = committee.get(f"/work/finance/attachments/{attachment.pk}/")
    assert b"".join(download.streaming_content) == b"%PDF-1.7 invoice"  # type: ignore[attr-defined]
    assert download["Content-Type"] == "application/pdf"


def test_asset_change_is_recorded_and_a_disposal_needs_its_note(tree, village_cadre):
    from qinglian.finance import factories

    asset = factories.asset(tree.village_a1, name="沿街店面")
    client = client_for(village_cadre)
    url = f"/work/finance/assets/{asset.pk}/change/"
    leased = client.post(
        url, {"changed_on": "2025-01-01", "status": "leased_out", "note": "公开招租"}
    )
    assert leased.status_code == 302
    asset.refresh_from_db()
    assert asset.status == "leased_out"
    refused = client.post(url, {"changed_on": "2026-01-01", "dispose": "on"})
    assert refused.status_code == 200
    assert refused.context["form"].errors["note"]
    assert [c.status for c in asset.changes.all()] == ["leased_out"]  # the disposal is not kept


def test_change_of_another_villages_resource_is_not_found(tree, village_cadre):
    from qinglian.finance import factories

    pond = factories.resource(tree.village_a2)
    response = client_for(village_cadre).post(
        f"/work/finance/resources/{pond.pk}/change/", {"changed_on": "2025-01-01", "status": "idle"}
    )
    assert response.status_code == 404
    assert pond.changes.count() == 0


def test_books_page_shows_the_limits_in_force_with_the_townships_own(tree, village_cadre, english):
    from qinglian.finance.models import Threshold
    from qinglian.finance.selectors import limits_in_force

    Threshold.objects.create(
        region=tree.town_a,
        key="cash_payment_max",
        value=Decimal("800"),
        effective_from=date(2025, 1, 1),
    )
    limits = dict(limits_in_force(tree.village_a1, date(2026, 1, 1)))
    assert limits["largest payment allowed in cash (yuan, below)"] == Decimal("800")
    assert limits["cash on hand limit (yuan)"] == Decimal("5000")
    page = client_for(village_cadre).get(f"/work/finance/{tree.village_a1.code}/")
    assert "800.00" in page.content.decode()


def test_api_contracts_carry_due_collected_and_problems(tree, village_cadre):
    from qinglian.finance import factories

    factories.contract(tree.village_a1, number="HT-OK")
    factories.contract(
        tree.village_a1, number="HT-LOW", annual_rent=Decimal("1500"), area_mu=Decimal("10")
    )
    response = client_for(village_cadre).get(f"/api/v1/regions/{tree.village_a1.code}/contracts/")
    assert response.status_code == 200
    by_number = {row["number"]: row for row in response.json()}
    assert by_number["HT-OK"]["standardised"] is True
    assert by_number["HT-OK"]["problems"] == []
    assert [p["code"] for p in by_number["HT-LOW"]["problems"]] == ["rent_below_norm"]


def test_only_bookkeepers_get_the_marked_upload_back(tree, village_cadre, supervisor, accounts):
    content = ledger_file([row("2025-03-05", 1, "999", "借", "5")])
    upload(client_for(village_cadre), tree.village_a1.code, content)
    refused = LedgerImport.objects.get(accepted=False)
    url = f"/work/finance/imports/{refused.pk}/errors.xlsx"
    assert client_for(village_cadre).get(url).status_code == 200
    assert client_for(supervisor).get(url).status_code == 404
