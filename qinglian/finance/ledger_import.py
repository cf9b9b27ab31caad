"""A month's ledger from an uploaded file: read, check every row, then write all or nothing.

``ledger_import_validate`` reads the file (``spreadsheet``), checks every row
and collects every error (row, column, message), never stopping at the first.
Lookups are loaded in bulk before and after the pass over the rows (the chart,
the village's fund accounts and contracts, then the people and companies the
file names, and whether the power matters it names authorise spending), so
the number of queries does not grow with the number of rows.
``ledger_import_file`` writes the month through
``services.ledger_month_replace`` when there is no error, and otherwise keeps
only a trace of the refused upload (``services.ledger_import_refused``).

The pass over the rows is the hot loop of a 100,000-line import: values that
repeat (dates, amounts, codes, account names) are parsed once and cached by
their raw cell value, and nothing but the drafts is built per row.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from qinglian.core.calendar import month_end
from qinglian.core.errors import DomainError
from qinglian.directory.codes import normalise_credit_code, parse_id_number
from qinglian.directory.models import Company, Person, Region
from qinglian.finance import services
from qinglian.finance import spreadsheet as sheet_format
from qinglian.finance.authority import matters_authorising
from qinglian.finance.drafts import CheckedMonth, ImportSource, LineDraft, VoucherDraft
from qinglian.finance.models import (
    CENT,
    Contract,
    Direction,
    FundAccount,
    LedgerImport,
    PaymentMethod,
    Subject,
    SubjectKind,
)
from qinglian.finance.selectors import subjects_for
from qinglian.finance.spreadsheet import (
    ACCOUNT,
    AMOUNT,
    CONTRACT,
    COUNTERPARTY_CODE,
    DATE,
    DIRECTION,
    NUMBER,
    PAYMENT_METHOD,
    POWER_MATTER,
    SUBJECT_CODE,
    SUBJECT_NAME,
    SUMMARY,
    Cell,
)

CHART = "2004"
MAX_AMOUNT = Decimal("999999999999.99")  # MONEY: 14 digits, 2 of them decimals
SUMMARY_MAX = 200
MAX_VOUCHER_NUMBER = 999_999
_EXCEL_EPOCH = date(1899, 12, 30)
_COLUMN_ORDER = {name: index for index, name in enumerate(sheet_format.COLUMNS)}

_DIRECTIONS = {
    sheet_format.DEBIT_WORD: Direction.DEBIT.value,
    "借方": Direction.DEBIT.value,
    sheet_format.CREDIT_WORD: Direction.CREDIT.value,
    "贷方": Direction.CREDIT.value,
}
_PAYMENT_METHODS = {
    "": "",
    "现金": PaymentMethod.CASH.value,
    "转账": PaymentMethod.TRANSFER.value,
    "村务卡": PaymentMethod.CARD.value,
}
_DATE_TEXT = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_DATE_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_AMOUNT_JUNK = str.maketrans("", "", ",，¥￥元 \u3000")


# --- results --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem of the file: its row (None: the file as a whole), column and message."""

    row: int | None
    column: str | None  # the template's header of the column at fault
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if self.column:
            return _("Row %(row)d, %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class ValidatedLedger:
    """A checked file: its vouchers ready for the write service, or its errors (and no vouchers)."""

    rows: int
    vouchers: list[VoucherDraft]
    errors: list[RowError]
    sha256: str = ""


@dataclass
class ImportResult:
    rows: int
    errors: list[RowError]
    ledger_import: LedgerImport | None = None
    vouchers: int = 0
    lines: int = 0

    @property
    def accepted(self) -> bool:
        return not self.errors and self.ledger_import is not None

    def messages_by_row(self) -> dict[int | None, list[str]]:
        """What the error workbook shows: per row, "column: message" for each error."""
        by_row: dict[int | None, list[str]] = {}
        for error in self.errors:
            text = f"{error.column}：{error.message}" if error.column else error.message
            by_row.setdefault(error.row, []).append(text)
        return by_row


# --- the import -------------------------------------------------------------------


@contextlib.contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Pause CPython's cycle collector for the length of an import.

    A 100,000-line import allocates some 400,000 objects that form no reference
    cycles (drafts, tuples, decimals); reference counting frees them all. The
    cycle collector would still walk the growing heap again and again: measured,
    a fifth to a quarter of the import's time. It resumes when the import ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def ledger_import_file(
    *,
    actor: Any,
    village: Region,
    month: date,
    file_name: str,
    content: bytes,
    reason: str = "",
) -> ImportResult:
    """Import a month's ledger file: every row is checked; all are written or none.

    Errors in rows come back in the result (and the refused upload is recorded);
    a file that cannot be read at all, or a closed month without a reason,
    raises ``DomainError`` (field ``file`` or ``reason``).
    """
    with _cycle_collector_paused():
        return _import(
            actor=actor,
            village=village,
            month=month,
            file_name=file_name,
            content=content,
            reason=reason,
        )


def _import(
    *, actor: Any, village: Region, month: date, file_name: str, content: bytes, reason: str
) -> ImportResult:
    sha256 = hashlib.sha256(content).hexdigest()
    try:
        checked = ledger_import_validate(
            village=village, month=month, content=content, file_name=file_name
        )
    except DomainError:
        if village.is_village:
            services.ledger_import_refused(
                actor=actor,
                village=village,
                month=month,
                source=ImportSource(file_name=file_name, sha256=sha256, rows=0),
                error_count=1,
            )
        raise
    source = ImportSource(file_name=file_name, sha256=sha256, rows=checked.rows)
    if checked.errors:
        refused = services.ledger_import_refused(
            actor=actor,
            village=village,
            month=month,
            source=source,
            error_count=len(checked.errors),
        )
        return ImportResult(rows=checked.rows, errors=checked.errors, ledger_import=refused)
    accepted = services.ledger_month_replace(
        actor=actor,
        village=village,
        month=month,
        vouchers=CheckedMonth(
            village_id=village.pk, month=month.replace(day=1), vouchers=checked.vouchers
        ),
        reason=reason,
        source=source,
    )
    return ImportResult(
        rows=checked.rows,
        errors=[],
        ledger_import=accepted,
        vouchers=len(checked.vouchers),
        lines=sum(len(draft.lines) for draft in checked.vouchers),
    )


def ledger_import_error_workbook(*, content: bytes, errors: Sequence[RowError]) -> bytes:
    """The uploaded file given back as .xlsx with a column 错误 beside each faulty row."""
    ledger = sheet_format.read_ledger(content)
    by_row = ImportResult(rows=0, errors=list(errors)).messages_by_row()
    rows = _header_then(ledger.header_row, ledger.header, ledger.rows)
    return sheet_format.error_workbook_xlsx(rows, by_row)


def _header_then(
    number: int, header: tuple[Cell, ...], rows: Iterable[tuple[int, tuple[Cell, ...]]]
) -> Iterable[tuple[int, tuple[Cell, ...]]]:
    yield number, header
    yield from rows


def ledger_import_validate(
    *, village: Region, month: date, content: bytes, file_name: str = ""
) -> ValidatedLedger:
    """Read and check a ledger file; build the month's voucher drafts when nothing is wrong.

    Raises ``DomainError(field="file")`` when the file is not a readable ledger
    at all; every problem of its rows is returned in ``errors``.
    """
    if not village.is_village:
        raise DomainError(_("Books are kept per village."), field="village")
    ledger = sheet_format.read_ledger(content, file_name)
    checker = _Checker(village, month.replace(day=1))
    checker.check(ledger.records())
    result = ValidatedLedger(
        rows=checker.rows,
        vouchers=checker.vouchers if not checker.errors else [],
        errors=sorted(checker.errors, key=_error_order),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    return result


def _error_order(error: RowError) -> tuple[int, int]:
    return (
        error.row if error.row is not None else -1,
        _COLUMN_ORDER.get(error.column or "", len(_COLUMN_ORDER)),
    )


# --- parsing cell values (the slow paths, each cached by raw value) -----------------


def _text(value: Cell) -> str:
    if isinstance(value, str):
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _parse_date(value: Cell, first: date, last: date) -> date | str:
    """A date inside [first, last], or the message saying what is wrong."""
    day: date | None = None
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if 20_000 <= value < 80_000:  # an Excel serial day number (1954 to 2119)
            day = _EXCEL_EPOCH + timedelta(days=int(value))
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return _("Enter the date.")
        match = _DATE_TEXT.match(text) or _DATE_DIGITS.match(text)
        if match:
            try:
                day = date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                day = None
    elif value is None:
        return _("Enter the date.")
    if day is None:
        return _("%(value)s is not a date; write it like 2025-03-05.") % {"value": _text(value)}
    if not first <= day <= last:
        return _("The date %(date)s is not in %(month)s, the month being imported.") % {
            "date": day.isoformat(),
            "month": f"{first:%Y-%m}",
        }
    return day


def _parse_number(value: Cell) -> int | str:
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float):
        number = int(value) if value.is_integer() else None
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return _("Enter the voucher number.")
        if text.isascii() and text.isdigit():
            number = int(text)
    elif value is None:
        return _("Enter the voucher number.")
    if number is None or not 1 <= number <= MAX_VOUCHER_NUMBER:
        return _("The voucher number must be a whole number from 1 up; %(value)s is not.") % {
            "value": _text(value)
        }
    return number


def _parse_matter(value: Cell) -> int | str:
    """A power matter's number (its page's "No."), or the message saying what is wrong."""
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float):
        number = int(value) if value.is_integer() else None
    elif isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit():
            number = int(text)
    if number is None or number < 1:
        return _(
            "The power matter number must be a whole number from 1 up (the No. on the "
            "matter's page); %(value)s is not."
        ) % {"value": _text(value)}
    return number


def _parse_amount(value: Cell) -> Decimal | str:
    if isinstance(value, bool):
        amount = None
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        # Excel keeps 15 significant digits: 0.1 + 0.2 reads 0.30000000000000004 and
        # shows 0.3. Read the number as Excel shows it, then refuse a third decimal.
        amount = Decimal(f"{value:.15g}")
    elif isinstance(value, str):
        text = value.translate(_AMOUNT_JUNK)
        if not text:
            return _("Enter the amount.")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            amount = None
    else:
        amount = None
    if amount is None or not amount.is_finite():
        if value is None:
            return _("Enter the amount.")
        return _("%(value)s is not an amount; write it like 1234.50.") % {"value": _text(value)}
    if amount <= 0:
        return _("The amount must be more than zero; a refund is written in the other direction.")
    if amount > MAX_AMOUNT:
        return _("The amount %(value)s is too large.") % {"value": _text(value)}
    rounded = amount.quantize(CENT)
    if rounded != amount:
        return _("The amount %(value)s has more than two decimals.") % {"value": _text(value)}
    return rounded


@dataclass(frozen=True, slots=True)
class _Party:
    """An 18-character code read as an ID number (its keyed hash) and/or a credit code."""

    id_hash: str | None
    credit_code: str | None


def _parse_party_code(value: Cell) -> _Party | str:
    if isinstance(value, float | int) and not isinstance(value, bool):
        return _(
            "Excel turned this number into %(value)s. Format the column as text and type the "
            "number again."
        ) % {"value": _text(value)}
    code = "".join(_text(value).split()).upper()
    if len(code) != 18:
        return _(
            "An ID number or a unified social credit code has 18 characters; %(value)s has "
            "%(length)d."
        ) % {"value": code, "length": len(code)}
    id_hash = credit_code = None
    with contextlib.suppress(DomainError):
        id_hash = parse_id_number(code, key=settings.PII_HASH_KEY).keyed_hash
    with contextlib.suppress(DomainError):
        credit_code = normalise_credit_code(code)
    if id_hash is None and credit_code is None:
        return _(
            "%(value)s is neither a valid ID number nor a valid unified social credit code."
        ) % {"value": code}
    return _Party(id_hash=id_hash, credit_code=credit_code)


def _ranges(numbers: Iterable[int], limit: int = 20) -> str:
    """12, 15–18, 20: sorted numbers with runs collapsed (at most ``limit`` runs shown)."""
    runs: list[list[int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    shown = [f"{a}" if a == b else f"{a}–{b}" for a, b in runs[:limit]]
    if len(runs) > limit:
        shown.append("…")
    return ", ".join(shown)


K = TypeVar("K")
M = TypeVar("M")


def _in_batches(values: set[K], fetch: Callable[[list[K]], Iterable[M]]) -> list[M]:
    """Bulk lookups by value, in as few queries as the database's parameter limit allows."""
    found: list[M] = []
    ordered = sorted(values)  # type: ignore[type-var]
    size = connection.features.max_query_params or 10_000
    for start in range(0, len(ordered), size):
        found.extend(fetch(ordered[start : start + size]))
    return found


# --- the checker -------------------------------------------------------------------


@dataclass
class _Group:
    """The rows of one voucher as they are read."""

    number: int
    rows: list[int] = field(default_factory=list)
    days: set[date] = field(default_factory=set)
    debit: Decimal = Decimal(0)
    credit: Decimal = Decimal(0)
    complete: bool = True  # every row has a valid direction and amount
    matter: int | None = None  # the power matter the voucher names, and the row naming it
    matter_row: int = 0
    draft: VoucherDraft | None = None


class _Checker:
    def __init__(self, village: Region, month: date) -> None:
        self.village = village
        self.first = month
        self.last = month_end(month)
        self.rows = 0
        self.errors: list[RowError] = []
        self.vouchers: list[VoucherDraft] = []
        self.subjects = self._subjects()
        self.accounts: dict[str, FundAccount] = {}
        self.sole_account: dict[int, FundAccount | None] = {}
        for account in FundAccount.objects.filter(village=village).select_related("subject"):
            self.accounts[account.name] = account
            sole = account.subject_id not in self.sole_account
            self.sole_account[account.subject_id] = account if sole else None
        self.contracts = {c.number: c for c in Contract.objects.filter(village=village)}

    def _subjects(self) -> dict[str, Subject]:
        by_code: dict[str, Subject] = {}
        ordered = sorted(
            subjects_for(self.village, chart=CHART).select_related("region"),
            key=lambda s: len(s.region.path) if s.region else 0,
        )
        for subject in ordered:  # the nearest region's subject wins
            by_code[subject.code] = subject
        return by_code

    def error(self, row: int | None, column: str | None, message: str) -> None:
        self.errors.append(RowError(row, column, message))

    def check(self, records: Iterable[tuple[int, tuple[Cell, ...]]]) -> None:
        error = self.error
        first, last = self.first, self.last
        dates: dict[Any, date | str] = {}
        numbers: dict[Any, int | str] = {}
        amounts: dict[Any, Decimal | str] = {}
        subjects: dict[Any, Subject | str] = {}
        accounts: dict[tuple[int, str], FundAccount | str | None] = {}
        parties: dict[Any, _Party | str] = {}
        contracts: dict[Any, Contract | str] = {}
        matters: dict[Any, int | str] = {}
        directions = _DIRECTIONS
        payment_methods = _PAYMENT_METHODS
        debit_word = Direction.DEBIT.value
        seen_rows: dict[tuple[Any, ...], int] = {}
        groups: dict[int, _Group] = {}
        group: _Group | None = None
        party_rows: list[tuple[int, _Party, LineDraft | None]] = []
        named_lines: list[tuple[LineDraft, str]] = []
        matter_rows: list[tuple[int, int]] = []  # (row, matter number), checked after the pass
        msg_summary_missing = _("Enter the summary: what the money was for.")
        msg_subject_missing = _("Enter the subject code.")
        msg_direction = _("Write %(debit)s or %(credit)s.") % {
            "debit": sheet_format.DEBIT_WORD,
            "credit": sheet_format.CREDIT_WORD,
        }
        msg_payment = _("Write %(choices)s, or leave it empty.") % {
            "choices": "、".join(sheet_format.PAYMENT_WORDS)
        }
        drafting = True
        rows = 0

        for row, cells in records:
            rows += 1
            (
                raw_date,
                raw_number,
                raw_summary,
                raw_code,
                raw_name,
                raw_direction,
                raw_amount,
                raw_account,
                raw_payment,
                raw_party_name,
                raw_party_code,
                raw_handler,
                raw_contract,
                raw_matter,
            ) = cells
            errors_before = len(self.errors)

            parsed_day = dates.get(raw_date)
            if parsed_day is None:
                parsed_day = dates[raw_date] = _parse_date(raw_date, first, last)
            day: date | None = None
            if isinstance(parsed_day, str):
                error(row, DATE, parsed_day)
            else:
                day = parsed_day

            parsed_number = numbers.get(raw_number)
            if parsed_number is None:
                parsed_number = numbers[raw_number] = _parse_number(raw_number)
            number: int | None = None
            if isinstance(parsed_number, str):
                error(row, NUMBER, parsed_number)
            else:
                number = parsed_number

            summary = raw_summary.strip() if type(raw_summary) is str else _text(raw_summary)
            if not summary:
                error(row, SUMMARY, msg_summary_missing)
            elif len(summary) > SUMMARY_MAX:
                error(
                    row,
                    SUMMARY,
                    _("The summary has %(length)d characters; at most %(max)d are allowed.")
                    % {"length": len(summary), "max": SUMMARY_MAX},
                )

            found_subject = subjects.get(raw_code)
            if found_subject is None:
                code = _text(raw_code)
                found_subject = subjects[raw_code] = self.subjects.get(code) or (
                    _(
                        "There is no subject with code %(code)s in the chart of accounts of "
                        "this village."
                    )
                    % {"code": code}
                    if code
                    else msg_subject_missing
                )
            subject: Subject | None = None
            if isinstance(found_subject, str):
                error(row, SUBJECT_CODE, found_subject)
            elif raw_name:
                subject = found_subject
                given = _text(raw_name)
                if given and given != subject.name:
                    error(
                        row,
                        SUBJECT_NAME,
                        _("Subject %(code)s is called %(name)s, not %(given)s. Check the code.")
                        % {"code": subject.code, "name": subject.name, "given": given},
                    )
            else:
                subject = found_subject

            direction = directions.get(
                raw_direction.strip() if isinstance(raw_direction, str) else _text(raw_direction)
            )
            if direction is None:
                error(row, DIRECTION, msg_direction)

            parsed_amount = amounts.get(raw_amount)
            if parsed_amount is None:
                parsed_amount = amounts[raw_amount] = _parse_amount(raw_amount)
            amount: Decimal | None = None
            if isinstance(parsed_amount, str):
                error(row, AMOUNT, parsed_amount)
            else:
                amount = parsed_amount

            account_name = (
                raw_account.strip() if isinstance(raw_account, str) else _text(raw_account)
            )
            account: FundAccount | None = None
            if subject is not None:
                key = (subject.pk, account_name)
                if key in accounts:
                    found_account = accounts[key]
                else:
                    found_account = accounts[key] = self._account(subject, account_name)
                if isinstance(found_account, str):
                    error(row, ACCOUNT, found_account)
                else:
                    account = found_account

            payment = payment_methods.get(
                raw_payment.strip() if isinstance(raw_payment, str) else _text(raw_payment)
            )
            if payment is None:
                error(row, PAYMENT_METHOD, msg_payment)
                payment = ""

            party_name = (
                raw_party_name.strip() if isinstance(raw_party_name, str) else _text(raw_party_name)
            )
            party: _Party | None = None
            if raw_party_code and (not isinstance(raw_party_code, str) or raw_party_code.strip()):
                found_party = parties.get(raw_party_code)
                if found_party is None:
                    found_party = parties[raw_party_code] = _parse_party_code(raw_party_code)
                if isinstance(found_party, str):
                    error(row, COUNTERPARTY_CODE, found_party)
                else:
                    party = found_party
                # a valid code is looked up after the pass, in one query for all rows

            contract: Contract | None = None
            if raw_contract != "" and raw_contract is not None:
                found_contract = contracts.get(raw_contract)
                if found_contract is None:
                    contract_number = _text(raw_contract)
                    found_contract = contracts[raw_contract] = self.contracts.get(
                        contract_number
                    ) or (
                        _("This village has no contract numbered %(number)s.")
                        % {"number": contract_number}
                        if contract_number
                        else ""
                    )
                if isinstance(found_contract, str):
                    if found_contract:
                        error(row, CONTRACT, found_contract)
                else:
                    contract = found_contract

            matter: int | None = None
            if raw_matter != "" and raw_matter is not None:
                parsed_matter = matters.get(raw_matter)
                if parsed_matter is None:
                    parsed_matter = matters[raw_matter] = (
                        _parse_matter(raw_matter) if _text(raw_matter) else 0
                    )
                if isinstance(parsed_matter, str):
                    error(row, POWER_MATTER, parsed_matter)
                elif parsed_matter:
                    matter = parsed_matter
                    matter_rows.append((row, matter))
                # whether the matter authorises spending is asked after the pass, in one query

            # Duplicates: the same line written twice in one voucher.
            duplicate_key = (
                raw_number,
                raw_code,
                raw_direction,
                raw_amount,
                summary,
                party_name,
                raw_party_code,
            )
            earlier = seen_rows.setdefault(duplicate_key, row)
            if earlier != row:
                error(
                    row,
                    None,
                    _(
                        "This row repeats row %(row)d (same voucher, subject, direction, "
                        "amount, summary and counterparty)."
                    )
                    % {"row": earlier},
                )

            # The voucher this row belongs to: its rows must be next to each other.
            if number is not None:
                if group is None or group.number != number:
                    if group is not None:
                        self._close(group)
                    reused = groups.get(number)
                    if reused is not None:
                        group = None
                        error(
                            row,
                            NUMBER,
                            _(
                                "Voucher number %(number)d is already used by rows %(rows)s; "
                                "the rows of one voucher must be next to each other and each "
                                "voucher has its own number."
                            )
                            % {"number": number, "rows": _ranges(reused.rows)},
                        )
                    else:
                        group = groups[number] = _Group(number)
                if group is not None:
                    group.rows.append(row)
                    if matter is not None:
                        if group.matter is None:
                            group.matter, group.matter_row = matter, row
                        elif group.matter != matter:
                            error(
                                row,
                                POWER_MATTER,
                                _(
                                    "Voucher %(number)d already names power matter %(matter)d "
                                    "in row %(row)d; one voucher has one matter, written on "
                                    "one of its rows or the same on each."
                                )
                                % {
                                    "number": group.number,
                                    "matter": group.matter,
                                    "row": group.matter_row,
                                },
                            )
                    if day is not None:
                        group.days.add(day)
                    if direction is None or amount is None:
                        group.complete = False
                    elif direction == debit_word:
                        group.debit += amount
                    else:
                        group.credit += amount

            if drafting and len(self.errors) > errors_before:
                drafting = False
                self.vouchers = []
                named_lines = []
                party_rows = [(r, p, None) for r, p, _line in party_rows]
            line = None
            if drafting and group is not None:
                assert subject is not None and amount is not None and direction is not None
                line = LineDraft(
                    subject=subject,
                    direction=direction,
                    amount=amount,
                    summary=summary,
                    account=account,
                    payment_method=payment,
                    counterparty_name=party_name,
                    contract=contract,
                    source_row=row,
                )
                draft = group.draft
                if draft is None:
                    assert day is not None
                    draft = group.draft = VoucherDraft(
                        date=day,
                        summary=summary,
                        lines=[],
                        number=group.number,
                        handler_name=_text(raw_handler)[:40],
                    )
                    self.vouchers.append(draft)
                elif not draft.handler_name and raw_handler:
                    draft.handler_name = _text(raw_handler)[:40]
                if matter is not None:
                    draft.power_matter_id = matter
                draft.lines.append(line)
                draft.source_rows.append(row)
                if party is None and party_name:
                    named_lines.append((line, party_name))
            if party is not None:
                party_rows.append((row, party, line))

        if group is not None:
            self._close(group)
        self.rows = rows
        self._number_gaps(groups)
        self._resolve_parties(party_rows, named_lines)
        self._check_matters(matter_rows)

    def _account(self, subject: Subject, name: str) -> FundAccount | str | None:
        if subject.kind != SubjectKind.FUND:
            if name:
                return _(
                    "Only cash and bank subjects name a fund account; leave this empty for "
                    "subject %(subject)s."
                ) % {"subject": subject}
            return None
        if not name:
            sole = self.sole_account.get(subject.pk)
            if sole is None:
                return _("Name the fund account the money went through (subject %(subject)s).") % {
                    "subject": subject
                }
            return sole
        account = self.accounts.get(name)
        if account is None:
            return _("This village has no fund account named %(name)s.") % {"name": name}
        if account.subject_id != subject.pk:
            return _(
                "The account %(name)s is kept under subject %(account_subject)s, not %(subject)s."
            ) % {"name": name, "account_subject": account.subject, "subject": subject}
        return account

    def _close(self, group: _Group) -> None:
        rows = group.rows
        if len(rows) == 1:
            self.error(
                rows[0],
                NUMBER,
                _("Voucher %(number)d has only this line; a voucher has at least two lines.")
                % {"number": group.number},
            )
            return
        if len(group.days) > 1:
            message = _("The rows of voucher %(number)d (rows %(rows)s) have different dates.") % {
                "number": group.number,
                "rows": _ranges(rows),
            }
            for row in rows:
                self.error(row, DATE, message)
        if group.complete and group.debit != group.credit:
            message = _(
                "Voucher %(number)d (rows %(rows)s) does not balance: debit %(debit)s, "
                "credit %(credit)s."
            ) % {
                "number": group.number,
                "rows": _ranges(rows),
                "debit": group.debit,
                "credit": group.credit,
            }
            for row in rows:
                self.error(row, AMOUNT, message)

    def _number_gaps(self, groups: dict[int, _Group]) -> None:
        if not groups:
            return
        present = sorted(groups)
        missing: list[int] = []
        expected = 1
        for number in present:
            if number > expected:
                missing.extend(range(expected, min(number, expected + 1000)))
            expected = number + 1
        if missing:
            self.error(
                None,
                NUMBER,
                _("Voucher numbers must run from 1 without gaps; missing: %(numbers)s.")
                % {"numbers": _ranges(missing)},
            )

    def _resolve_parties(
        self,
        party_rows: list[tuple[int, _Party, LineDraft | None]],
        named_lines: list[tuple[LineDraft, str]],
    ) -> None:
        """People and companies named in the file, found with one query per kind."""
        hashes = {p.id_hash for _row, p, _line in party_rows if p.id_hash}
        codes = {p.credit_code for _row, p, _line in party_rows if p.credit_code}
        people = {
            person.id_hash: person
            for person in _in_batches(hashes, lambda b: Person.objects.filter(id_hash__in=b))
        }
        companies = {
            company.credit_code: company
            for company in _in_batches(codes, lambda b: Company.objects.filter(credit_code__in=b))
        }
        for row, party, line in party_rows:
            person = people.get(party.id_hash) if party.id_hash else None
            company = companies.get(party.credit_code) if party.credit_code else None
            if person is None and company is None:
                if party.id_hash:
                    message = _("No registered person has this ID number.")
                else:
                    message = _("No registered company has this unified social credit code.")
                self.error(row, COUNTERPARTY_CODE, message)
                self.vouchers = []
            elif line is not None:
                if person is not None:
                    line.counterparty_person = person
                else:
                    line.counterparty_company = company
                if not line.counterparty_name:
                    line.counterparty_name = (person or company).name  # type: ignore[union-attr]
        if self.errors or not named_lines:
            return
        names = {name for _line, name in named_lines}
        by_name: dict[str, list[Company]] = {}
        for company in _in_batches(names, lambda b: Company.objects.filter(name__in=b)):
            by_name.setdefault(company.name, []).append(company)
        for line, name in named_lines:
            matches = by_name.get(name)
            if matches and len(matches) == 1:
                line.counterparty_company = matches[0]

    def _check_matters(self, matter_rows: list[tuple[int, int]]) -> None:
        """The power matters named in the file: decided or finished matters of the village.

        One question for all of them (``finance.authority``), whatever the number of rows.
        """
        if not matter_rows:
            return
        authorising = matters_authorising(self.village.pk, {m for _row, m in matter_rows})
        for row, matter in matter_rows:
            if matter not in authorising:
                self.error(
                    row,
                    POWER_MATTER,
                    _(
                        "Power matter %(matter)d is not a decided or finished matter of this "
                        "village."
                    )
                    % {"matter": matter},
                )
                self.vouchers = []
