from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from qinglian.core.errors import DomainError
from qinglian.core.models import AuditEvent
from qinglian.finance.drafts import ImportSource, LineDraft, VoucherDraft
from qinglian.finance.factories import subject
from qinglian.finance.models import (
    CorrectionKind,
    Direction,
    LedgerMonth,
    Voucher,
    VoucherAttachment,
    VoucherLine,
)
from qinglian.finance.selectors import monthly_statement
from qinglian.finance.services import (
    fund_account_open,
    ledger_month_close,
    ledger_month_reopen,
    ledger_month_replace,
    voucher_attach,
    voucher_correct,
    voucher_record,
    voucher_sign,
)
from qinglian.finance.tests.ledger_helpers import cash_and_bank, payment, receipt

MARCH = date(2025, 3, 1)
SOURCE = ImportSource(file_name="2025-03.xlsx", sha256="0" * 64, rows=4)


@pytest.fixture
def accounts(tree):
    return cash_and_bank(tree.village_a1, cash="800", bank="10000")


def test_voucher_is_numbered_in_its_month_and_audited(tree, village_cadre, accounts):
    cash, bank = accounts
    first = voucher_record(
        actor=village_cadre,
        village=tree.village_a1,
        draft=receipt(bank, "3000", on=date(2025, 3, 5)),
    )
    second = voucher_record(
        actor=village_cadre,
        village=tree.village_a1,
        draft=payment(cash, "120", on=date(2025, 3, 9)),
    )
    april = voucher_record(
        actor=village_cadre, village=tree.village_a1, draft=payment(cash, "50", on=date(2025, 4, 1))
    )
    assert (first.number, second.number, april.number) == (1, 2, 1)
    assert first.ledger_month.month == MARCH
    assert VoucherLine.objects.filter(voucher=first).count() == 2
    assert AuditEvent.objects.filter(verb="voucher.recorded", target_id=str(first.pk)).exists()


def test_unbalanced_voucher_is_refused(tree, village_cadre, accounts):
    _cash, bank = accounts
    draft = receipt(bank, "100", on=date(2025, 3, 5))
    draft.lines[1].amount = Decimal("90")
    with pytest.raises(DomainError) as refused:
        voucher_record(actor=village_cadre, village=tree.village_a1, draft=draft)
    assert refused.value.field == "lines"
    assert not Voucher.objects.exists()


def test_money_line_needs_an_account_of_the_village(tree, village_cadre, accounts):
    _cash, bank = accounts
    other_cash, _other_bank = cash_and_bank(tree.village_a2)
    draft = receipt(bank, "100", on=date(2025, 3, 5))
    draft.lines[0].account = None
    with pytest.raises(DomainError) as missing:
        voucher_record(actor=village_cadre, village=tree.village_a1, draft=draft)
    assert missing.value.field == "account"
    draft.lines[0].account = other_cash
    with pytest.raises(DomainError) as foreign:
        voucher_record(actor=village_cadre, village=tree.village_a1, draft=draft)
    assert foreign.value.field == "account"


def test_amounts_are_positive_with_two_decimals(tree, village_cadre, accounts):
    _cash, bank = accounts
    for bad in ("0", "-5", "1.005"):
        draft = receipt(bank, "1", on=date(2025, 3, 5))
        for line in draft.lines:
            line.amount = Decimal(bad)
        with pytest.raises(DomainError) as refused:
            voucher_record(actor=village_cadre, village=tree.village_a1, draft=draft)
        assert refused.value.field == "amount"


def test_used_number_is_refused(tree, village_cadre, accounts):
    _cash, bank = accounts
    voucher_record(actor=village_cadre, village=tree.village_a1, draft=receipt(bank, "1", on=MARCH))
    draft = receipt(bank, "2", on=MARCH)
    draft.number = 1
    with pytest.raises(DomainError) as refused:
        voucher_record(actor=village_cadre, village=tree.village_a1, draft=draft)
    assert refused.value.field == "number"


def test_closed_month_changes_only_with_a_reason(tree, village_cadre, accounts):
    _cash, bank = accounts
    voucher = voucher_record(
        actor=village_cadre, village=tree.village_a1, draft=receipt(bank, "500", on=MARCH)
    )
    month = ledger_month_close(actor=village_cadre, ledger_month=voucher.ledger_month)
    assert month.is_closed
    with pytest.raises(DomainError) as refused:
        voucher_record(
            actor=village_cadre, village=tree.village_a1, draft=receipt(bank, "7", on=MARCH)
        )
    assert refused.value.field == "reason"
    late = voucher_record(
        actor=village_cadre,
        village=tree.village_a1,
        draft=receipt(bank, "7", on=MARCH),
        reason="漏记的3月租金",
    )
    month.refresh_from_db()
    assert late.number == 2
    assert month.revision == 2
    assert month.corrections.get().reason == "漏记的3月租金"


def test_correction_supersedes_and_keeps_the_old_voucher(tree, village_cadre, accounts):
    cash, _bank = accounts
    wrong = voucher_record(
        actor=village_cadre, village=tree.village_a1, draft=payment(cash, "300", on=MARCH)
    )
    ledger_month_close(actor=village_cadre, ledger_month=wrong.ledger_month)
    with pytest.raises(DomainError):
        voucher_correct(
            actor=village_cadre, voucher=wrong, draft=payment(cash, "30", on=MARCH), reason=" "
        )
    right = voucher_correct(
        actor=village_cadre, voucher=wrong, draft=payment(cash, "30", on=MARCH), reason="金额录错"
    )
    wrong.refresh_from_db()
    assert wrong.superseded_by is not None and wrong.superseded_by.kind == CorrectionKind.VOUCHER
    assert right.number == wrong.number
    statement = monthly_statement(right.ledger_month)
    assert statement.expense_total == Decimal("30")
    # The statement as first published still reads 300.
    assert monthly_statement(right.ledger_month, as_of_revision=1).expense_total == Decimal("300")
    with pytest.raises(DomainError):
        voucher_correct(
            actor=village_cadre, voucher=wrong, draft=payment(cash, "1", on=MARCH), reason="x"
        )


def test_reopen_needs_a_reason(tree, village_cadre, accounts):
    _cash, bank = accounts
    voucher = voucher_record(
        actor=village_cadre, village=tree.village_a1, draft=receipt(bank, "1", on=MARCH)
    )
    month = ledger_month_close(actor=village_cadre, ledger_month=voucher.ledger_month)
    with pytest.raises(DomainError):
        ledger_month_reopen(actor=village_cadre, ledger_month=month, reason="")
    month = ledger_month_reopen(actor=village_cadre, ledger_month=month, reason="补录发票")
    assert not month.is_closed and month.revision == 2
    assert AuditEvent.objects.filter(verb="ledger_month.reopened").exists()


def test_month_replace_writes_all_and_supersedes_the_previous_upload(tree, village_cadre, accounts):
    cash, bank = accounts
    drafts = [receipt(bank, "1000", on=date(2025, 3, 2)), payment(cash, "200", on=date(2025, 3, 3))]
    first = ledger_month_replace(
        actor=village_cadre,
        village=tree.village_a1,
        month=MARCH,
        vouchers=drafts,
        reason="",
        source=SOURCE,
    )
    assert first.vouchers.count() == 2
    again = [receipt(bank, "1500", on=date(2025, 3, 2))]
    second = ledger_month_replace(
        actor=village_cadre,
        village=tree.village_a1,
        month=MARCH,
        vouchers=again,
        reason="",
        source=SOURCE,
    )
    current = Voucher.objects.filter(superseded_by__isnull=True)
    assert list(current.values_list("ledger_import", flat=True)) == [second.pk]
    assert Voucher.objects.count() == 3
    statement = monthly_statement(LedgerMonth.objects.get())
    assert statement.income_total == Decimal("1500")


def test_month_replace_of_a_closed_month_needs_a_reason_and_writes_nothing_without(
    tree, village_cadre, accounts
):
    _cash, bank = accounts
    ledger_month_replace(
        actor=village_cadre,
        village=tree.village_a1,
        month=MARCH,
        vouchers=[receipt(bank, "10", on=MARCH)],
        reason="",
        source=SOURCE,
    )
    ledger_month_close(actor=village_cadre, ledger_month=LedgerMonth.objects.get())
    with pytest.raises(DomainError) as refused:
        ledger_month_replace(
            actor=village_cadre,
            village=tree.village_a1,
            month=MARCH,
            vouchers=[receipt(bank, "99", on=MARCH)],
            reason="",
            source=SOURCE,
        )
    assert refused.value.field == "reason"
    assert Voucher.objects.count() == 1


def test_month_replace_refuses_a_voucher_outside_the_month(tree, village_cadre, accounts):
    _cash, bank = accounts
    with pytest.raises(DomainError) as refused:
        ledger_month_replace(
            actor=village_cadre,
            village=tree.village_a1,
            month=MARCH,
            vouchers=[receipt(bank, "10", on=MARCH), receipt(bank, "10", on=date(2025, 4, 1))],
            reason="",
            source=SOURCE,
        )
    assert refused.value.field == "date"
    assert not Voucher.objects.exists()


def test_signoff_follows_the_chain(tree, village_cadre, accounts, english):
    cash, _bank = accounts
    voucher = voucher_record(
        actor=village_cadre, village=tree.village_a1, draft=payment(cash, "80", on=MARCH)
    )
    with pytest.raises(DomainError) as early:
        voucher_sign(
            actor=village_cadre,
            voucher=voucher,
            role="party_secretary",
            name="王书记",
            signed_on=MARCH,
        )
    assert "supervision committee review" in early.value.message
    voucher_sign(
        actor=village_cadre, voucher=voucher, role="finance_review", name="李监委", signed_on=MARCH
    )
    voucher_sign(
        actor=village_cadre, voucher=voucher, role="committee_chair", name="张主任", signed_on=MARCH
    )
    last = voucher_sign(
        actor=village_cadre, voucher=voucher, role="party_secretary", name="王书记", signed_on=MARCH
    )
    assert last.step == 3
    with pytest.raises(DomainError):
        voucher_sign(
            actor=village_cadre, voucher=voucher, role="finance_review", name="李", signed_on=MARCH
        )


def test_attachment_type_comes_from_its_bytes(tree, village_cadre, accounts, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cash, _bank = accounts
    voucher = voucher_record(
        actor=village_cadre, village=tree.village_a1, draft=payment(cash, "80", on=MARCH)
    )
    pdf = voucher_attach(
        actor=village_cadre,
        voucher=voucher,
        kind="invoice",
        file_name="发票.pdf",
        content=b"%PDF-1.7 test",
    )
    assert pdf.content_type == "application/pdf"
    assert (tmp_path / pdf.file.name).read_bytes() == b"%PDF-1.7 test"
    with pytest.raises(DomainError):
        voucher_attach(
            actor=village_cadre,
            voucher=voucher,
            kind="invoice",
            file_name="x.pdf",
            content=b"MZ\x90",
        )
    assert VoucherAttachment.objects.count() == 1


def test_fund_account_names_are_unique_per_village(tree):
    cash_and_bank(tree.village_a1)
    with pytest.raises(DomainError) as refused:
        fund_account_open(
            actor=None, village=tree.village_a1, kind="cash", name="现金", opened_on=MARCH
        )
    assert refused.value.field == "name"
    with pytest.raises(DomainError):
        fund_account_open(actor=None, village=tree.town_a, kind="cash", name="镇", opened_on=MARCH)


def test_only_money_subjects_name_an_account(tree, village_cadre, accounts):
    cash, _bank = accounts
    draft = VoucherDraft(
        date=MARCH,
        summary="计提工资",
        lines=[
            LineDraft(subject("541"), Direction.DEBIT, Decimal("10"), account=cash),
            LineDraft(subject("211"), Direction.CREDIT, Decimal("10")),
        ],
    )
    with pytest.raises(DomainError) as refused:
        voucher_record(actor=village_cadre, village=tree.village_a1, draft=draft)
    assert refused.value.field == "account"


def test_income_line_keeps_the_asset_that_earned_it(tree, village_cadre, accounts):
    from qinglian.finance import factories
    from qinglian.finance.property_selectors import income_by_source

    _cash, bank = accounts
    station = factories.asset(tree.village_a1, name="村级光伏电站")
    draft = receipt(bank, "2300", on=MARCH, code="501002", summary="3月光伏发电收入")
    draft.lines[1].asset = station
    voucher_record(actor=village_cadre, village=tree.village_a1, draft=draft)
    sources = {source.pk: source for source in income_by_source(tree.village_a1, 2025)}
    assert sources[station.pk].source == "asset"
    assert sources[station.pk].amount == Decimal("2300")
    elsewhere = factories.asset(tree.village_a2, name="别村的仓库")
    foreign = receipt(bank, "1", on=MARCH)
    foreign.lines[1].asset = elsewhere
    with pytest.raises(DomainError) as refused:
        voucher_record(actor=village_cadre, village=tree.village_a1, draft=foreign)
    assert refused.value.field == "asset"


def test_checked_month_is_accepted_only_for_its_own_village_and_month(
    tree, village_cadre, accounts
):
    from qinglian.finance.drafts import CheckedMonth

    _cash, bank = accounts
    drafts = [receipt(bank, "10", on=MARCH)]
    for village_id, month in ((tree.village_a2.pk, MARCH), (tree.village_a1.pk, date(2025, 4, 1))):
        with pytest.raises(ValueError):
            ledger_month_replace(
                actor=village_cadre,
                village=tree.village_a1,
                month=MARCH,
                vouchers=CheckedMonth(village_id=village_id, month=month, vouchers=drafts),
                reason="",
                source=SOURCE,
            )
    assert not Voucher.objects.exists()
    ledger_month_replace(
        actor=village_cadre,
        village=tree.village_a1,
        month=MARCH,
        vouchers=CheckedMonth(village_id=tree.village_a1.pk, month=MARCH, vouchers=drafts),
        reason="",
        source=SOURCE,
    )
    assert Voucher.objects.count() == 1
