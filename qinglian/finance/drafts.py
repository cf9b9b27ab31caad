"""Vouchers as they come in (from a form, a file or the API), before they are written.

A draft holds resolved objects (subject, account, counterparty), so that the
write service checks only the ledger's own rules: balanced, numbered, dated
inside the month, money lines on an account of the village.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from qinglian.directory.models import Company, Person
from qinglian.finance.models import Asset, Contract, FundAccount, Resource, Subject


@dataclass(slots=True)
class LineDraft:
    subject: Subject
    direction: str  # Direction value
    amount: Decimal
    summary: str = ""
    account: FundAccount | None = None
    payment_method: str = ""  # PaymentMethod value or ""
    counterparty_person: Person | None = None
    counterparty_company: Company | None = None
    counterparty_name: str = ""
    contract: Contract | None = None
    asset: Asset | None = None  # the asset or resource that earned (or cost) the money
    resource: Resource | None = None
    # Where the draft came from (a spreadsheet row number), for error messages.
    source_row: int | None = None


@dataclass(slots=True)
class VoucherDraft:
    date: date
    summary: str
    lines: list[LineDraft]
    number: int | None = None  # None: the next free number of the month
    handler: Person | None = None
    handler_name: str = ""
    power_matter_id: int | None = None
    source_rows: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class CheckedMonth:
    """A month's vouchers that the import has checked row by row, for this village and month.

    The import applies every rule of the write service (and more) to each row;
    handing its result over in this form spares the service a second pass over
    100,000 lines. Drafts handed over as a plain list are always checked again.
    """

    village_id: int
    month: date
    vouchers: list[VoucherDraft]


@dataclass(frozen=True)
class ImportSource:
    """The uploaded file a batch of vouchers comes from."""

    file_name: str
    sha256: str
    rows: int
