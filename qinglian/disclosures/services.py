"""Writes to the disclosure catalog. Each service is one transaction with one audit event."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from qinglian.core.audit import acting_user, audit_record
from qinglian.core.errors import DomainError
from qinglian.core.files import document_accepted
from qinglian.directory.models import Region, RegionLevel
from qinglian.disclosures.masking import mask_numbers, mask_table
from qinglian.disclosures.models import (
    Catalog,
    CatalogItem,
    ContentKind,
    Disclosure,
    DisclosureAttachment,
    DisclosureDraft,
    DisclosureVersion,
    DraftState,
    Frequency,
)
from qinglian.disclosures.schedule import event_due, is_periodic, period_from_key
from qinglian.disclosures.selectors import STATEMENT_ITEM, catalog_for
from qinglian.finance.models import LedgerMonth
from qinglian.finance.selectors import monthly_statement, statement_content
from qinglian.finance.services import STATEMENT_RECORD, statement_publish, statement_record_id
from qinglian.transparency.models import LogEntry
from qinglian.transparency.services import log_append


@transaction.atomic
def catalog_adopt(*, actor: Any, region: Region, effective_from: date, note: str = "") -> Catalog:
    """Start a region's own catalog version from the one in force for it on that date.

    The copy is the region's to edit (add, drop or retime items) before it takes
    effect; versions already in force are never changed.
    """
    if region.level not in (RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.VILLAGE):
        raise DomainError(
            _("A catalog is kept by a county, a township or a village."), field="region"
        )
    source = catalog_for(region, effective_from)
    if source is None:
        raise DomainError(_("No catalog is in force to start from."), field="effective_from")
    if Catalog.objects.filter(region=region, effective_from=effective_from).exists():
        raise DomainError(
            _("This region already has a catalog version from %(date)s.")
            % {"date": effective_from.isoformat()},
            field="effective_from",
        )
    last = Catalog.objects.filter(region=region).aggregate(last=Max("version"))["last"] or 0
    catalog = Catalog.objects.create(
        region=region, version=last + 1, effective_from=effective_from, note=note.strip()[:200]
    )
    CatalogItem.objects.bulk_create(
        CatalogItem(
            catalog=catalog,
            code=item.code,
            category=item.category,
            frequency=item.frequency,
            title_zh=item.title_zh,
            title_en=item.title_en,
            basis=item.basis,
            due_day=item.due_day,
            event_days=item.event_days,
            order=item.order,
        )
        for item in source.items.order_by("order")
    )
    audit_record(
        actor=actor,
        verb="disclosure_catalog.adopted",
        target=catalog,
        region_path=region.path,
        data={"from": source.pk, "effective_from": effective_from.isoformat()},
    )
    return catalog


# --- drafts, review and publication -------------------------------------------------

DISCLOSURE_RECORD = "disclosure"
TABLE_MAX_ROWS = 5000
TABLE_MAX_COLUMNS = 12
_EDITABLE = (DraftState.DRAFT, DraftState.RETURNED)


def disclosure_record_id(disclosure: Disclosure, number: int) -> str:
    return f"{disclosure.village.code}/{disclosure.item_code}/{disclosure.period_key}/v{number}"


def _item(village: Region, item_code: str, on: date) -> CatalogItem:
    catalog = catalog_for(village, on)
    item = catalog.items.filter(code=item_code).first() if catalog else None
    if item is None:
        raise DomainError(
            _("Item %(code)s is not in the village's disclosure catalog.") % {"code": item_code},
            field="item",
        )
    return item


def disclosure_open(
    *,
    village: Region,
    item_code: str,
    period_key: str = "",
    event_on: date | None = None,
    title: str = "",
) -> Disclosure:
    """The village's disclosure of that item for that period (or event), made if new.

    A periodic item takes a period key of its frequency; an event or a matter put
    before a decision takes the day it happened (a new disclosure each time); a
    standing item has one disclosure, updated by new versions.
    """
    if not village.is_village:
        raise DomainError(_("Only a village publishes disclosures."), field="village")
    today = timezone.localdate()
    item = _item(village, item_code, event_on or today)
    title = (title.strip() or item.title_zh)[:200]
    dates: tuple[date | None, date | None, date | None] = (None, None, None)  # standing
    if is_periodic(item.frequency):
        try:
            period = period_from_key(item.frequency, period_key, item.due_day)
        except ValueError:
            raise DomainError(
                _("“%(key)s” is not a period of this item (%(frequency)s).")
                % {"key": period_key, "frequency": item.get_frequency_display()},
                field="period",
            ) from None
        key, dates = period.key, (period.start, period.end, period.due_on)
    elif item.frequency == Frequency.STANDING:
        key = "standing"
    else:
        if event_on is None:
            raise DomainError(_("Say on which day it happened."), field="event_on")
        if event_on > today:
            raise DomainError(_("The day it happened cannot be in the future."), field="event_on")
        same_day = Disclosure.objects.filter(
            village=village, item_code=item_code, period_start=event_on
        ).count()
        due_on = event_due(event_on, item.event_days) if item.frequency == Frequency.EVENT else None
        return Disclosure.objects.create(
            village=village,
            item_code=item.code,
            category=item.category,
            title=title,
            period_key=f"E{event_on.isoformat()}-{same_day + 1}",
            period_start=event_on,
            period_end=event_on,
            due_on=due_on,
        )
    disclosure, _created = Disclosure.objects.get_or_create(
        village=village,
        item_code=item.code,
        period_key=key,
        defaults={
            "category": item.category,
            "title": title,
            "period_start": dates[0],
            "period_end": dates[1],
            "due_on": dates[2],
        },
    )
    return disclosure


def _open_draft(disclosure: Disclosure) -> DisclosureDraft | None:
    return disclosure.drafts.exclude(state=DraftState.PUBLISHED).first()


def _check_table(columns: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    columns = [str(c).strip()[:40] for c in columns]
    if not columns or not all(columns):
        raise DomainError(_("Every column of the list needs a heading."), field="table")
    if len(columns) > TABLE_MAX_COLUMNS:
        raise DomainError(
            _("A list has at most %(n)d columns.") % {"n": TABLE_MAX_COLUMNS}, field="table"
        )
    if not rows:
        raise DomainError(_("The list has no rows."), field="table")
    if len(rows) > TABLE_MAX_ROWS:
        raise DomainError(
            _("A list has at most %(n)d rows.") % {"n": TABLE_MAX_ROWS}, field="table"
        )
    for number, row in enumerate(rows, start=1):
        if len(row) != len(columns):
            raise DomainError(
                _("Row %(row)d has %(got)d values; the list has %(want)d columns.")
                % {"row": number, "got": len(row), "want": len(columns)},
                field="table",
            )
    return columns, [[str(cell).strip()[:200] for cell in row] for row in rows]


@transaction.atomic
def draft_write(
    *,
    actor: Any,
    disclosure: Disclosure,
    body: str = "",
    columns: list[str] | None = None,
    rows: list[list[str]] | None = None,
    change_reason: str = "",
) -> DisclosureDraft:
    """Write (or rewrite) the disclosure's open draft: text, or a list masked on the way in.

    A disclosure already published needs a public reason for its new version.
    """
    disclosure = (
        Disclosure.objects.select_for_update().select_related("village").get(pk=disclosure.pk)
    )
    draft = _open_draft(disclosure)
    if draft is not None and draft.state not in _EDITABLE:
        raise DomainError(
            _("This draft is %(state)s; it can no longer be changed.")
            % {"state": draft.get_state_display()}
        )
    if draft is not None and draft.kind == ContentKind.STATEMENT:
        raise DomainError(_("A monthly financial list comes from the books; correct the books."))
    body = body.strip()
    table: dict[str, Any] = {}
    if columns is not None or rows is not None:
        clean_columns, clean_rows = _check_table(columns or [], rows or [])
        table = {"columns": clean_columns, "rows": mask_table(clean_columns, clean_rows)}
        kind = ContentKind.TABLE
    else:
        if not body:
            raise DomainError(_("Write what is to be disclosed."), field="body")
        kind = ContentKind.TEXT
    change_reason = change_reason.strip()
    if disclosure.is_published and not change_reason:
        raise DomainError(
            _("This item is already published: say publicly why it changes."),
            field="change_reason",
        )
    if draft is None:
        draft = DisclosureDraft(disclosure=disclosure, prepared_by=acting_user(actor))
    draft.kind = kind
    draft.body = mask_numbers(body)
    draft.table = table
    draft.change_reason = change_reason
    draft.state = DraftState.DRAFT
    draft.save()
    audit_record(
        actor=actor,
        verb="disclosure.drafted",
        target=draft,
        region_path=disclosure.village.path,
        data={"disclosure": disclosure.pk, "kind": kind},
    )
    return draft


@transaction.atomic
def draft_attach(
    *, actor: Any, draft: DisclosureDraft, file_name: str, content: bytes
) -> DisclosureAttachment:
    """Attach a photo or a PDF to a draft still being written."""
    draft = (
        DisclosureDraft.objects.select_for_update()
        .select_related("disclosure__village")
        .get(pk=draft.pk)
    )
    if draft.state not in _EDITABLE:
        raise DomainError(_("Attachments can only be added while the draft is being written."))
    document = document_accepted(content)
    attachment = DisclosureAttachment(
        draft=draft,
        name=(file_name.strip() or document.sha256[:16])[:100],
        content_type=document.content_type,
        size=document.size,
        sha256=document.sha256,
    )
    attachment.file.save(document.stored_name, ContentFile(content), save=False)
    attachment.save()
    audit_record(
        actor=actor,
        verb="disclosure.attached",
        target=attachment,
        region_path=draft.disclosure.village.path,
        data={"draft": draft.pk, "sha256": document.sha256},
    )
    return attachment


@transaction.atomic
def statement_submit(*, actor: Any, ledger_month: LedgerMonth) -> DisclosureDraft:
    """Send a closed month's financial list to the supervision committee for review.

    The draft holds the statement as it stands at the month's current revision;
    publishing it later checks that the books have not changed since.
    """
    ledger_month = LedgerMonth.objects.select_related("village").get(pk=ledger_month.pk)
    if not ledger_month.is_closed:
        raise DomainError(_("Close the month before sending its list for review."))
    if ledger_month.published_revision == ledger_month.revision:
        raise DomainError(_("This statement is already published."))
    statement = monthly_statement(ledger_month)
    if statement.errors:
        raise DomainError(
            _("The statement cannot be published: %(errors)s")
            % {"errors": "; ".join(statement.errors)}
        )
    disclosure = disclosure_open(
        village=ledger_month.village,
        item_code=STATEMENT_ITEM,
        period_key=f"{ledger_month.month:%Y-%m}",
    )
    disclosure = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
    reasons = [
        c.reason
        for c in statement.corrections
        if c.revision > (ledger_month.published_revision or 0)
    ]
    draft = _open_draft(disclosure) or DisclosureDraft(
        disclosure=disclosure, prepared_by=acting_user(actor)
    )
    draft.kind = ContentKind.STATEMENT
    draft.body = ""
    draft.table = statement_content(statement)
    draft.change_reason = "; ".join(reasons) if disclosure.is_published else ""
    draft.source = f"ledger_month:{ledger_month.pk}:r{ledger_month.revision}"
    draft.state = DraftState.SUBMITTED
    draft.submitted_at = timezone.now()
    draft.reviewed_by = None
    draft.reviewed_at = None
    draft.save()
    audit_record(
        actor=actor,
        verb="disclosure.submitted",
        target=draft,
        region_path=ledger_month.village.path,
        data={"disclosure": disclosure.pk, "source": draft.source},
    )
    return draft


def _locked_draft(draft: DisclosureDraft) -> DisclosureDraft:
    return (
        DisclosureDraft.objects.select_for_update()
        .select_related("disclosure__village")
        .get(pk=draft.pk)
    )


@transaction.atomic
def draft_submit(*, actor: Any, draft: DisclosureDraft) -> DisclosureDraft:
    draft = _locked_draft(draft)
    if draft.state not in _EDITABLE:
        raise DomainError(_("Only a draft being written can be sent for review."))
    draft.state = DraftState.SUBMITTED
    draft.submitted_at = timezone.now()
    draft.save(update_fields=["state", "submitted_at"])
    audit_record(
        actor=actor,
        verb="disclosure.submitted",
        target=draft,
        region_path=draft.disclosure.village.path,
    )
    return draft


@transaction.atomic
def draft_review(
    *,
    actor: Any,
    draft: DisclosureDraft,
    approve: bool,
    comment: str = "",
    reviewed_at: datetime | None = None,
) -> DisclosureDraft:
    """The supervision committee signs the draft, or sends it back saying what is wrong.

    Whoever prepared a draft cannot sign it. ``reviewed_at`` is for history brought
    from an earlier system (the day the committee signed the paper); it cannot be
    in the future.
    """
    draft = _locked_draft(draft)
    if draft.state != DraftState.SUBMITTED:
        raise DomainError(_("Only a draft awaiting review can be reviewed."))
    user = acting_user(actor)
    if user is not None and draft.prepared_by_id == user.pk:
        raise DomainError(_("Whoever prepared a disclosure cannot sign it."))
    comment = comment.strip()
    if not approve and not comment:
        raise DomainError(_("Say what must change before it can be signed."), field="comment")
    now = timezone.now()
    if reviewed_at is not None and reviewed_at > now:
        raise DomainError(_("A review date cannot be in the future."))
    draft.state = DraftState.SIGNED if approve else DraftState.RETURNED
    draft.reviewed_by = user
    draft.reviewed_at = reviewed_at or now
    draft.review_comment = comment
    draft.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_comment"])
    audit_record(
        actor=actor,
        verb="disclosure.signed" if approve else "disclosure.returned",
        target=draft,
        region_path=draft.disclosure.village.path,
        data={"comment": comment} if comment else None,
    )
    return draft


def searchable_text(title: str, content: dict[str, Any]) -> str:
    """What the village page's search looks in: the title and every published word."""
    words = [title, content.get("body", "")]
    table = content.get("table") or {}
    words += [" ".join(row) for row in table.get("rows", [])]
    for side in ("income", "expense"):
        for group in content.get(side, []):
            words.append(group["name"])
            words += [f"{line['summary']} {line['counterparty']}" for line in group["lines"]]
    return "\n".join(w for w in words if w)[:20000]


def version_content(draft: DisclosureDraft, number: int) -> dict[str, Any]:
    """What a published version of text or a list holds (and the log keeps)."""
    disclosure = draft.disclosure
    return {
        "village": disclosure.village.code,
        "village_name": disclosure.village.name,
        "item": disclosure.item_code,
        "title": disclosure.title,
        "period": disclosure.period_key,
        "version": number,
        "kind": draft.kind,
        "body": draft.body,
        "table": draft.table,
        "attachments": [
            {"name": a.name, "content_type": a.content_type, "size": a.size, "sha256": a.sha256}
            for a in draft.attachments.all()
        ],
        "change_reason": draft.change_reason,
        "reviewed_on": draft.reviewed_at.date().isoformat() if draft.reviewed_at else None,
    }


def _statement_entry(
    actor: Any, draft: DisclosureDraft, published_at: datetime
) -> tuple[dict[str, Any], LogEntry]:
    """Publish the month the draft was made from, if the books have not changed since."""
    _kind, pk, revision = draft.source.split(":")
    ledger_month = LedgerMonth.objects.get(pk=int(pk))
    if f"r{ledger_month.revision}" != revision or not ledger_month.is_closed:
        raise DomainError(
            _("The books of this month changed after the review: send the list for review again.")
        )
    ledger_month = statement_publish(
        actor=actor, ledger_month=ledger_month, published_at=published_at
    )
    entry = LogEntry.objects.get(
        record_type=STATEMENT_RECORD,
        record_id=statement_record_id(ledger_month, ledger_month.revision),
    )
    return draft.table, entry


@transaction.atomic
def draft_publish(
    *, actor: Any, draft: DisclosureDraft, published_at: datetime | None = None
) -> DisclosureVersion:
    """Publish a signed draft as the disclosure's next version, frozen and entered in the log.

    ``published_at`` is for history brought from an earlier system (the day it was
    first posted on the board); it cannot be in the future.
    """
    draft = _locked_draft(draft)
    disclosure = Disclosure.objects.select_for_update().get(pk=draft.disclosure_id)
    if draft.state != DraftState.SIGNED:
        raise DomainError(_("Nothing is published before the supervision committee signs it."))
    number = disclosure.versions_published + 1
    now = timezone.now()
    if published_at is not None:
        if published_at > now:
            raise DomainError(_("A publication date cannot be in the future."))
        now = published_at
    if draft.kind == ContentKind.STATEMENT:
        content, entry = _statement_entry(actor, draft, now)
    else:
        content = version_content(draft, number)
        entry = log_append(
            record_type=DISCLOSURE_RECORD,
            record_id=disclosure_record_id(draft.disclosure, number),
            region_path=draft.disclosure.village.path,
            content=content,
            published_at=now,
        )
    version = DisclosureVersion.objects.create(
        disclosure=disclosure,
        number=number,
        draft=draft,
        kind=draft.kind,
        content=content,
        change_reason=draft.change_reason,
        published_at=now,
        published_by=acting_user(actor),
        record_type=entry.record_type,
        record_id=entry.record_id,
        log_index=entry.index,
    )
    draft.state = DraftState.PUBLISHED
    draft.save(update_fields=["state"])
    disclosure.versions_published = number
    disclosure.first_published_at = disclosure.first_published_at or now
    disclosure.last_published_at = now
    disclosure.search_text = searchable_text(disclosure.title, content)
    disclosure.save(
        update_fields=[
            "versions_published",
            "first_published_at",
            "last_published_at",
            "search_text",
        ]
    )
    audit_record(
        actor=actor,
        verb="disclosure.published",
        target=version,
        region_path=draft.disclosure.village.path,
        data={"version": number, "log_index": entry.index},
    )
    return version
