"""Reads of the ledger: the monthly statement and the lists behind the staff pages.

The monthly statement costs a fixed number of queries whatever the number of
lines: the village's accounts, two balance aggregates, the month's lines with
everything they show, the thresholds and the corrections.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Case, DecimalField, F, Q, QuerySet, Sum, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from qinglian.core.calendar import month_end, month_start
from qinglian.directory.codes import ancestor_paths
from qinglian.directory.models import Company, Person, Region, subtree_q
from qinglian.finance.models import (
    ZERO,
    Direction,
    FundAccount,
    FundAccountKind,
    LedgerCorrection,
    LedgerMonth,
    PaymentMethod,
    Subject,
    SubjectKind,
    ThresholdKey,
    Voucher,
    VoucherLine,
    cents,
)
from qinglian.finance.thresholds import threshold_values

_MONEY_FIELD: DecimalField[Decimal, Decimal] = DecimalField(max_digits=16, decimal_places=2)


@dataclass
class StatementLine:
    voucher_id: int
    voucher_number: int
    date: date
    summary: str
    subject_code: str
    subject_name: str
    amount: Decimal
    counterparty: str
    payment_method: str
    account: str
    handler: str
    power_matter_id: int | None


@dataclass
class SubjectTotal:
    code: str
    name: str
    total: Decimal
    lines: list[StatementLine] = field(default_factory=list)


@dataclass
class AccountBalance:
    account: FundAccount
    opening: Decimal
    receipts: Decimal
    payments: Decimal
    closing: Decimal  # the balance through the month's last day, counted on its own

    @property
    def expected_closing(self) -> Decimal:
        return self.opening + self.receipts - self.payments

    @property
    def reconciles(self) -> bool:
        return self.expected_closing == self.closing


@dataclass
class MonthlyStatement:
    village: Region
    month: date
    ledger_month: LedgerMonth | None
    income: list[SubjectTotal]
    expense: list[SubjectTotal]
    other_movements: list[StatementLine]
    accounts: list[AccountBalance]
    corrections: list[LedgerCorrection]
    errors: list[str]
    warnings: list[str]
    voucher_count: int
    line_count: int

    @property
    def income_total(self) -> Decimal:
        return sum((group.total for group in self.income), ZERO)

    @property
    def expense_total(self) -> Decimal:
        return sum((group.total for group in self.expense), ZERO)

    @property
    def opening_total(self) -> Decimal:
        return sum((balance.opening for balance in self.accounts), ZERO)

    @property
    def closing_total(self) -> Decimal:
        return sum((balance.closing for balance in self.accounts), ZERO)

    @property
    def cash_on_hand(self) -> Decimal:
        return sum(
            (b.closing for b in self.accounts if b.account.kind == FundAccountKind.CASH), ZERO
        )

    @property
    def bank_balance(self) -> Decimal:
        return sum(
            (b.closing for b in self.accounts if b.account.kind != FundAccountKind.CASH), ZERO
        )

    as_of_revision: int | None = None

    @property
    def revision(self) -> int:
        if self.as_of_revision is not None:
            return self.as_of_revision
        return self.ledger_month.revision if self.ledger_month else 0


def _signed_sums(lines: QuerySet[VoucherLine]) -> dict[int, Decimal]:
    """Debit minus credit per fund account."""
    rows = lines.values("account_id").annotate(
        net=Coalesce(
            Sum(
                Case(
                    When(direction=Direction.DEBIT, then="amount"),
                    default=-F("amount"),
                    output_field=_MONEY_FIELD,
                )
            ),
            ZERO,
            output_field=_MONEY_FIELD,
        )
    )
    return {row["account_id"]: cents(row["net"]) for row in rows}


def current_lines() -> QuerySet[VoucherLine]:
    return VoucherLine.objects.filter(voucher__superseded_by__isnull=True)


def _statement_line(line: VoucherLine, amount: Decimal) -> StatementLine:
    voucher = line.voucher
    return StatementLine(
        voucher_id=voucher.pk,
        voucher_number=voucher.number,
        date=voucher.date,
        summary=line.summary,
        subject_code=line.subject.code,
        subject_name=line.subject.name,
        amount=amount,
        counterparty=line.counterparty_label,
        payment_method=line.payment_method,
        account=line.account.name if line.account_id else "",  # type: ignore[union-attr]
        handler=voucher.handler_name,
        power_matter_id=voucher.power_matter_id,
    )


def monthly_statement(
    ledger_month: LedgerMonth, *, as_of_revision: int | None = None
) -> MonthlyStatement:
    """Income and expense by subject with every line; balances per account; checks.

    ``as_of_revision`` gives the month's lines as they stood at that revision (a
    published statement is re-verified that way); balances are always today's.
    """
    village = ledger_month.village
    return _statement(village, ledger_month.month, ledger_month, as_of_revision)


def monthly_statement_for(village: Region, month: date) -> MonthlyStatement:
    ledger_month = LedgerMonth.objects.filter(village=village, month=month_start(month)).first()
    return _statement(village, month_start(month), ledger_month)


def lines_as_of(revision: int) -> QuerySet[VoucherLine]:
    """Lines of vouchers written at or before ``revision`` and not yet superseded then."""
    return VoucherLine.objects.filter(
        Q(voucher__superseded_by__isnull=True) | Q(voucher__superseded_by__revision__gt=revision),
        voucher__revision__lte=revision,
    )


def _statement(
    village: Region,
    month: date,
    ledger_month: LedgerMonth | None,
    as_of_revision: int | None = None,
) -> MonthlyStatement:
    end = month_end(month)
    accounts = list(
        FundAccount.objects.filter(village=village, opened_on__lte=end)
        .select_related("subject")
        .order_by("kind", "name")
    )
    village_lines = current_lines().filter(voucher__village=village, account__isnull=False)
    before = _signed_sums(village_lines.filter(voucher__date__lt=month))
    through_end = _signed_sums(village_lines.filter(voucher__date__lte=end))
    lines: list[VoucherLine] = []
    corrections: list[LedgerCorrection] = []
    if ledger_month is not None:
        month_lines = current_lines() if as_of_revision is None else lines_as_of(as_of_revision)
        lines = list(
            month_lines.filter(voucher__ledger_month=ledger_month)
            .select_related(
                "voucher", "subject", "account", "counterparty_person", "counterparty_company"
            )
            .order_by("voucher__number", "line_no")
        )
        corrections = list(ledger_month.corrections.order_by("revision"))
        if as_of_revision is not None:
            corrections = [c for c in corrections if c.revision <= as_of_revision]
    limits = threshold_values(village, end)

    errors: list[str] = []
    warnings: list[str] = []
    income: dict[str, SubjectTotal] = {}
    expense: dict[str, SubjectTotal] = {}
    other: list[StatementLine] = []
    receipts: dict[int, Decimal] = defaultdict(lambda: ZERO)
    payments: dict[int, Decimal] = defaultdict(lambda: ZERO)
    balance_by_voucher: dict[int, Decimal] = defaultdict(lambda: ZERO)
    fund_lines_by_voucher: dict[int, list[VoucherLine]] = defaultdict(list)
    voucher_numbers: dict[int, int] = {}

    for line in lines:
        voucher = line.voucher
        voucher_numbers[voucher.pk] = voucher.number
        balance_by_voucher[voucher.pk] += line.signed_amount
        subject: Subject = line.subject
        if not month <= voucher.date <= end:
            errors.append(
                _("Voucher %(number)d is dated %(date)s, outside this month.")
                % {"number": voucher.number, "date": voucher.date.isoformat()}
            )
        if subject.kind == SubjectKind.INCOME:
            amount = -line.signed_amount
            group = income.setdefault(subject.code, SubjectTotal(subject.code, subject.name, ZERO))
            group.total += amount
            group.lines.append(_statement_line(line, amount))
        elif subject.kind == SubjectKind.EXPENSE:
            amount = line.signed_amount
            group = expense.setdefault(subject.code, SubjectTotal(subject.code, subject.name, ZERO))
            group.total += amount
            group.lines.append(_statement_line(line, amount))
        elif subject.kind == SubjectKind.FUND and line.account_id is not None:
            fund_lines_by_voucher[voucher.pk].append(line)
            if line.direction == Direction.DEBIT:
                receipts[line.account_id] += line.amount
            else:
                payments[line.account_id] += line.amount
        else:
            other.append(_statement_line(line, line.signed_amount))

    for voucher_id, net in balance_by_voucher.items():
        if net != ZERO:
            errors.append(
                _("Voucher %(number)d does not balance (debit minus credit: %(net)s).")
                % {"number": voucher_numbers[voucher_id], "net": net}
            )

    if as_of_revision is not None:
        # The month as it stood then: its closing follows from its own lines of then.
        through_end = {
            pk: before.get(pk, ZERO) + receipts[pk] - payments[pk]
            for pk in {a.pk for a in accounts}
        }
    balances = []
    for account in accounts:
        opening = account.opening_balance + before.get(account.pk, ZERO)
        closing = account.opening_balance + through_end.get(account.pk, ZERO)
        balance = AccountBalance(
            account=account,
            opening=opening,
            receipts=receipts[account.pk],
            payments=payments[account.pk],
            closing=closing,
        )
        balances.append(balance)
        if not balance.reconciles:
            errors.append(
                _(
                    "%(account)s does not reconcile: opening %(opening)s + receipts %(receipts)s "
                    "- payments %(payments)s = %(expected)s, but the books say %(closing)s."
                )
                % {
                    "account": account.name,
                    "opening": balance.opening,
                    "receipts": balance.receipts,
                    "payments": balance.payments,
                    "expected": balance.expected_closing,
                    "closing": balance.closing,
                }
            )
        if closing < ZERO:
            errors.append(
                _("%(account)s would be overdrawn: %(closing)s.")
                % {"account": account.name, "closing": closing}
            )

    cash_max = limits.get("cash_payment_max")
    if cash_max is not None:
        for voucher_lines in fund_lines_by_voucher.values():
            for line in voucher_lines:
                paid_in_cash = line.direction == Direction.CREDIT and (
                    line.account.kind == FundAccountKind.CASH  # type: ignore[union-attr]
                    or line.payment_method == PaymentMethod.CASH
                )
                if paid_in_cash and line.amount >= cash_max:
                    warnings.append(
                        _(
                            "Voucher %(number)d pays %(amount)s in cash; payments of %(limit)s "
                            "or more go by transfer or card."
                        )
                        % {"number": line.voucher.number, "amount": line.amount, "limit": cash_max}
                    )
    cash_limit = limits.get("cash_on_hand_limit")
    for balance in balances:
        if (
            cash_limit is not None
            and balance.account.kind == FundAccountKind.CASH
            and balance.closing > cash_limit
        ):
            warnings.append(
                _("Cash on hand in %(account)s is %(closing)s, above the limit of %(limit)s.")
                % {"account": balance.account.name, "closing": balance.closing, "limit": cash_limit}
            )
    matter_min = limits.get("power_matter_min")
    for voucher_lines in fund_lines_by_voucher.values():
        for line in voucher_lines:
            if (
                matter_min is not None
                and line.direction == Direction.CREDIT
                and line.amount >= matter_min
                and line.voucher.power_matter_id is None
            ):
                warnings.append(
                    _("Voucher %(number)d pays %(amount)s without a decided power matter.")
                    % {"number": line.voucher.number, "amount": line.amount}
                )

    return MonthlyStatement(
        village=village,
        month=month,
        ledger_month=ledger_month,
        income=sorted(income.values(), key=lambda g: g.code),
        expense=sorted(expense.values(), key=lambda g: g.code),
        other_movements=other,
        accounts=balances,
        corrections=corrections,
        errors=errors,
        warnings=warnings,
        voucher_count=len(voucher_numbers),
        line_count=len(lines),
        as_of_revision=as_of_revision,
    )


def statement_content(statement: MonthlyStatement) -> dict[str, Any]:
    """The statement as published: what villagers see, and what the log keeps.

    Counterparties appear by name; no ID number, phone or account number is ever
    part of it.
    """

    def line(item: StatementLine) -> dict[str, Any]:
        return {
            "voucher": item.voucher_number,
            "date": item.date.isoformat(),
            "summary": item.summary,
            "subject": item.subject_code,
            "amount": str(item.amount),
            "counterparty": item.counterparty,
            "payment_method": item.payment_method,
            "handler": item.handler,
        }

    def groups(items: list[SubjectTotal]) -> list[dict[str, Any]]:
        return [
            {
                "subject": g.code,
                "name": g.name,
                "total": str(g.total),
                "lines": [line(i) for i in g.lines],
            }
            for g in items
        ]

    return {
        "village": statement.village.code,
        "village_name": statement.village.name,
        "month": f"{statement.month:%Y-%m}",
        "revision": statement.revision,
        "income": groups(statement.income),
        "expense": groups(statement.expense),
        "income_total": str(statement.income_total),
        "expense_total": str(statement.expense_total),
        "accounts": [
            {
                "name": b.account.name,
                "kind": b.account.kind,
                "opening": str(b.opening),
                "receipts": str(b.receipts),
                "payments": str(b.payments),
                "closing": str(b.closing),
            }
            for b in statement.accounts
        ],
        "corrections": [
            {"revision": c.revision, "kind": c.kind, "reason": c.reason}
            for c in statement.corrections
        ],
    }


# --- lists ------------------------------------------------------------------------


def ledger_months_in(region: Region) -> QuerySet[LedgerMonth]:
    return (
        LedgerMonth.objects.filter(subtree_q("village__path", [region.path]))
        .select_related("village")
        .order_by("-month", "village__path")
    )


def vouchers_of_month(ledger_month: LedgerMonth) -> QuerySet[Voucher]:
    return (
        Voucher.objects.filter(ledger_month=ledger_month)
        .select_related("superseded_by")
        .prefetch_related("lines__subject", "lines__account", "signoffs")
        .order_by("number", "superseded_by_id")
    )


def limits_in_force(village: Region, on: date) -> list[tuple[str, Decimal]]:
    """Every threshold's label and the value in force for the village on ``on``."""
    values = threshold_values(village, on)
    return [(str(key.label), values[key.value]) for key in ThresholdKey if key.value in values]


def voucher_with_history() -> QuerySet[Voucher]:
    """Vouchers with what their page shows: lines, sign-offs, attachments, the correction."""
    return Voucher.objects.select_related(
        "village", "ledger_month", "superseded_by", "ledger_import"
    ).prefetch_related(
        "lines__subject",
        "lines__account",
        "lines__counterparty_person",
        "lines__counterparty_company",
        "lines__contract",
        "signoffs",
        "attachments",
    )


def fund_accounts_of(village: Region) -> QuerySet[FundAccount]:
    return FundAccount.objects.filter(village=village).select_related("subject")


def subjects_for(village: Region, *, chart: str = "2004") -> QuerySet[Subject]:
    return Subject.objects.filter(
        Q(region__isnull=True) | Q(region__path__in=ancestor_paths(village.path)), chart=chart
    ).order_by("code")


def counterparty_by_name(village: Region, name: str) -> tuple[Any, Any]:
    """(person, company) for a name as written in a contract: the one company of that name,
    else the one person of that name registered in the village; (None, None) when the
    name is unknown or ambiguous (it is then kept as text)."""
    name = name.strip()
    if not name:
        return None, None
    companies = list(Company.objects.filter(name=name)[:2])
    if len(companies) == 1:
        return None, companies[0]
    people = list(Person.objects.filter(subtree_q("region_path", [village.path]), name=name)[:2])
    if len(people) == 1:
        return people[0], None
    return None, None
