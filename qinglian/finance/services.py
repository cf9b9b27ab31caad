"""Writes to the ledger. Each service is one transaction with one audit event.

The ledger's rules live here: a voucher balances, its lines are positive, money
lines name a fund account of the village, its date lies inside its month,
numbers run 1, 2, 3… within a month. A closed or published month changes only
through a correction that says why; nothing is deleted: a corrected voucher is
marked superseded and the new one is written beside it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import connections, models, router, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from qinglian.core.audit import acting_user, audit_record
from qinglian.core.calendar import month_end, month_start
from qinglian.core.errors import DomainError
from qinglian.core.files import document_accepted
from qinglian.directory.models import Region
from qinglian.finance.authority import matters_authorising
from qinglian.finance.drafts import CheckedMonth, ImportSource, LineDraft, VoucherDraft
from qinglian.finance.models import (
    CENT,
    ZERO,
    AttachmentKind,
    CorrectionKind,
    Direction,
    FundAccount,
    FundAccountKind,
    LedgerCorrection,
    LedgerImport,
    LedgerMonth,
    LedgerMonthStatus,
    PaymentMethod,
    SignoffRole,
    Subject,
    SubjectKind,
    Voucher,
    VoucherAttachment,
    VoucherLine,
    VoucherSignoff,
)
from qinglian.finance.selectors import monthly_statement, statement_content
from qinglian.transparency.services import log_append


def _require_village(village: Region) -> None:
    if not village.is_village:
        raise DomainError(_("Books are kept per village."), field="village")


# --- fund accounts --------------------------------------------------------------

_ACCOUNT_SUBJECT: dict[str, str] = {
    FundAccountKind.CASH: "101",
    FundAccountKind.BANK: "102",
    FundAccountKind.CARD: "102",
}


@transaction.atomic
def fund_account_open(
    *,
    actor: Any,
    village: Region,
    kind: str,
    name: str,
    opened_on: date,
    opening_balance: Decimal = ZERO,
    bank_name: str = "",
    number_tail: str = "",
    chart: str = "2004",
) -> FundAccount:
    _require_village(village)
    if kind not in FundAccountKind.values:
        raise DomainError(_("Choose cash, bank account or village affairs card."), field="kind")
    name = name.strip()
    if not name:
        raise DomainError(_("An account needs a name."), field="name")
    if FundAccount.objects.filter(village=village, name=name).exists():
        raise DomainError(
            _("This village already has an account named %(name)s.") % {"name": name},
            field="name",
        )
    if number_tail and not (number_tail.isdigit() and len(number_tail) <= 6):
        raise DomainError(
            _("Give only the last digits of the account number (at most 6)."),
            field="number_tail",
        )
    subject = Subject.objects.get(chart=chart, code=_ACCOUNT_SUBJECT[kind], region=None)
    account = FundAccount.objects.create(
        village=village,
        kind=kind,
        name=name,
        bank_name=bank_name.strip(),
        number_tail=number_tail,
        subject=subject,
        opening_balance=opening_balance.quantize(CENT),
        opened_on=opened_on,
    )
    audit_record(actor=actor, verb="fund_account.opened", target=account, region_path=village.path)
    return account


# --- months ---------------------------------------------------------------------


def _month_for_update(village: Region, month: date) -> LedgerMonth:
    ledger_month, _created = LedgerMonth.objects.select_for_update().get_or_create(
        village=village, month=month_start(month)
    )
    return ledger_month


def _correction(
    *, actor: Any, ledger_month: LedgerMonth, kind: str, reason: str
) -> LedgerCorrection:
    ledger_month.revision += 1
    ledger_month.save(update_fields=["revision"])
    return LedgerCorrection.objects.create(
        ledger_month=ledger_month,
        revision=ledger_month.revision,
        kind=kind,
        reason=reason,
        actor=acting_user(actor),
    )


def _require_reason_if_settled(ledger_month: LedgerMonth, reason: str) -> str:
    reason = reason.strip()
    if (ledger_month.is_closed or ledger_month.is_published) and not reason:
        raise DomainError(
            _(
                "The books of %(month)s are closed. Say why they must change: the reason is "
                "kept and shown with the statement."
            )
            % {"month": f"{ledger_month.month:%Y-%m}"},
            field="reason",
        )
    return reason


@transaction.atomic
def ledger_month_close(*, actor: Any, ledger_month: LedgerMonth) -> LedgerMonth:
    """Close a month whose statement reconciles; it then changes only by correction."""
    ledger_month = LedgerMonth.objects.select_for_update().get(pk=ledger_month.pk)
    if ledger_month.is_closed:
        raise DomainError(_("This month is already closed."))
    statement = monthly_statement(ledger_month)
    if statement.errors:
        raise DomainError(
            _("The month cannot be closed: %(errors)s") % {"errors": "; ".join(statement.errors)}
        )
    ledger_month.status = LedgerMonthStatus.CLOSED
    ledger_month.closed_at = timezone.now()
    ledger_month.closed_by = acting_user(actor)
    ledger_month.save(update_fields=["status", "closed_at", "closed_by"])
    audit_record(
        actor=actor,
        verb="ledger_month.closed",
        target=ledger_month,
        region_path=ledger_month.village.path,
        data={"revision": ledger_month.revision},
    )
    return ledger_month


@transaction.atomic
def ledger_month_reopen(*, actor: Any, ledger_month: LedgerMonth, reason: str) -> LedgerMonth:
    ledger_month = LedgerMonth.objects.select_for_update().get(pk=ledger_month.pk)
    if not ledger_month.is_closed:
        raise DomainError(_("This month is open already."))
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the closed month must be reopened."), field="reason")
    correction = _correction(
        actor=actor, ledger_month=ledger_month, kind=CorrectionKind.REOPEN, reason=reason
    )
    ledger_month.status = LedgerMonthStatus.OPEN
    ledger_month.save(update_fields=["status"])
    audit_record(
        actor=actor,
        verb="ledger_month.reopened",
        target=ledger_month,
        region_path=ledger_month.village.path,
        data={"revision": correction.revision, "reason": reason},
    )
    return ledger_month


# --- vouchers -------------------------------------------------------------------


_DIRECTIONS = frozenset(Direction.values)
_PAYMENT_METHODS = frozenset(PaymentMethod.values)


def _line_problem(line: LineDraft, village: Region) -> tuple[str, str] | None:
    """What is wrong with one line, as (field, message), or None. Cheap when all is well."""
    if line.direction not in _DIRECTIONS:
        return "direction", _("choose debit or credit")
    amount = line.amount
    if amount <= 0 or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        return "amount", _("the amount must be positive, with at most two decimals")
    if line.payment_method and line.payment_method not in _PAYMENT_METHODS:
        return "payment_method", _("unknown payment method")
    subject = line.subject
    if subject.region_id is not None and not village.path.startswith(subject.region.path):  # type: ignore[union-attr]
        return "subject", _("unknown subject")
    account = line.account
    if subject.kind == SubjectKind.FUND:
        if account is None:
            return "account", _("money in or out needs the account it went through")
        if account.village_id != village.pk or account.subject_id != subject.pk:
            return "account", _(
                "the account %(account)s does not belong to subject %(subject)s"
            ) % {
                "account": account.name,
                "subject": subject,
            }
    elif account is not None:
        return "account", _("only cash and bank subjects name an account")
    if line.contract is not None and line.contract.village_id != village.pk:
        return "contract", _("the contract is not one of this village's")
    if line.asset is not None and line.asset.village_id != village.pk:
        return "asset", _("the asset is not one of this village's")
    if line.resource is not None and line.resource.village_id != village.pk:
        return "resource", _("the resource is not one of this village's")
    return None


def _check_voucher(
    draft: VoucherDraft, village: Region, first: date, last: date, authorised: Collection[int]
) -> None:
    """The ledger's rules for one voucher; ``authorised``: the matters that may authorise it."""

    def label() -> str:
        return _("Voucher %(number)s") % {"number": draft.number or "?"}

    if not first <= draft.date <= last:
        raise DomainError(
            _("%(voucher)s: the date %(date)s is not in %(month)s.")
            % {"voucher": label(), "date": draft.date.isoformat(), "month": f"{first:%Y-%m}"},
            field="date",
        )
    if not draft.summary.strip():
        raise DomainError(
            _("%(voucher)s: say what it was for.") % {"voucher": label()}, field="summary"
        )
    if len(draft.lines) < 2:
        raise DomainError(
            _("%(voucher)s: a voucher has at least two lines.") % {"voucher": label()},
            field="lines",
        )
    if draft.power_matter_id is not None and draft.power_matter_id not in authorised:
        raise DomainError(
            _("%(voucher)s: matter %(matter)s is not a decided matter of this village.")
            % {"voucher": label(), "matter": draft.power_matter_id},
            field="power_matter_id",
        )
    net = ZERO
    for number, line in enumerate(draft.lines, start=1):
        problem = _line_problem(line, village)
        if problem is not None:
            field, message = problem
            raise DomainError(
                _("%(voucher)s line %(line)d: %(problem)s.")
                % {"voucher": label(), "line": number, "problem": message},
                field=field,
            )
        net += line.amount if line.direction == Direction.DEBIT else -line.amount
    if net != ZERO:
        debit = sum((ln.amount for ln in draft.lines if ln.direction == Direction.DEBIT), ZERO)
        raise DomainError(
            _("%(voucher)s does not balance: debit %(debit)s, credit %(credit)s.")
            % {"voucher": label(), "debit": debit, "credit": debit - net},
            field="lines",
        )


def _check_vouchers(drafts: Iterable[VoucherDraft], village: Region, month: date) -> None:
    drafts = list(drafts)
    first, last = month_start(month), month_end(month)
    # The power matters the vouchers name, asked in one query for all of them.
    named = {draft.power_matter_id for draft in drafts if draft.power_matter_id is not None}
    authorised = matters_authorising(village.pk, named)
    for draft in drafts:
        _check_voucher(draft, village, first, last, authorised)


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column
    return field.column


def _insert_many(
    model: type[models.Model], columns: list[str], rows: list[tuple[Any, ...]]
) -> None:
    """One prepared INSERT run over all rows: an import writes 100,000 lines in about a second."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    # Table and column names come from the models, quoted; values travel as parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(_column(model, name)) for name in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


_VOUCHER_COLUMNS = [
    "village",
    "ledger_month",
    "number",
    "revision",
    "date",
    "summary",
    "handler",
    "handler_name",
    "power_matter_id",
    "ledger_import",
    "created_at",
]
_LINE_COLUMNS = [
    "voucher",
    "line_no",
    "summary",
    "subject",
    "account",
    "direction",
    "amount",
    "payment_method",
    "counterparty_person",
    "counterparty_company",
    "counterparty_name",
    "contract",
    "asset",
    "resource",
]


def _write_vouchers(
    drafts: list[VoucherDraft],
    *,
    village: Region,
    ledger_month: LedgerMonth,
    ledger_import: LedgerImport | None,
    first_number: int,
) -> tuple[list[int], int]:
    """Insert the drafts as vouchers of the month's current revision; their numbers and line count.

    Plain prepared inserts, not ``bulk_create``: model instances cost more than the
    database does at this size. Values pass through the backend's adapters.
    """
    ops = connections[router.db_for_write(Voucher)].ops
    adapt_date = ops.adapt_datefield_value
    adapt_money = ops.adapt_decimalfield_value
    created_at = ops.adapt_datetimefield_value(timezone.now())
    import_id = ledger_import.pk if ledger_import is not None else None
    numbers: list[int] = []
    voucher_rows: list[tuple[Any, ...]] = []
    next_number = first_number
    for draft in drafts:
        number = draft.number if draft.number is not None else next_number
        next_number = max(next_number, number) + 1
        numbers.append(number)
        handler_name = draft.handler.name if draft.handler is not None else draft.handler_name
        voucher_rows.append(
            (
                village.pk,
                ledger_month.pk,
                number,
                ledger_month.revision,
                adapt_date(draft.date),
                draft.summary.strip()[:200],
                draft.handler.pk if draft.handler is not None else None,
                handler_name[:40],
                draft.power_matter_id,
                import_id,
                created_at,
            )
        )
    _insert_many(Voucher, _VOUCHER_COLUMNS, voucher_rows)
    ids = dict(
        Voucher.objects.filter(
            ledger_month=ledger_month, revision=ledger_month.revision, superseded_by__isnull=True
        ).values_list("number", "pk")
    )
    line_rows: list[tuple[Any, ...]] = []
    add = line_rows.append
    for draft, number in zip(drafts, numbers, strict=True):
        voucher_id = ids[number]
        summary = draft.summary.strip()[:200]
        for position, line in enumerate(draft.lines, start=1):
            account, person, company = (
                line.account,
                line.counterparty_person,
                line.counterparty_company,
            )
            contract, asset, resource = line.contract, line.asset, line.resource
            add(
                (
                    voucher_id,
                    position,
                    (line.summary or summary)[:200],
                    line.subject.id,
                    account.id if account is not None else None,
                    line.direction,
                    adapt_money(line.amount),
                    line.payment_method,
                    person.id if person is not None else None,
                    company.id if company is not None else None,
                    line.counterparty_name[:120],
                    contract.id if contract is not None else None,
                    asset.id if asset is not None else None,
                    resource.id if resource is not None else None,
                )
            )
    _insert_many(VoucherLine, _LINE_COLUMNS, line_rows)
    return [ids[number] for number in numbers], len(line_rows)


@transaction.atomic
def voucher_record(
    *, actor: Any, village: Region, draft: VoucherDraft, reason: str = ""
) -> Voucher:
    """Record one voucher in its month (the next free number unless the draft has one)."""
    _require_village(village)
    ledger_month = _month_for_update(village, draft.date)
    reason = _require_reason_if_settled(ledger_month, reason)
    _check_vouchers([draft], village, ledger_month.month)
    current = Voucher.objects.filter(ledger_month=ledger_month, superseded_by__isnull=True)
    last = current.aggregate(last=Max("number"))["last"] or 0
    if draft.number is not None and current.filter(number=draft.number).exists():
        raise DomainError(
            _("Voucher number %(number)d is already used in %(month)s.")
            % {"number": draft.number, "month": f"{ledger_month.month:%Y-%m}"},
            field="number",
        )
    if ledger_month.is_closed or ledger_month.is_published:
        _correction(
            actor=actor, ledger_month=ledger_month, kind=CorrectionKind.VOUCHER, reason=reason
        )
    ids, _lines = _write_vouchers(
        [draft],
        village=village,
        ledger_month=ledger_month,
        ledger_import=None,
        first_number=last + 1,
    )
    voucher = Voucher.objects.select_related("ledger_month").get(pk=ids[0])
    audit_record(
        actor=actor,
        verb="voucher.recorded",
        target=voucher,
        region_path=village.path,
        data={"month": f"{ledger_month.month:%Y-%m}", "number": voucher.number, "reason": reason},
    )
    return voucher


@transaction.atomic
def voucher_correct(*, actor: Any, voucher: Voucher, draft: VoucherDraft, reason: str) -> Voucher:
    """Replace a voucher by a corrected one with the same number; the old one stays, superseded."""
    ledger_month = LedgerMonth.objects.select_for_update().get(pk=voucher.ledger_month_id)
    voucher = Voucher.objects.select_for_update().get(pk=voucher.pk)
    if voucher.superseded_by_id is not None:
        raise DomainError(_("This voucher has already been corrected; correct the newer one."))
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the voucher must be corrected."), field="reason")
    village = ledger_month.village
    draft.number = voucher.number
    _check_vouchers([draft], village, ledger_month.month)
    correction = _correction(
        actor=actor, ledger_month=ledger_month, kind=CorrectionKind.VOUCHER, reason=reason
    )
    voucher.superseded_by = correction
    voucher.save(update_fields=["superseded_by"])
    ids, _lines = _write_vouchers(
        [draft], village=village, ledger_month=ledger_month, ledger_import=None, first_number=1
    )
    corrected = Voucher.objects.select_related("ledger_month").get(pk=ids[0])
    audit_record(
        actor=actor,
        verb="voucher.corrected",
        target=corrected,
        region_path=village.path,
        data={"replaces": voucher.pk, "revision": correction.revision, "reason": reason},
    )
    return corrected


@transaction.atomic
def ledger_month_replace(
    *,
    actor: Any,
    village: Region,
    month: date,
    vouchers: list[VoucherDraft] | CheckedMonth,
    reason: str,
    source: ImportSource,
) -> LedgerImport:
    """Write a whole month from an uploaded file: all of it or, on any error, nothing.

    The month's previous vouchers are superseded, never deleted. A closed or
    published month needs a reason; the month is left open for review. Drafts
    are checked here unless they come as the import's ``CheckedMonth`` for this
    very village and month.
    """
    _require_village(village)
    ledger_month = _month_for_update(village, month)
    reason = _require_reason_if_settled(ledger_month, reason)
    if isinstance(vouchers, CheckedMonth):
        if vouchers.village_id != village.pk or vouchers.month != ledger_month.month:
            raise ValueError("the checked vouchers are for another village or month")
        drafts, checked = vouchers.vouchers, True
    else:
        drafts, checked = vouchers, False
    if not drafts:
        raise DomainError(_("The file holds no vouchers."), field="file")
    numbers = [draft.number for draft in drafts if draft.number is not None]
    if len(numbers) != len(set(numbers)):
        raise DomainError(_("A voucher number appears twice."), field="number")
    if not checked:
        _check_vouchers(drafts, village, ledger_month.month)
    current = Voucher.objects.filter(ledger_month=ledger_month, superseded_by__isnull=True)
    correction = None
    if current.exists():
        correction = _correction(
            actor=actor,
            ledger_month=ledger_month,
            kind=CorrectionKind.REPLACE,
            reason=reason or _("uploaded again before the month was closed"),
        )
        current.update(superseded_by=correction)
    if ledger_month.is_closed:
        ledger_month.status = LedgerMonthStatus.OPEN
        ledger_month.save(update_fields=["status"])
    ledger_import = LedgerImport.objects.create(
        village=village,
        month=ledger_month.month,
        file_name=source.file_name[:200],
        sha256=source.sha256,
        rows=source.rows,
        accepted=True,
        correction=correction,
        actor=acting_user(actor),
    )
    ids, line_count = _write_vouchers(
        drafts,
        village=village,
        ledger_month=ledger_month,
        ledger_import=ledger_import,
        first_number=1,
    )
    audit_record(
        actor=actor,
        verb="ledger_month.imported",
        target=ledger_import,
        region_path=village.path,
        data={
            "month": f"{ledger_month.month:%Y-%m}",
            "vouchers": len(ids),
            "lines": line_count,
            "sha256": source.sha256,
            "reason": reason,
        },
    )
    return ledger_import


@transaction.atomic
def ledger_import_refused(
    *, actor: Any, village: Region, month: date, source: ImportSource, error_count: int
) -> LedgerImport:
    """Keep a trace of a refused upload (nothing of its content is written)."""
    ledger_import = LedgerImport.objects.create(
        village=village,
        month=month_start(month),
        file_name=source.file_name[:200],
        sha256=source.sha256,
        rows=source.rows,
        accepted=False,
        error_count=error_count,
        actor=acting_user(actor),
    )
    audit_record(
        actor=actor,
        verb="ledger_month.import_refused",
        target=ledger_import,
        region_path=village.path,
        data={"errors": error_count, "sha256": source.sha256},
    )
    return ledger_import


# --- sign-off and attachments ------------------------------------------------------

SIGNOFF_ORDER = [
    SignoffRole.HANDLER,
    SignoffRole.FINANCE_REVIEW,
    SignoffRole.COMMITTEE_CHAIR,
    SignoffRole.PARTY_SECRETARY,
    SignoffRole.TOWNSHIP,
]


@transaction.atomic
def voucher_sign(
    *, actor: Any, voucher: Voucher, role: str, name: str, signed_on: date, person: Any = None
) -> VoucherSignoff:
    """Add the next signature of the joint sign-off chain (联审联签), in its order."""
    if role not in SignoffRole.values:
        raise DomainError(_("Unknown signing role."), field="role")
    if not name.strip():
        raise DomainError(_("Who signed?"), field="name")
    voucher = Voucher.objects.select_for_update().get(pk=voucher.pk)
    if voucher.superseded_by_id is not None:
        raise DomainError(_("This voucher has been corrected; sign the newer one."))
    signed = list(voucher.signoffs.order_by("step").values_list("role", flat=True))
    if role in signed:
        raise DomainError(_("This role has already signed."), field="role")
    position = SIGNOFF_ORDER.index(SignoffRole(role))
    missing = [r for r in SIGNOFF_ORDER[:position] if r not in signed and r != SignoffRole.HANDLER]
    if missing:
        raise DomainError(
            _("%(role)s signs after %(missing)s.")
            % {
                "role": SignoffRole(role).label,
                "missing": ", ".join(str(SignoffRole(r).label) for r in missing),
            },
            field="role",
        )
    if signed_on < voucher.date:
        raise DomainError(_("A signature cannot predate the voucher."), field="signed_on")
    signoff = VoucherSignoff.objects.create(
        voucher=voucher,
        step=len(signed) + 1,
        role=role,
        person=person,
        name=name.strip()[:40],
        signed_on=signed_on,
    )
    audit_record(
        actor=actor,
        verb="voucher.signed",
        target=signoff,
        region_path=voucher.village.path,
        data={"voucher": voucher.pk, "role": role},
    )
    return signoff


@transaction.atomic
def voucher_attach(
    *, actor: Any, voucher: Voucher, kind: str, file_name: str, content: bytes
) -> VoucherAttachment:
    """Attach an invoice image or PDF. The file's bytes decide its type, not its name."""
    if kind not in AttachmentKind.values:
        raise DomainError(_("Unknown kind of attachment."), field="kind")
    document = document_accepted(content)
    attachment = VoucherAttachment(
        voucher=voucher,
        kind=kind,
        content_type=document.content_type,
        size=document.size,
        sha256=document.sha256,
        uploaded_by=acting_user(actor),
    )
    attachment.file.save(document.stored_name, ContentFile(content), save=False)
    attachment.save()
    audit_record(
        actor=actor,
        verb="voucher.attached",
        target=attachment,
        region_path=voucher.village.path,
        data={"voucher": voucher.pk, "sha256": document.sha256, "file_name": file_name[:100]},
    )
    return attachment


# --- publication ----------------------------------------------------------------------

STATEMENT_RECORD = "monthly_statement"


def statement_record_id(ledger_month: LedgerMonth, revision: int) -> str:
    return f"{ledger_month.village.code}/{ledger_month.month:%Y-%m}/r{revision}"


@transaction.atomic
def statement_publish(
    *, actor: Any, ledger_month: LedgerMonth, published_at: datetime | None = None
) -> LedgerMonth:
    """Publish a closed month's statement: appended to the verifiable log, never edited.

    A corrected month is published again as a new revision; the earlier one stays
    in the log beside it. ``published_at`` is for history brought from an earlier
    system (the day it was first posted); it cannot be in the future.
    """
    ledger_month = (
        LedgerMonth.objects.select_for_update().select_related("village").get(pk=ledger_month.pk)
    )
    if not ledger_month.is_closed:
        raise DomainError(_("Close the month before publishing its statement."))
    if ledger_month.published_revision == ledger_month.revision:
        raise DomainError(_("This statement is already published."))
    statement = monthly_statement(ledger_month)
    if statement.errors:
        raise DomainError(
            _("The statement cannot be published: %(errors)s")
            % {"errors": "; ".join(statement.errors)}
        )
    now = timezone.now()
    if published_at is not None:
        if published_at > now:
            raise DomainError(_("A publication date cannot be in the future."))
        now = published_at
    entry = log_append(
        record_type=STATEMENT_RECORD,
        record_id=statement_record_id(ledger_month, ledger_month.revision),
        region_path=ledger_month.village.path,
        content=statement_content(statement),
        published_at=now,
    )
    ledger_month.published_revision = ledger_month.revision
    ledger_month.published_at = now
    ledger_month.save(update_fields=["published_revision", "published_at"])
    audit_record(
        actor=actor,
        verb="statement.published",
        target=ledger_month,
        region_path=ledger_month.village.path,
        data={"revision": ledger_month.revision, "log_index": entry.index},
    )
    return ledger_month
