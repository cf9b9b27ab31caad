"""Writes to the registers of assets and resources and to collective contracts.

Each service is one transaction with one audit event. Services check the
domain's rules; whether the actor may touch the village is the access policy's
question, asked by the caller beforehand. Whether a recorded contract is
standardised is not a reason to refuse it: ``contract_checks`` reports that.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from qinglian.core.audit import acting_user, audit_record
from qinglian.core.errors import DomainError
from qinglian.directory.models import Company, Person, Region
from qinglian.finance.authority import matter_authorises
from qinglian.finance.models import (
    Asset,
    AssetCategory,
    AssetChange,
    AssetKind,
    AssetStatus,
    Contract,
    ContractDirection,
    ContractInstalment,
    ContractKind,
    ContractStatus,
    PropertyChangeKind,
    Resource,
    ResourceChange,
    ResourceKind,
    ResourceStatus,
)


def _require_village(village: Region) -> None:
    if not village.is_village:
        raise DomainError(_("Registers and contracts are kept by a village."), field="village")


def _require_text(value: str, *, field: str, message: str, max_length: int) -> str:
    text = value.strip()
    if not text:
        raise DomainError(message, field=field)
    if len(text) > max_length:
        raise DomainError(_("At most %(n)s characters, please.") % {"n": max_length}, field=field)
    return text


def _require_choice(value: str, choices: Sequence[str], *, field: str) -> None:
    if value not in choices:
        raise DomainError(_("Please choose one of the listed values."), field=field)


def _optional_text(value: str, *, field: str, max_length: int) -> str:
    text = value.strip()
    if len(text) > max_length:
        raise DomainError(_("At most %(n)s characters, please.") % {"n": max_length}, field=field)
    return text


def _note(note: str) -> str:
    note = note.strip()
    if len(note) > 200:
        raise DomainError(_("A note has at most 200 characters."), field="note")
    return note


def _not_before_last_change(changed_on: date, last_on: date | None) -> None:
    if last_on is not None and changed_on < last_on:
        raise DomainError(
            _("The register's last change is dated %(date)s; a new one cannot be earlier.")
            % {"date": last_on.isoformat()},
            field="changed_on",
        )


# ---------------------------------------------------------------- assets


@transaction.atomic
def asset_register(
    *,
    actor: Any,
    village: Region,
    code: str,
    name: str,
    category: str,
    kind: str,
    status: str,
    acquired_on: date,
    original_value: Decimal,
    current_value: Decimal | None = None,
    location: str = "",
) -> Asset:
    """Enter an asset in the village's register, with its first change (registered)."""
    _require_village(village)
    code = _require_text(
        code, field="code", message=_("Please enter the asset number."), max_length=30
    )
    name = _require_text(name, field="name", message=_("Please name the asset."), max_length=120)
    _require_choice(category, AssetCategory.values, field="category")
    _require_choice(kind, AssetKind.values, field="kind")
    _require_choice(status, AssetStatus.values, field="status")
    if status == AssetStatus.SCRAPPED:
        raise DomainError(
            _("Register the asset as it was before, then record its scrapping as a change."),
            field="status",
        )
    if original_value < 0:
        raise DomainError(_("The original value cannot be negative."), field="original_value")
    book_value = original_value if current_value is None else current_value
    if book_value < 0:
        raise DomainError(_("The book value cannot be negative."), field="current_value")
    if Asset.objects.filter(village=village, code=code).exists():
        raise DomainError(
            _("Asset number %(code)s is already used in this village.") % {"code": code},
            field="code",
        )
    asset = Asset.objects.create(
        village=village,
        code=code,
        name=name,
        category=category,
        kind=kind,
        status=status,
        acquired_on=acquired_on,
        original_value=original_value,
        current_value=book_value,
        location=_optional_text(location, field="location", max_length=120),
    )
    AssetChange.objects.create(
        asset=asset,
        changed_on=acquired_on,
        kind=PropertyChangeKind.REGISTERED,
        status=status,
        value=book_value,
        actor=acting_user(actor),
    )
    audit_record(
        actor=actor,
        verb="asset.registered",
        target=asset,
        region_path=village.path,
        data={"code": code, "value": str(book_value)},
    )
    return asset


@transaction.atomic
def asset_change(
    *,
    actor: Any,
    asset: Asset,
    changed_on: date,
    status: str | None = None,
    value: Decimal | None = None,
    dispose: bool = False,
    note: str = "",
) -> AssetChange:
    """Record a change of status or book value, or the asset's disposal.

    A disposal (``dispose``, or the status "scrapped") is final: the asset takes
    no further change. It needs a note saying how and on whose decision.
    """
    asset = Asset.objects.select_for_update().select_related("village").get(pk=asset.pk)
    if asset.status == AssetStatus.SCRAPPED:
        raise DomainError(
            _("This asset has been disposed of; its register entry is closed."), field="status"
        )
    if status is not None:
        _require_choice(status, AssetStatus.values, field="status")
    dispose = dispose or status == AssetStatus.SCRAPPED
    new_status = AssetStatus.SCRAPPED if dispose else (status or asset.status)
    new_value = asset.current_value if value is None else value
    if new_value < 0:
        raise DomainError(_("The book value cannot be negative."), field="value")
    note = _note(note)
    if dispose:
        kind = PropertyChangeKind.DISPOSED
        if not note:
            raise DomainError(
                _("Say how the asset was disposed of and who decided it."), field="note"
            )
    elif new_status != asset.status:
        kind = PropertyChangeKind.STATUS
    elif new_value != asset.current_value:
        kind = PropertyChangeKind.REVALUED
    else:
        raise DomainError(
            _("Nothing changes: give a new status or a new book value."), field="status"
        )
    last_on = asset.changes.order_by("-changed_on").values_list("changed_on", flat=True).first()
    _not_before_last_change(changed_on, last_on)
    change = AssetChange.objects.create(
        asset=asset,
        changed_on=changed_on,
        kind=kind,
        status=new_status,
        value=new_value,
        note=note,
        actor=acting_user(actor),
    )
    previous = {"status": asset.status, "value": str(asset.current_value)}
    asset.status = new_status
    asset.current_value = new_value
    asset.save(update_fields=["status", "current_value"])
    audit_record(
        actor=actor,
        verb="asset.changed",
        target=asset,
        region_path=asset.village.path,
        data={
            "change": kind,
            "on": changed_on.isoformat(),
            "previous": previous,
            "status": new_status,
            "value": str(new_value),
        },
    )
    return change


# ---------------------------------------------------------------- resources


@transaction.atomic
def resource_register(
    *,
    actor: Any,
    village: Region,
    code: str,
    name: str,
    kind: str,
    status: str,
    area_mu: Decimal,
    registered_on: date,
    location: str = "",
) -> Resource:
    """Enter a resource (land, forest, water) in the village's register."""
    _require_village(village)
    code = _require_text(
        code, field="code", message=_("Please enter the resource number."), max_length=30
    )
    name = _require_text(name, field="name", message=_("Please name the resource."), max_length=120)
    _require_choice(kind, ResourceKind.values, field="kind")
    _require_choice(status, ResourceStatus.values, field="status")
    if area_mu <= 0:
        raise DomainError(_("The area must be more than 0 mu."), field="area_mu")
    if Resource.objects.filter(village=village, code=code).exists():
        raise DomainError(
            _("Resource number %(code)s is already used in this village.") % {"code": code},
            field="code",
        )
    resource = Resource.objects.create(
        village=village,
        code=code,
        name=name,
        kind=kind,
        status=status,
        area_mu=area_mu,
        location=_optional_text(location, field="location", max_length=120),
    )
    ResourceChange.objects.create(
        resource=resource,
        changed_on=registered_on,
        kind=PropertyChangeKind.REGISTERED,
        status=status,
        area_mu=area_mu,
        actor=acting_user(actor),
    )
    audit_record(
        actor=actor,
        verb="resource.registered",
        target=resource,
        region_path=village.path,
        data={"code": code, "area_mu": str(area_mu)},
    )
    return resource


@transaction.atomic
def resource_change(
    *,
    actor: Any,
    resource: Resource,
    changed_on: date,
    status: str | None = None,
    area_mu: Decimal | None = None,
    dispose: bool = False,
    note: str = "",
) -> ResourceChange:
    """Record a change of status or area, or that the collective no longer holds it.

    A disposal (land taken by the state, handed to another collective) is final
    and needs a note saying how and on whose decision.
    """
    resource = Resource.objects.select_for_update().select_related("village").get(pk=resource.pk)
    history = list(resource.changes.values_list("kind", "changed_on"))
    if any(done == PropertyChangeKind.DISPOSED for done, _on in history):
        raise DomainError(
            _("This resource has been disposed of; its register entry is closed."),
            field="status",
        )
    if status is not None:
        _require_choice(status, ResourceStatus.values, field="status")
    new_status = status or resource.status
    new_area = resource.area_mu if area_mu is None else area_mu
    if new_area <= 0:
        raise DomainError(_("The area must be more than 0 mu."), field="area_mu")
    note = _note(note)
    if dispose:
        kind = PropertyChangeKind.DISPOSED
        if not note:
            raise DomainError(
                _("Say how the resource left the collective and who decided it."), field="note"
            )
    elif new_status != resource.status:
        kind = PropertyChangeKind.STATUS
    elif new_area != resource.area_mu:
        kind = PropertyChangeKind.AREA
    else:
        raise DomainError(_("Nothing changes: give a new status or a new area."), field="status")
    _not_before_last_change(changed_on, max((on for _kind, on in history), default=None))
    change = ResourceChange.objects.create(
        resource=resource,
        changed_on=changed_on,
        kind=kind,
        status=new_status,
        area_mu=new_area,
        note=note,
        actor=acting_user(actor),
    )
    previous = {"status": resource.status, "area_mu": str(resource.area_mu)}
    resource.status = new_status
    resource.area_mu = new_area
    resource.save(update_fields=["status", "area_mu"])
    audit_record(
        actor=actor,
        verb="resource.changed",
        target=resource,
        region_path=resource.village.path,
        data={
            "change": kind,
            "on": changed_on.isoformat(),
            "previous": previous,
            "status": new_status,
            "area_mu": str(new_area),
        },
    )
    return change


# ---------------------------------------------------------------- contracts


@dataclass(frozen=True)
class InstalmentInput:
    due_on: date
    amount: Decimal


@dataclass(frozen=True)
class ContractInput:
    number: str
    title: str
    kind: str
    direction: str
    counterparty_person: Person | None = None
    counterparty_company: Company | None = None
    counterparty_name: str = ""
    signed_on: date | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    amount: Decimal | None = None
    annual_rent: Decimal | None = None
    area_mu: Decimal | None = None
    asset: Asset | None = None
    resource: Resource | None = None
    resolution_reference: str = ""
    power_matter_id: int | None = None


def _clean_instalments(instalments: Sequence[InstalmentInput]) -> list[InstalmentInput]:
    for position, instalment in enumerate(instalments, start=1):
        if instalment.amount <= 0:
            raise DomainError(
                _("Instalment %(n)s: the amount due must be more than 0.") % {"n": position},
                field="instalments",
            )
    return sorted(instalments, key=lambda i: i.due_on)


def _write_instalments(
    contract: Contract, instalments: Sequence[InstalmentInput]
) -> list[ContractInstalment]:
    return ContractInstalment.objects.bulk_create(
        ContractInstalment(contract=contract, due_on=i.due_on, amount=i.amount) for i in instalments
    )


def _schedule_data(instalments: Sequence[InstalmentInput]) -> dict[str, Any]:
    return {
        "instalments": len(instalments),
        "total": str(sum((i.amount for i in instalments), Decimal("0.00"))),
    }


@transaction.atomic
def contract_record(
    *,
    actor: Any,
    village: Region,
    data: ContractInput,
    instalments: Sequence[InstalmentInput] = (),
) -> Contract:
    """Record a collective contract and, optionally, its schedule of instalments."""
    _require_village(village)
    number = _require_text(
        data.number, field="number", message=_("Please enter the contract number."), max_length=40
    )
    title = _require_text(
        data.title, field="title", message=_("Please give the contract a title."), max_length=160
    )
    _require_choice(data.kind, ContractKind.values, field="kind")
    _require_choice(data.direction, ContractDirection.values, field="direction")
    person, company = data.counterparty_person, data.counterparty_company
    if person is not None and company is not None:
        raise DomainError(
            _("A contract has one counterparty: choose the person or the company."),
            field="counterparty_company",
        )
    if person is not None and not Person.objects.filter(pk=person.pk).exists():
        raise DomainError(
            _("That person is not in the directory; register them first."),
            field="counterparty_person",
        )
    if company is not None and not Company.objects.filter(pk=company.pk).exists():
        raise DomainError(
            _("That company is not in the directory; register it first."),
            field="counterparty_company",
        )
    counterparty_name = data.counterparty_name.strip()
    if len(counterparty_name) > 120:
        raise DomainError(
            _("The counterparty's name has at most 120 characters."), field="counterparty_name"
        )
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        raise DomainError(_("The term cannot end before it starts."), field="ends_on")
    for field, value in (
        ("amount", data.amount),
        ("annual_rent", data.annual_rent),
        ("area_mu", data.area_mu),
    ):
        if value is not None and value <= 0:
            raise DomainError(_("Leave it empty or enter more than 0."), field=field)
    if data.asset is not None and data.asset.village_id != village.pk:
        raise DomainError(_("That asset is not in this village's register."), field="asset")
    if data.resource is not None and data.resource.village_id != village.pk:
        raise DomainError(_("That resource is not in this village's register."), field="resource")
    resolution = data.resolution_reference.strip()
    if len(resolution) > 120:
        raise DomainError(
            _("The resolution reference has at most 120 characters."),
            field="resolution_reference",
        )
    if data.power_matter_id is not None and not matter_authorises(village.pk, data.power_matter_id):
        raise DomainError(
            _("Matter %(matter)s is not a decided matter of this village.")
            % {"matter": data.power_matter_id},
            field="power_matter_id",
        )
    schedule = _clean_instalments(instalments)
    if Contract.objects.filter(village=village, number=number).exists():
        raise DomainError(
            _("Contract number %(number)s is already used in this village.") % {"number": number},
            field="number",
        )
    contract = Contract.objects.create(
        village=village,
        number=number,
        title=title,
        kind=data.kind,
        direction=data.direction,
        counterparty_person=person,
        counterparty_company=company,
        counterparty_name=counterparty_name,
        signed_on=data.signed_on,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        amount=data.amount,
        annual_rent=data.annual_rent,
        area_mu=data.area_mu,
        asset=data.asset,
        resource=data.resource,
        resolution_reference=resolution,
        power_matter_id=data.power_matter_id,
    )
    _write_instalments(contract, schedule)
    audit_record(
        actor=actor,
        verb="contract.recorded",
        target=contract,
        region_path=village.path,
        data={"number": number, "kind": data.kind, **_schedule_data(schedule)},
    )
    return contract


ENDING_STATUSES = (ContractStatus.ENDED, ContractStatus.TERMINATED)


@transaction.atomic
def contract_end(
    *, actor: Any, contract: Contract, status: str, ended_on: date, reason: str = ""
) -> Contract:
    """Close a contract: ended at its term, or terminated early (which needs a reason).

    The date is kept in the audit event: the contract table has no column for it.
    """
    contract = Contract.objects.select_for_update().select_related("village").get(pk=contract.pk)
    if contract.status != ContractStatus.ACTIVE:
        raise DomainError(
            _("This contract is already closed (%(status)s).")
            % {"status": contract.get_status_display()},
            field="status",
        )
    if status not in ENDING_STATUSES:
        raise DomainError(
            _("Choose whether the contract ended or was terminated early."), field="status"
        )
    if contract.starts_on is not None and ended_on < contract.starts_on:
        raise DomainError(
            _("The contract cannot end before its term starts (%(date)s).")
            % {"date": contract.starts_on.isoformat()},
            field="ended_on",
        )
    reason = reason.strip()
    if status == ContractStatus.TERMINATED and not reason:
        raise DomainError(_("Say why the contract was terminated early."), field="reason")
    contract.status = status
    contract.save(update_fields=["status"])
    audit_record(
        actor=actor,
        verb="contract.ended",
        target=contract,
        region_path=contract.village.path,
        data={"status": status, "on": ended_on.isoformat(), "reason": reason},
    )
    return contract


@transaction.atomic
def instalment_schedule_set(
    *, actor: Any, contract: Contract, instalments: Sequence[InstalmentInput]
) -> list[ContractInstalment]:
    """Replace a contract's schedule of instalments with ``instalments``."""
    contract = Contract.objects.select_for_update().select_related("village").get(pk=contract.pk)
    if contract.status != ContractStatus.ACTIVE:
        raise DomainError(
            _("This contract is closed; its schedule can no longer change."), field="instalments"
        )
    schedule = _clean_instalments(instalments)
    previous = list(contract.instalments.values_list("due_on", "amount"))
    contract.instalments.all().delete()
    written = _write_instalments(contract, schedule)
    audit_record(
        actor=actor,
        verb="contract.schedule_set",
        target=contract,
        region_path=contract.village.path,
        data={
            **_schedule_data(schedule),
            "previous": [[due.isoformat(), str(amount)] for due, amount in previous],
        },
    )
    return written
