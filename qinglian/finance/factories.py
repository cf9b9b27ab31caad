"""Factories for finance tests: rows written directly, with valid defaults.

Subjects come from the national chart the migrations ship (chart "2004").
Services are not used here, so that a test of a service builds its other rows
without going through it.
"""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

from qinglian.directory.models import Region
from qinglian.finance.models import (
    Asset,
    AssetCategory,
    AssetKind,
    AssetStatus,
    Contract,
    ContractDirection,
    ContractInstalment,
    ContractKind,
    FundAccount,
    FundAccountKind,
    Resource,
    ResourceKind,
    ResourceStatus,
    Subject,
)

CHART = "2004"
CASH_SUBJECT = "101"
BANK_SUBJECT = "102"

_numbers = itertools.count(1)


def subject(code: str) -> Subject:
    """A subject of the shipped national chart, by code ("101" cash, "511001" land rent…)."""
    return Subject.objects.get(chart=CHART, code=code, region=None)


def fund_account(
    village: Region, *, kind: str = FundAccountKind.BANK, name: str = "", **fields: Any
) -> FundAccount:
    code = CASH_SUBJECT if kind == FundAccountKind.CASH else BANK_SUBJECT
    defaults: dict[str, Any] = {
        "village": village,
        "kind": kind,
        "name": name or f"{FundAccountKind(kind).label} {next(_numbers)}",
        "subject": subject(code),
        "opened_on": date(2020, 1, 1),
    }
    return FundAccount.objects.create(**(defaults | fields))


def asset(village: Region, **fields: Any) -> Asset:
    n = next(_numbers)
    defaults: dict[str, Any] = {
        "village": village,
        "code": f"ZC{n:04d}",
        "name": f"厂房{n}",
        "category": AssetCategory.OPERATING,
        "kind": AssetKind.BUILDING,
        "status": AssetStatus.IN_USE,
        "acquired_on": date(2015, 1, 1),
        "original_value": Decimal("100000.00"),
        "current_value": Decimal("80000.00"),
    }
    return Asset.objects.create(**(defaults | fields))


def resource(village: Region, **fields: Any) -> Resource:
    n = next(_numbers)
    defaults: dict[str, Any] = {
        "village": village,
        "code": f"ZY{n:04d}",
        "name": f"机动地{n}",
        "kind": ResourceKind.RESERVE_LAND,
        "status": ResourceStatus.SELF_OPERATED,
        "area_mu": Decimal("50.00"),
    }
    return Resource.objects.create(**(defaults | fields))


def contract(village: Region, **fields: Any) -> Contract:
    """A standardised lease by default: named party, term, rent at the norm, under 50,000."""
    n = next(_numbers)
    defaults: dict[str, Any] = {
        "village": village,
        "number": f"HT{n:04d}",
        "title": f"租赁合同{n}",
        "kind": ContractKind.LEASE,
        "direction": ContractDirection.RECEIVABLE,
        "counterparty_name": "张三",
        "signed_on": date(2024, 1, 1),
        "starts_on": date(2024, 1, 1),
        "ends_on": date(2026, 12, 31),
        "annual_rent": Decimal("6000.00"),
        "area_mu": Decimal("10.00"),
    }
    return Contract.objects.create(**(defaults | fields))


def instalment(contract: Contract, due_on: date, amount: Decimal | str) -> ContractInstalment:
    return ContractInstalment.objects.create(
        contract=contract, due_on=due_on, amount=Decimal(amount)
    )
