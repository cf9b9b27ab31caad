from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qinglian.core.errors import DomainError
from qinglian.finance.drafts import ImportSource
from qinglian.finance.models import LedgerMonth, Threshold, VoucherLine
from qinglian.finance.selectors import monthly_statement, monthly_statement_for
from qinglian.finance.services import (
    ledger_month_close,
    ledger_month_replace,
    statement_publish,
    voucher_correct,
    voucher_record,
)
from qinglian.finance.tests.ledger_helpers import (
    cash_and_bank,
    payment,
    power_matter,
    receipt,
    transfer,
)
from qinglian.transparency.models import LogEntry
from qinglian.transparency.services import log_reverify

MARCH = date(2025, 3, 1)
SOURCE = ImportSource(file_name="ledger.xlsx", sha256="1" * 64, rows=0)


@pytest.fixture
def accounts(tree):
    return cash_and_bank(tree.village_a1, cash="800", bank="10000")


def test_statement_groups_income_and_expense_and_balances(tree, accounts):
    cash, bank = accounts
    for draft in (
        receipt(bank, "3000", on=date(2025, 2, 20)),  # February: part of March's opening
        receipt(bank, "12000", on=date(2025, 3, 3), code="511001", summary="土地承包金"),
        receipt(bank, "600", on=date(2025, 3, 4), code="501003", summary="店面租金"),
        payment(cash, "150", on=date(2025, 3, 5), summary="打印纸"),
        payment(bank, "4000", on=date(2025, 3, 6), code="551", summary="道路修补"),
        transfer(bank, cash, "500", on=date(2025, 3, 7)),
    ):
        voucher_record(actor=None, village=tree.village_a1, draft=draft)
    # Cash withdrawn from the bank: a receipt of the cash box, not income.
    statement = monthly_statement_for(tree.village_a1, MARCH)
    assert [g.code for g in statement.income] == ["501003", "511001"]
    assert statement.income_total == Decimal("12600")
    assert [g.code for g in statement.expense] == ["541", "551"]
    assert statement.expense_total == Decimal("4150")
    by_name = {b.account.name: b for b in statement.accounts}
    assert by_name["农商银行基本户"].opening == Decimal("13000")
    assert by_name["农商银行基本户"].closing == Decimal("13000") + 12600 - 4000 - 500
    assert by_name["现金"].opening == Decimal("800")
    assert by_name["现金"].receipts == Decimal("500")
    assert by_name["现金"].closing == Decimal("1150")
    assert statement.errors == []
    assert statement.voucher_count == 5


def test_a_voucher_dated_outside_its_month_is_an_error_the_bookkeeper_sees(tree, accounts, english):
    _cash, bank = accounts
    voucher = voucher_record(
        actor=None, village=tree.village_a1, draft=receipt(bank, "100", on=date(2025, 3, 31))
    )
    type(voucher).objects.filter(pk=voucher.pk).update(date=date(2025, 4, 2))
    statement = monthly_statement(voucher.ledger_month)
    assert any("2025-04-02" in error for error in statement.errors)
    assert any("does not reconcile" in error for error in statement.errors)
    with pytest.raises(DomainError):
        ledger_month_close(actor=None, ledger_month=voucher.ledger_month)


def test_an_unbalanced_voucher_in_the_books_is_an_error(tree, accounts, english):
    _cash, bank = accounts
    voucher = voucher_record(
        actor=None, village=tree.village_a1, draft=receipt(bank, "100", on=MARCH)
    )
    VoucherLine.objects.filter(voucher=voucher, line_no=2).update(amount=Decimal("90"))
    statement = monthly_statement(voucher.ledger_month)
    assert any("does not balance" in error for error in statement.errors)


def test_cash_payment_above_the_limit_is_flagged_with_the_regions_limit(tree, accounts):
    cash, bank = accounts
    voucher_record(actor=None, village=tree.village_a1, draft=transfer(bank, cash, "500", on=MARCH))
    voucher_record(actor=None, village=tree.village_a1, draft=payment(cash, "1200", on=MARCH))
    statement = monthly_statement_for(tree.village_a1, MARCH)
    assert len([w for w in statement.warnings if "1200" in w]) == 1
    # The township raises its limit from March: the same payment is no longer flagged.
    Threshold.objects.create(
        region=tree.town_a, key="cash_payment_max", value=Decimal("2000"), effective_from=MARCH
    )
    assert not [w for w in monthly_statement_for(tree.village_a1, MARCH).warnings if "1200" in w]


def test_statement_costs_a_fixed_number_of_queries(tree, accounts, django_assert_num_queries):
    cash, bank = accounts
    for day in range(1, 29):
        voucher_record(
            actor=None,
            village=tree.village_a1,
            draft=receipt(bank, "100", on=MARCH.replace(day=day)),
        )
    ledger_month = LedgerMonth.objects.select_related("village").get()
    # Accounts, two balance sums, the lines, the thresholds, the corrections.
    with django_assert_num_queries(6) as small:
        monthly_statement(ledger_month)
    for day in range(1, 29):
        voucher_record(
            actor=None, village=tree.village_a1, draft=payment(cash, "1", on=MARCH.replace(day=day))
        )
    with django_assert_num_queries(len(small.captured_queries)):
        statement = monthly_statement(ledger_month)
    assert statement.line_count == 112


def test_publish_appends_to_the_log_and_reverifies(tree, accounts):
    _cash, bank = accounts
    voucher = voucher_record(
        actor=None, village=tree.village_a1, draft=receipt(bank, "100", on=MARCH)
    )
    ledger_month = voucher.ledger_month
    with pytest.raises(DomainError):
        statement_publish(actor=None, ledger_month=ledger_month)  # still open
    ledger_month_close(actor=None, ledger_month=ledger_month)
    statement_publish(actor=None, ledger_month=ledger_month)
    entry = LogEntry.objects.get(record_type="monthly_statement")
    assert entry.record_id == "339901100201/2025-03/r1"
    with pytest.raises(DomainError):
        statement_publish(actor=None, ledger_month=ledger_month)
    # A correction publishes a new revision; the first stays verifiable as it was.
    voucher_correct(
        actor=None, voucher=voucher, draft=receipt(bank, "110", on=MARCH), reason="少记10元"
    )
    statement_publish(actor=None, ledger_month=ledger_month)
    assert LogEntry.objects.filter(record_type="monthly_statement").count() == 2
    assert log_reverify() == []


def test_quiet_edit_of_a_published_line_is_caught_by_reverification(tree, accounts):
    _cash, bank = accounts
    voucher = voucher_record(
        actor=None, village=tree.village_a1, draft=receipt(bank, "100", on=MARCH)
    )
    ledger_month_close(actor=None, ledger_month=voucher.ledger_month)
    statement_publish(actor=None, ledger_month=voucher.ledger_month)
    VoucherLine.objects.filter(voucher=voucher).update(amount=Decimal("10"))
    findings = log_reverify()
    assert [f.kind for f in findings] == ["changed"]


def test_replaced_month_reads_only_the_new_upload(tree, accounts):
    _cash, bank = accounts
    ledger_month_replace(
        actor=None,
        village=tree.village_a1,
        month=MARCH,
        vouchers=[receipt(bank, "100", on=MARCH)],
        reason="",
        source=SOURCE,
    )
    ledger_month_replace(
        actor=None,
        village=tree.village_a1,
        month=MARCH,
        vouchers=[receipt(bank, "70", on=MARCH)],
        reason="",
        source=SOURCE,
    )
    assert monthly_statement_for(tree.village_a1, MARCH).income_total == Decimal("70")


# --- property-based: the statement reconciles over random ledgers ---------------------

movement = st.tuples(
    st.sampled_from(["in", "out"]),
    st.sampled_from(["cash", "bank"]),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2),
    st.integers(min_value=0, max_value=88),  # day offset from 1 February, to 30 April
    st.sampled_from(["501003", "511001", "522", "531", "541", "551", "112", "202"]),
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(movements=st.lists(movement, min_size=1, max_size=25))
def test_statements_reconcile_over_random_ledgers(tree, movements):
    VoucherLine.objects.all().delete()
    from qinglian.finance.models import FundAccount, LedgerCorrection, LedgerMonth, Voucher

    Voucher.objects.all().delete()
    LedgerCorrection.objects.all().delete()
    LedgerMonth.objects.all().delete()
    FundAccount.objects.all().delete()
    cash, bank = cash_and_bank(tree.village_a1, cash="10000000", bank="10000000")
    accounts = {"cash": cash, "bank": bank}
    start = date(2025, 2, 1)
    expected_income = {2: Decimal(0), 3: Decimal(0), 4: Decimal(0)}
    expected_expense = {2: Decimal(0), 3: Decimal(0), 4: Decimal(0)}
    for way, account, amount, offset, code in movements:
        on = start + timedelta(days=offset)
        if way == "in":
            draft = receipt(accounts[account], str(amount), on=on, code=code)
            if code in {"501003", "511001", "522", "531"}:
                expected_income[on.month] += amount
            elif code in {"541", "551"}:
                expected_income[on.month] -= amount  # a refund credited to an expense
                expected_expense[on.month] -= amount
                expected_income[on.month] += amount
        else:
            draft = payment(accounts[account], str(amount), on=on, code=code)
            if code in {"541", "551"}:
                expected_expense[on.month] += amount
            elif code in {"501003", "511001", "522", "531"}:
                expected_income[on.month] -= amount  # income given back
        voucher_record(actor=None, village=tree.village_a1, draft=draft)

    previous_closing: dict[str, Decimal] | None = None
    for month_number in (2, 3, 4):
        statement = monthly_statement_for(tree.village_a1, date(2025, month_number, 1))
        assert statement.errors == []
        closing = {}
        for balance in statement.accounts:
            assert balance.opening + balance.receipts - balance.payments == balance.closing
            closing[balance.account.name] = balance.closing
        if previous_closing is not None:
            assert {b.account.name: b.opening for b in statement.accounts} == previous_closing
        previous_closing = closing
        assert statement.income_total == expected_income[month_number]
        assert statement.expense_total == expected_expense[month_number]
        for group in statement.income + statement.expense:
            assert group.total == sum((line.amount for line in group.lines), Decimal(0))
    # Over the whole period, money moved equals the lines written.
    all_lines = VoucherLine.objects.filter(account__isnull=False)
    net = sum((line.signed_amount for line in all_lines), Decimal(0))
    assert sum(previous_closing.values(), Decimal(0)) == Decimal("20000000") + net  # type: ignore[union-attr]


def _matter(village, state):
    return power_matter(village, state, started_on=MARCH)


def test_payment_above_the_tier_without_a_decided_power_matter_is_flagged(tree, accounts):
    _cash, bank = accounts
    road = payment(bank, "60000", on=MARCH, code="551", summary="道路硬化工程款")
    voucher_record(actor=None, village=tree.village_a1, draft=road)
    authorised = payment(bank, "70000", on=MARCH, code="551", summary="水渠工程款")
    authorised.power_matter_id = _matter(tree.village_a1, "DECIDED").pk
    voucher_record(actor=None, village=tree.village_a1, draft=authorised)

    warnings = monthly_statement_for(tree.village_a1, MARCH).warnings
    flagged = [w for w in warnings if "60000" in w or "70000" in w]
    assert len(flagged) == 1 and "60000" in flagged[0]


@pytest.mark.parametrize("where, state", [("village_a1", "OPEN"), ("village_a2", "FINISHED")])
def test_a_voucher_points_only_at_a_decided_matter_of_its_village(tree, accounts, where, state):
    _cash, bank = accounts
    draft = payment(bank, "70000", on=MARCH, code="551", summary="水渠工程款")
    draft.power_matter_id = _matter(getattr(tree, where), state).pk
    with pytest.raises(DomainError) as refused:
        voucher_record(actor=None, village=tree.village_a1, draft=draft)
    assert refused.value.field == "power_matter_id"
