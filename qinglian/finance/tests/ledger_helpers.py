"""Small builders for ledger tests: accounts, two-line vouchers, power matters."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from qinglian.directory.models import Region
from qinglian.finance.drafts import LineDraft, VoucherDraft
from qinglian.finance.factories import subject
from qinglian.finance.models import Direction, FundAccount, FundAccountKind
from qinglian.finance.services import fund_account_open


def cash_and_bank(
    village: Region, *, cash: str = "0", bank: str = "0"
) -> tuple[FundAccount, FundAccount]:
    return (
        fund_account_open(
            actor=None,
            village=village,
            kind=FundAccountKind.CASH,
            name="现金",
            opened_on=date(2020, 1, 1),
            opening_balance=Decimal(cash),
        ),
        fund_account_open(
            actor=None,
            village=village,
            kind=FundAccountKind.BANK,
            name="农商银行基本户",
            opened_on=date(2020, 1, 1),
            opening_balance=Decimal(bank),
            bank_name="农商银行",
            number_tail="0423",
        ),
    )


def receipt(
    account: FundAccount, amount: str, *, on: date, code: str = "501003", summary: str = "租金收入"
) -> VoucherDraft:
    """Money received into ``account`` against an income (or other) subject."""
    value = Decimal(amount)
    return VoucherDraft(
        date=on,
        summary=summary,
        lines=[
            LineDraft(account.subject, Direction.DEBIT, value, account=account),
            LineDraft(subject(code), Direction.CREDIT, value),
        ],
    )


def payment(
    account: FundAccount,
    amount: str,
    *,
    on: date,
    code: str = "541",
    summary: str = "办公用品",
    payment_method: str = "",
) -> VoucherDraft:
    """Money paid out of ``account`` against an expense (or other) subject."""
    value = Decimal(amount)
    return VoucherDraft(
        date=on,
        summary=summary,
        lines=[
            LineDraft(subject(code), Direction.DEBIT, value),
            LineDraft(
                account.subject,
                Direction.CREDIT,
                value,
                account=account,
                payment_method=payment_method,
            ),
        ],
    )


def transfer(source: FundAccount, target: FundAccount, amount: str, *, on: date) -> VoucherDraft:
    """Money moved between two of the village's own accounts (cash drawn from the bank)."""
    value = Decimal(amount)
    return VoucherDraft(
        date=on,
        summary="提取备用金",
        lines=[
            LineDraft(target.subject, Direction.DEBIT, value, account=target),
            LineDraft(source.subject, Direction.CREDIT, value, account=source),
        ],
    )


def power_matter(village: Region, state: str, *, started_on: date = date(2025, 3, 1)) -> Any:
    """A matter of the village in that state (``MatterState`` name: OPEN, DECIDED, FINISHED…)."""
    from qinglian.powers.models import Matter, MatterState, PowerItem

    return Matter.objects.create(
        village=village,
        item=PowerItem.objects.get(power_list__region__isnull=True, code="P07"),
        title="水渠工程",
        origin="cadres",
        started_on=started_on,
        state=getattr(MatterState, state),
    )
