"""Finance endpoints: a village's ledger, monthly statements and contracts (staff, scoped)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.security import django_auth

from qinglian.accounts.policy import access_region
from qinglian.core.calendar import month_from_key
from qinglian.directory.models import Region
from qinglian.finance import property_selectors, selectors
from qinglian.finance.models import LedgerMonth, Voucher

router = Router(tags=["finance"])


def _village(request: HttpRequest, code: str) -> Region:
    region = access_region(request.user, code)
    if not region.is_village:
        raise Http404
    return region


def _month(text: str) -> date:
    try:
        return month_from_key(text)
    except ValueError:
        raise Http404 from None


class LineOut(Schema):
    line_no: int
    summary: str
    subject: str
    direction: str
    amount: Decimal
    account: str | None
    payment_method: str
    counterparty: str


class VoucherOut(Schema):
    number: int
    date: date
    summary: str
    handler: str
    power_matter_id: int | None
    lines: list[LineOut]


class StatementOut(Schema):
    village: str
    month: str
    status: str
    revision: int
    published_revision: int | None
    content: dict[str, Any]
    errors: list[str]
    warnings: list[str]


class ProblemOut(Schema):
    code: str
    message: str


class ContractOut(Schema):
    number: str
    title: str
    kind: str
    direction: str
    counterparty: str
    starts_on: date | None
    ends_on: date | None
    amount: Decimal | None
    annual_rent: Decimal | None
    due: Decimal
    collected: Decimal
    standardised: bool
    problems: list[ProblemOut]


@router.get("/villages/{code}/ledger/{month}/", response=list[VoucherOut], auth=django_auth)
def village_ledger(request: HttpRequest, code: str, month: str) -> list[dict[str, Any]]:
    """The month's current vouchers with their lines (corrected ones left out)."""
    village = _village(request, code)
    ledger_month = LedgerMonth.objects.filter(village=village, month=_month(month)).first()
    if ledger_month is None:
        return []
    vouchers = (
        Voucher.objects.filter(ledger_month=ledger_month, superseded_by__isnull=True)
        .prefetch_related(
            "lines__subject",
            "lines__account",
            "lines__counterparty_person",
            "lines__counterparty_company",
        )
        .order_by("number")
    )
    return [
        {
            "number": voucher.number,
            "date": voucher.date,
            "summary": voucher.summary,
            "handler": voucher.handler_name,
            "power_matter_id": voucher.power_matter_id,
            "lines": [
                {
                    "line_no": line.line_no,
                    "summary": line.summary,
                    "subject": line.subject.code,
                    "direction": line.direction,
                    "amount": line.amount,
                    "account": line.account.name if line.account else None,
                    "payment_method": line.payment_method,
                    "counterparty": line.counterparty_label,
                }
                for line in voucher.lines.all()
            ],
        }
        for voucher in vouchers
    ]


@router.get("/villages/{code}/statements/{month}/", response=StatementOut, auth=django_auth)
def village_statement(request: HttpRequest, code: str, month: str) -> dict[str, Any]:
    """The monthly statement: income and expense by subject with every line, balances, checks."""
    village = _village(request, code)
    statement = selectors.monthly_statement_for(village, _month(month))
    ledger_month = statement.ledger_month
    return {
        "village": village.code,
        "month": f"{statement.month:%Y-%m}",
        "status": ledger_month.status if ledger_month else "none",
        "revision": statement.revision,
        "published_revision": ledger_month.published_revision if ledger_month else None,
        "content": selectors.statement_content(statement),
        "errors": statement.errors,
        "warnings": statement.warnings,
    }


@router.get("/regions/{code}/contracts/", response=list[ContractOut], auth=django_auth)
def region_contracts(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    """Contracts of a region's villages with what fell due, what was collected, and problems."""
    region = access_region(request.user, code)
    rows = property_selectors.contracts_in(region, on=timezone.localdate())
    return [
        {
            "number": row.contract.number,
            "title": row.contract.title,
            "kind": row.contract.kind,
            "direction": row.contract.direction,
            "counterparty": row.contract.counterparty_label,
            "starts_on": row.contract.starts_on,
            "ends_on": row.contract.ends_on,
            "amount": row.contract.amount,
            "annual_rent": row.contract.annual_rent,
            "due": row.due,
            "collected": row.collected,
            "standardised": row.standardised,
            "problems": [{"code": p.code, "message": str(p.message)} for p in row.problems],
        }
        for row in rows
    ]
