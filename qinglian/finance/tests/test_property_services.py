"""Asset, resource and contract services: each rule refuses with the field named,
writes nothing, and every success leaves its audit event."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from qinglian.core.errors import DomainError
from qinglian.core.models import AuditEvent
from qinglian.directory.factories import PersonFactory
from qinglian.directory.models import Company, Person
from qinglian.finance import factories
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
from qinglian.finance.property_services import (
    ContractInput,
    InstalmentInput,
    asset_change,
    asset_register,
    contract_end,
    contract_record,
    instalment_schedule_set,
    resource_change,
    resource_register,
)

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return (
        Asset.objects.count(),
        AssetChange.objects.count(),
        Resource.objects.count(),
        ResourceChange.objects.count(),
        Contract.objects.count(),
        ContractInstalment.objects.count(),
        AuditEvent.objects.count(),
    )


def refused(call, field: str) -> DomainError:
    """Run ``call``; it must refuse on ``field`` and write nothing."""
    before = counts()
    with pytest.raises(DomainError) as error:
        call()
    assert error.value.field == field, error.value.message
    assert counts() == before
    return error.value


# ---------------------------------------------------------------- assets


def register_asset(tree, actor, **overrides: Any) -> Asset:
    fields: dict[str, Any] = {
        "actor": actor,
        "village": tree.village_a1,
        "code": "ZC001",
        "name": "村集体厂房",
        "category": AssetCategory.OPERATING,
        "kind": AssetKind.BUILDING,
        "status": AssetStatus.LEASED_OUT,
        "acquired_on": date(2018, 5, 1),
        "original_value": Decimal("300000.00"),
    }
    return asset_register(**(fields | overrides))


def test_asset_register_enters_the_asset_with_its_first_change(tree, village_cadre):
    asset = register_asset(tree, village_cadre, code=" ZC001 ", location=" 村东 ")
    stored = Asset.objects.get(pk=asset.pk)
    assert (stored.code, stored.location) == ("ZC001", "村东")
    assert stored.current_value == Decimal("300000.00")  # book value defaults to original
    change = AssetChange.objects.get(asset=asset)
    assert change.kind == PropertyChangeKind.REGISTERED
    assert change.changed_on == date(2018, 5, 1)
    assert change.status == AssetStatus.LEASED_OUT
    assert change.value == Decimal("300000.00")
    assert change.actor == village_cadre
    event = AuditEvent.objects.get(verb="asset.registered")
    assert event.actor == village_cadre
    assert event.target_id == str(asset.pk)
    assert event.region_path == tree.village_a1.path
    assert event.data == {"code": "ZC001", "value": "300000.00"}


def test_asset_register_keeps_a_given_book_value(tree, village_cadre):
    asset = register_asset(tree, village_cadre, current_value=Decimal("120000"))
    assert Asset.objects.get(pk=asset.pk).current_value == Decimal("120000")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"code": "  "}, "code"),
        ({"code": "x" * 31}, "code"),
        ({"name": ""}, "name"),
        ({"category": "shiny"}, "category"),
        ({"kind": "castle"}, "kind"),
        ({"status": "lost"}, "status"),
        ({"status": AssetStatus.SCRAPPED}, "status"),
        ({"original_value": Decimal("-1")}, "original_value"),
        ({"current_value": Decimal("-1")}, "current_value"),
        ({"location": "x" * 121}, "location"),
    ],
)
def test_asset_register_refuses_bad_input(tree, village_cadre, overrides, field):
    refused(lambda: register_asset(tree, village_cadre, **overrides), field)


def test_asset_register_refuses_a_township(tree, township_commission):
    refused(lambda: register_asset(tree, township_commission, village=tree.town_a), "village")


def test_asset_number_is_unique_per_village(tree, village_cadre, english):
    register_asset(tree, village_cadre)
    error = refused(lambda: register_asset(tree, village_cadre, name="另一处"), "code")
    assert "ZC001" in error.message
    register_asset(tree, village_cadre, village=tree.village_a2)  # another village may reuse it


def test_asset_change_of_status_updates_the_register(tree, village_cadre):
    asset = register_asset(tree, village_cadre)
    change = asset_change(
        actor=village_cadre,
        asset=asset,
        changed_on=date(2024, 3, 1),
        status=AssetStatus.IDLE,
        note="租期届满收回",
    )
    assert (change.kind, change.status, change.note) == (
        PropertyChangeKind.STATUS,
        AssetStatus.IDLE,
        "租期届满收回",
    )
    assert change.value == Decimal("300000.00")
    assert Asset.objects.get(pk=asset.pk).status == AssetStatus.IDLE
    event = AuditEvent.objects.get(verb="asset.changed")
    assert event.actor == village_cadre
    assert event.region_path == tree.village_a1.path
    assert event.data["change"] == PropertyChangeKind.STATUS
    assert event.data["previous"] == {"status": AssetStatus.LEASED_OUT, "value": "300000.00"}


def test_asset_change_of_value_is_a_revaluation(tree, village_cadre):
    asset = register_asset(tree, village_cadre)
    change = asset_change(
        actor=village_cadre, asset=asset, changed_on=date(2024, 12, 31), value=Decimal("250000")
    )
    assert change.kind == PropertyChangeKind.REVALUED
    stored = Asset.objects.get(pk=asset.pk)
    assert (stored.status, stored.current_value) == (AssetStatus.LEASED_OUT, Decimal("250000"))


def test_disposal_scraps_the_asset_and_closes_its_entry(tree, village_cadre):
    asset = register_asset(tree, village_cadre)
    change = asset_change(
        actor=village_cadre,
        asset=asset,
        changed_on=date(2024, 6, 1),
        dispose=True,
        value=Decimal("0"),
        note="危房拆除，2024年第2次村民代表会议决议",
    )
    assert change.kind == PropertyChangeKind.DISPOSED
    assert Asset.objects.get(pk=asset.pk).status == AssetStatus.SCRAPPED
    refused(
        lambda: asset_change(
            actor=village_cadre,
            asset=asset,
            changed_on=date(2024, 7, 1),
            status=AssetStatus.IN_USE,
        ),
        "status",
    )


def test_scrapped_status_counts_as_disposal_and_needs_a_note(tree, village_cadre):
    asset = register_asset(tree, village_cadre)
    refused(
        lambda: asset_change(
            actor=village_cadre,
            asset=asset,
            changed_on=date(2024, 6, 1),
            status=AssetStatus.SCRAPPED,
        ),
        "note",
    )
    change = asset_change(
        actor=village_cadre,
        asset=asset,
        changed_on=date(2024, 6, 1),
        status=AssetStatus.SCRAPPED,
        note="报废",
    )
    assert change.kind == PropertyChangeKind.DISPOSED


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({}, "status"),  # nothing changes
        ({"status": AssetStatus.LEASED_OUT}, "status"),  # same status
        ({"status": "lost"}, "status"),
        ({"value": Decimal("-5")}, "value"),
        ({"status": AssetStatus.IDLE, "note": "x" * 201}, "note"),
        ({"status": AssetStatus.IDLE, "changed_on": date(2018, 4, 30)}, "changed_on"),
    ],
)
def test_asset_change_refuses_bad_input(tree, village_cadre, change, field):
    asset = register_asset(tree, village_cadre)
    arguments: dict[str, Any] = {
        "actor": village_cadre,
        "asset": asset,
        "changed_on": date(2024, 1, 1),
    }
    refused(lambda: asset_change(**(arguments | change)), field)


# ---------------------------------------------------------------- resources


def register_resource(tree, actor, **overrides: Any) -> Resource:
    fields: dict[str, Any] = {
        "actor": actor,
        "village": tree.village_a1,
        "code": "ZY001",
        "name": "东山机动地",
        "kind": ResourceKind.RESERVE_LAND,
        "status": ResourceStatus.CONTRACTED,
        "area_mu": Decimal("35.5"),
        "registered_on": date(2019, 1, 1),
    }
    return resource_register(**(fields | overrides))


def test_resource_register_enters_it_with_its_first_change(tree, village_cadre):
    resource = register_resource(tree, village_cadre)
    stored = Resource.objects.get(pk=resource.pk)
    assert (stored.code, stored.area_mu) == ("ZY001", Decimal("35.50"))
    change = ResourceChange.objects.get(resource=resource)
    assert change.kind == PropertyChangeKind.REGISTERED
    assert (change.changed_on, change.area_mu) == (date(2019, 1, 1), Decimal("35.50"))
    assert change.actor == village_cadre
    event = AuditEvent.objects.get(verb="resource.registered")
    assert (event.actor, event.target_id) == (village_cadre, str(resource.pk))
    assert event.region_path == tree.village_a1.path


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"code": ""}, "code"),
        ({"name": " "}, "name"),
        ({"kind": "moon"}, "kind"),
        ({"status": "lost"}, "status"),
        ({"area_mu": Decimal("0")}, "area_mu"),
        ({"location": "x" * 121}, "location"),
    ],
)
def test_resource_register_refuses_bad_input(tree, village_cadre, overrides, field):
    refused(lambda: register_resource(tree, village_cadre, **overrides), field)


def test_resource_register_refuses_a_township_and_a_used_number(tree, village_cadre):
    refused(lambda: register_resource(tree, village_cadre, village=tree.town_a), "village")
    register_resource(tree, village_cadre)
    refused(lambda: register_resource(tree, village_cadre), "code")


def test_resource_change_of_status_and_area(tree, village_cadre):
    resource = register_resource(tree, village_cadre)
    status = resource_change(
        actor=village_cadre,
        resource=resource,
        changed_on=date(2024, 1, 1),
        status=ResourceStatus.IDLE,
    )
    area = resource_change(
        actor=village_cadre,
        resource=resource,
        changed_on=date(2024, 2, 1),
        area_mu=Decimal("30"),
        note="重新测绘",
    )
    assert (status.kind, area.kind) == (PropertyChangeKind.STATUS, PropertyChangeKind.AREA)
    stored = Resource.objects.get(pk=resource.pk)
    assert (stored.status, stored.area_mu) == (ResourceStatus.IDLE, Decimal("30.00"))
    events = AuditEvent.objects.filter(verb="resource.changed").order_by("id")
    assert [e.data["change"] for e in events] == ["status", "area"]
    assert events[1].data["previous"] == {"status": "idle", "area_mu": "35.50"}


def test_a_disposed_resource_takes_no_further_change(tree, village_cadre):
    resource = register_resource(tree, village_cadre)
    refused(
        lambda: resource_change(
            actor=village_cadre, resource=resource, changed_on=date(2024, 1, 1), dispose=True
        ),
        "note",
    )
    resource_change(
        actor=village_cadre,
        resource=resource,
        changed_on=date(2024, 1, 1),
        dispose=True,
        note="国家征收",
    )
    assert ResourceChange.objects.filter(kind=PropertyChangeKind.DISPOSED).count() == 1
    refused(
        lambda: resource_change(
            actor=village_cadre,
            resource=resource,
            changed_on=date(2024, 2, 1),
            status=ResourceStatus.IDLE,
        ),
        "status",
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({}, "status"),
        ({"status": "lost"}, "status"),
        ({"area_mu": Decimal("-1")}, "area_mu"),
        ({"status": ResourceStatus.IDLE, "changed_on": date(2018, 12, 31)}, "changed_on"),
    ],
)
def test_resource_change_refuses_bad_input(tree, village_cadre, change, field):
    resource = register_resource(tree, village_cadre)
    arguments: dict[str, Any] = {
        "actor": village_cadre,
        "resource": resource,
        "changed_on": date(2024, 1, 1),
    }
    refused(lambda: resource_change(**(arguments | change)), field)


# ---------------------------------------------------------------- contracts


def lease(**overrides: Any) -> ContractInput:
    fields: dict[str, Any] = {
        "number": "HT2024-001",
        "title": "东山机动地租赁",
        "kind": ContractKind.LEASE,
        "direction": ContractDirection.RECEIVABLE,
        "counterparty_name": "李四",
        "signed_on": date(2023, 12, 20),
        "starts_on": date(2024, 1, 1),
        "ends_on": date(2028, 12, 31),
        "annual_rent": Decimal("21300"),
        "area_mu": Decimal("35.5"),
    }
    return ContractInput(**(fields | overrides))


YEARLY = [
    InstalmentInput(due_on=date(2025, 1, 1), amount=Decimal("21300")),
    InstalmentInput(due_on=date(2024, 1, 1), amount=Decimal("21300")),
]


def test_contract_record_writes_the_contract_and_its_schedule(tree, village_cadre):
    person = PersonFactory.create(region=tree.village_a1)
    contract = contract_record(
        actor=village_cadre,
        village=tree.village_a1,
        data=lease(number=" HT2024-001 ", counterparty_person=person, counterparty_name=""),
        instalments=YEARLY,
    )
    stored = Contract.objects.get(pk=contract.pk)
    assert stored.number == "HT2024-001"
    assert stored.counterparty_person == person
    assert stored.status == ContractStatus.ACTIVE
    assert list(stored.instalments.values_list("due_on", "amount")) == [
        (date(2024, 1, 1), Decimal("21300.00")),
        (date(2025, 1, 1), Decimal("21300.00")),
    ]
    event = AuditEvent.objects.get(verb="contract.recorded")
    assert (event.actor, event.target_id) == (village_cadre, str(contract.pk))
    assert event.region_path == tree.village_a1.path
    assert event.data == {
        "number": "HT2024-001",
        "kind": "lease",
        "instalments": 2,
        "total": "42600.00",
    }


def test_a_contract_may_be_recorded_without_a_schedule_or_a_named_party(tree, village_cadre):
    # Recorded as it is; its problems are reported by contract_checks, not refused here.
    contract = contract_record(
        actor=village_cadre, village=tree.village_a1, data=lease(counterparty_name="")
    )
    assert not contract.instalments.exists()


def test_a_contract_may_name_the_village_asset_it_lets(tree, village_cadre):
    building = factories.asset(tree.village_a1)
    contract = contract_record(
        actor=village_cadre,
        village=tree.village_a1,
        data=lease(kind=ContractKind.ASSET_CONTRACTING, asset=building, area_mu=None),
    )
    assert Contract.objects.get(pk=contract.pk).asset == building


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"number": " "}, "number"),
        ({"title": ""}, "title"),
        ({"kind": "handshake"}, "kind"),
        ({"direction": "sideways"}, "direction"),
        ({"ends_on": date(2023, 12, 31)}, "ends_on"),
        ({"amount": Decimal("0")}, "amount"),
        ({"annual_rent": Decimal("-100")}, "annual_rent"),
        ({"area_mu": Decimal("0")}, "area_mu"),
        ({"counterparty_name": "x" * 121}, "counterparty_name"),
        ({"resolution_reference": "x" * 121}, "resolution_reference"),
        ({"power_matter_id": 999999}, "power_matter_id"),
    ],
)
def test_contract_record_refuses_bad_input(tree, village_cadre, overrides, field):
    refused(
        lambda: contract_record(
            actor=village_cadre, village=tree.village_a1, data=lease(**overrides)
        ),
        field,
    )


def test_contract_record_refuses_a_township(tree, township_commission):
    refused(
        lambda: contract_record(actor=township_commission, village=tree.town_a, data=lease()),
        "village",
    )


def test_contract_number_is_unique_per_village(tree, village_cadre, english):
    contract_record(actor=village_cadre, village=tree.village_a1, data=lease())
    error = refused(
        lambda: contract_record(actor=village_cadre, village=tree.village_a1, data=lease()),
        "number",
    )
    assert "HT2024-001" in error.message
    contract_record(actor=village_cadre, village=tree.village_a2, data=lease())


def test_contract_counterparty_must_be_in_the_directory(tree, village_cadre):
    unregistered = Person(name="无名氏")
    refused(
        lambda: contract_record(
            actor=village_cadre,
            village=tree.village_a1,
            data=lease(counterparty_person=unregistered),
        ),
        "counterparty_person",
    )
    refused(
        lambda: contract_record(
            actor=village_cadre,
            village=tree.village_a1,
            data=lease(counterparty_company=Company(name="皮包公司")),
        ),
        "counterparty_company",
    )


def test_contract_has_one_counterparty(tree, village_cadre):
    person = PersonFactory.create(region=tree.village_a1)
    company = Company.objects.create(
        name="青山农业有限公司",
        credit_code="91339901MA00000019",
        region=tree.village_a1,
        region_path=tree.village_a1.path,
    )
    refused(
        lambda: contract_record(
            actor=village_cadre,
            village=tree.village_a1,
            data=lease(counterparty_person=person, counterparty_company=company),
        ),
        "counterparty_company",
    )


def test_contract_asset_and_resource_must_be_the_village_own(tree, village_cadre):
    elsewhere_asset = factories.asset(tree.village_a2)
    elsewhere_land = factories.resource(tree.village_a2)
    refused(
        lambda: contract_record(
            actor=village_cadre, village=tree.village_a1, data=lease(asset=elsewhere_asset)
        ),
        "asset",
    )
    refused(
        lambda: contract_record(
            actor=village_cadre, village=tree.village_a1, data=lease(resource=elsewhere_land)
        ),
        "resource",
    )


def test_contract_record_refuses_an_instalment_of_nothing(tree, village_cadre, english):
    schedule = [*YEARLY, InstalmentInput(due_on=date(2026, 1, 1), amount=Decimal("0"))]
    error = refused(
        lambda: contract_record(
            actor=village_cadre, village=tree.village_a1, data=lease(), instalments=schedule
        ),
        "instalments",
    )
    assert "Instalment 3" in error.message


def test_contract_end_closes_it_with_the_date_in_the_audit(tree, village_cadre):
    contract = factories.contract(tree.village_a1)
    contract_end(
        actor=village_cadre,
        contract=contract,
        status=ContractStatus.ENDED,
        ended_on=date(2026, 12, 31),
    )
    assert Contract.objects.get(pk=contract.pk).status == ContractStatus.ENDED
    event = AuditEvent.objects.get(verb="contract.ended")
    assert (event.actor, event.target_id) == (village_cadre, str(contract.pk))
    assert event.data == {"status": "ended", "on": "2026-12-31", "reason": ""}


def test_early_termination_needs_a_reason(tree, village_cadre):
    contract = factories.contract(tree.village_a1)
    refused(
        lambda: contract_end(
            actor=village_cadre,
            contract=contract,
            status=ContractStatus.TERMINATED,
            ended_on=date(2025, 6, 30),
        ),
        "reason",
    )
    contract_end(
        actor=village_cadre,
        contract=contract,
        status=ContractStatus.TERMINATED,
        ended_on=date(2025, 6, 30),
        reason=" 承租方违约 ",
    )
    assert Contract.objects.get(pk=contract.pk).status == ContractStatus.TERMINATED
    assert AuditEvent.objects.get(verb="contract.ended").data["reason"] == "承租方违约"


@pytest.mark.parametrize(
    ("status", "ended_on", "field"),
    [
        (ContractStatus.ACTIVE, date(2026, 12, 31), "status"),
        ("vanished", date(2026, 12, 31), "status"),
        (ContractStatus.ENDED, date(2023, 12, 31), "ended_on"),
    ],
)
def test_contract_end_refuses_bad_input(tree, village_cadre, status, ended_on, field):
    contract = factories.contract(tree.village_a1)
    refused(
        lambda: contract_end(
            actor=village_cadre, contract=contract, status=status, ended_on=ended_on
        ),
        field,
    )


def test_a_closed_contract_cannot_end_again(tree, village_cadre):
    contract = factories.contract(tree.village_a1, status=ContractStatus.ENDED)
    refused(
        lambda: contract_end(
            actor=village_cadre,
            contract=contract,
            status=ContractStatus.ENDED,
            ended_on=date(2026, 12, 31),
        ),
        "status",
    )


def test_instalment_schedule_set_replaces_the_schedule(tree, village_cadre):
    contract = factories.contract(tree.village_a1)
    factories.instalment(contract, date(2024, 1, 1), "6000")
    factories.instalment(contract, date(2025, 1, 1), "6000")
    written = instalment_schedule_set(
        actor=village_cadre,
        contract=contract,
        instalments=[
            InstalmentInput(due_on=date(2024, 7, 1), amount=Decimal("3000")),
            InstalmentInput(due_on=date(2024, 1, 1), amount=Decimal("3000")),
        ],
    )
    assert len(written) == 2
    assert list(contract.instalments.order_by("due_on").values_list("due_on", "amount")) == [
        (date(2024, 1, 1), Decimal("3000.00")),
        (date(2024, 7, 1), Decimal("3000.00")),
    ]
    event = AuditEvent.objects.get(verb="contract.schedule_set")
    assert (event.actor, event.target_id) == (village_cadre, str(contract.pk))
    assert event.data["total"] == "6000.00"
    assert event.data["previous"] == [["2024-01-01", "6000.00"], ["2025-01-01", "6000.00"]]


def test_instalment_schedule_set_refuses_a_closed_contract_or_a_nil_amount(tree, village_cadre):
    contract = factories.contract(tree.village_a1)
    factories.instalment(contract, date(2024, 1, 1), "6000")
    bad = [InstalmentInput(due_on=date(2024, 1, 1), amount=Decimal("-1"))]
    refused(
        lambda: instalment_schedule_set(actor=village_cadre, contract=contract, instalments=bad),
        "instalments",
    )
    closed = factories.contract(tree.village_a1, status=ContractStatus.TERMINATED)
    refused(
        lambda: instalment_schedule_set(actor=village_cadre, contract=closed, instalments=YEARLY),
        "instalments",
    )


def test_a_contract_points_at_a_decided_matter_of_its_village_only(tree, village_cadre):
    from qinglian.powers.models import Matter, MatterState, PowerItem

    item = PowerItem.objects.get(power_list__region__isnull=True, code="P17")
    open_here, decided_there, decided_here = (
        Matter.objects.create(
            village=village,
            item=item,
            title="厂房出租",
            origin="cadres",
            started_on=date(2024, 1, 1),
            state=state,
        )
        for village, state in [
            (tree.village_a1, MatterState.OPEN),
            (tree.village_a2, MatterState.DECIDED),
            (tree.village_a1, MatterState.DECIDED),
        ]
    )
    for wrong in (open_here, decided_there):
        refused(
            lambda wrong=wrong: contract_record(
                actor=village_cadre,
                village=tree.village_a1,
                data=lease(power_matter_id=wrong.pk),
            ),
            "power_matter_id",
        )
    contract = contract_record(
        actor=village_cadre, village=tree.village_a1, data=lease(power_matter_id=decided_here.pk)
    )
    assert contract.power_matter_id == decided_here.pk
