"""Contract lists and summaries, registers and income by source: right figures, fixed queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qinglian.directory.factories import PersonFactory
from qinglian.directory.models import (
    Company,
    Person,
    Post,
    Region,
    Relation,
    RelativeDeclaration,
    Shareholding,
    Term,
)
from qinglian.finance import factories
from qinglian.finance.contract_checks import ProblemCode
from qinglian.finance.models import (
    AssetStatus,
    Contract,
    ContractDirection,
    ContractKind,
    CorrectionKind,
    Direction,
    LedgerCorrection,
    LedgerMonth,
    ResourceStatus,
    Threshold,
    ThresholdKey,
    Voucher,
    VoucherLine,
)
from qinglian.finance.property_selectors import (
    assets_in,
    cadre_related_person_ids,
    contract_summary_by_township,
    contract_summary_by_village,
    contracts_in,
    income_by_source,
    resources_in,
)
from qinglian.finance.property_services import asset_change, resource_change

pytestmark = pytest.mark.django_db

ON = date(2025, 6, 1)
BANK, CASH, LAND_RENT, LEASE_INCOME, OTHER_INCOME = "102", "101", "511001", "501003", "531"
DEBIT, CREDIT = Direction.DEBIT, Direction.CREDIT


def line(code: str, direction: str, amount: str, **refs: Any) -> dict[str, Any]:
    return {"code": code, "direction": direction, "amount": amount, **refs}


def post(village: Region, on: date, *lines: dict[str, Any], superseded: bool = False) -> Voucher:
    """A voucher written directly (the ledger's services are not under test here)."""
    month, _created = LedgerMonth.objects.get_or_create(village=village, month=on.replace(day=1))
    correction = None
    if superseded:
        correction = LedgerCorrection.objects.create(
            ledger_month=month, revision=2, kind=CorrectionKind.VOUCHER, reason="更正"
        )
    voucher = Voucher.objects.create(
        village=village,
        ledger_month=month,
        number=Voucher.objects.filter(ledger_month=month).count() + 1,
        date=on,
        summary="收款",
        superseded_by=correction,
    )
    for number, spec in enumerate(lines, start=1):
        spec = dict(spec)
        VoucherLine.objects.create(
            voucher=voucher,
            line_no=number,
            summary="",
            subject=factories.subject(spec.pop("code")),
            direction=spec.pop("direction"),
            amount=Decimal(spec.pop("amount")),
            **spec,
        )
    return voucher


def receive(village: Region, on: date, amount: str, **refs: Any) -> Voucher:
    """Rent received into the bank: a fund debit and an income credit, both naming ``refs``."""
    return post(
        village,
        on,
        line(BANK, DEBIT, amount, **refs),
        line(LAND_RENT, CREDIT, amount, **refs),
    )


def row_for(rows, contract: Contract):
    return next(r for r in rows if r.contract.pk == contract.pk)


def cadre(village: Region, started_on: date = date(2021, 1, 1), **term: Any) -> Person:
    person = PersonFactory.create(region=village)
    Term.objects.create(
        person=person, village=village, post=Post.COMMITTEE_CHAIR, started_on=started_on, **term
    )
    return person


def declare(person: Person, relative: Person, relation: str, degree: int) -> None:
    RelativeDeclaration.objects.create(
        person=person,
        relative=relative,
        relation=relation,
        degree=degree,
        declared_on=date(2024, 1, 1),
    )


def company(village: Region, *, representative: Person | None = None) -> Company:
    n = Company.objects.count() + 1
    return Company.objects.create(
        name=f"公司{n}",
        credit_code=f"91339901MA{n:08d}",
        region=village,
        region_path=village.path,
        legal_representative=representative,
    )


# ---------------------------------------------------------------- money on contracts


def test_due_counts_instalments_up_to_the_date(tree):
    contract = factories.contract(tree.village_a1)
    for year in (2024, 2025, 2026):
        factories.instalment(contract, date(year, 6, 1), "6000")
    rows = contracts_in(tree.village_a1, on=ON)
    assert row_for(rows, contract).due == Decimal("12000.00")
    assert row_for(contracts_in(tree.village_a1, on=date(2025, 5, 31)), contract).due == Decimal(
        "6000.00"
    )


def test_collected_counts_only_current_fund_lines_up_to_the_date(tree):
    contract = factories.contract(tree.village_a1)
    factories.instalment(contract, date(2024, 6, 1), "6000")
    receive(tree.village_a1, date(2024, 6, 3), "5000", contract=contract)
    receive(tree.village_a1, date(2024, 6, 20), "5000", contract=contract)
    # A superseded voucher, a voucher after the date, a refund, a line without the contract.
    post(
        tree.village_a1,
        date(2024, 6, 4),
        line(CASH, DEBIT, "900", contract=contract),
        line(LAND_RENT, CREDIT, "900", contract=contract),
        superseded=True,
    )
    receive(tree.village_a1, date(2025, 7, 1), "6000", contract=contract)
    post(
        tree.village_a1,
        date(2024, 8, 1),
        line(LAND_RENT, DEBIT, "1000", contract=contract),
        line(BANK, CREDIT, "1000", contract=contract),
    )
    receive(tree.village_a1, date(2024, 6, 5), "777")
    row = row_for(contracts_in(tree.village_a1, on=ON), contract)
    # 5000 + 5000 received, 1000 refunded; the income lines never count.
    assert row.collected == Decimal("9000.00")
    assert row.due == Decimal("6000.00")
    assert row.outstanding == Decimal("0.00")


def test_money_paid_out_counts_as_collected_for_a_payable_contract(tree):
    contract = factories.contract(
        tree.village_a1,
        kind=ContractKind.WORKS,
        direction=ContractDirection.PAYABLE,
        annual_rent=None,
        area_mu=None,
        amount=Decimal("30000"),
    )
    factories.instalment(contract, date(2025, 1, 1), "30000")
    post(
        tree.village_a1,
        date(2025, 1, 5),
        line("154", DEBIT, "20000", contract=contract),
        line(BANK, CREDIT, "20000", contract=contract),
    )
    row = row_for(contracts_in(tree.village_a1, on=ON), contract)
    assert (row.due, row.collected, row.outstanding) == (
        Decimal("30000.00"),
        Decimal("20000.00"),
        Decimal("10000.00"),
    )


def test_contracts_in_covers_the_subtree_only(tree):
    a1 = factories.contract(tree.village_a1)
    a2 = factories.contract(tree.village_a2)
    b1 = factories.contract(tree.village_b1)
    assert {r.contract.pk for r in contracts_in(tree.town_a, on=ON)} == {a1.pk, a2.pk}
    assert {r.contract.pk for r in contracts_in(tree.county, on=ON)} == {a1.pk, a2.pk, b1.pk}
    assert {r.contract.pk for r in contracts_in(tree.village_b1, on=ON)} == {b1.pk}


# ---------------------------------------------------------------- problems on contracts


def test_a_factory_contract_is_standardised_and_a_bare_one_is_not(tree):
    good = factories.contract(tree.village_a1)
    bare = factories.contract(
        tree.village_a1, counterparty_name="", starts_on=None, ends_on=None, annual_rent=None
    )
    rows = contracts_in(tree.village_a1, on=ON)
    assert row_for(rows, good).standardised
    assert [p.code for p in row_for(rows, bare).problems] == [
        ProblemCode.MISSING_PARTIES,
        ProblemCode.MISSING_TERMS,
    ]


def test_thresholds_in_force_at_signing_judge_the_contract(tree):
    Threshold.objects.create(
        region=tree.town_a,
        key=ThresholdKey.LEASE_MAX_YEARS,
        value=Decimal("10"),
        effective_from=date(2025, 1, 1),
    )
    term = {
        "starts_on": date(2025, 1, 1),
        "ends_on": date(2039, 12, 31),
        "resolution_reference": "决议",
    }
    before = factories.contract(tree.village_a1, signed_on=date(2024, 12, 1), **term)
    after = factories.contract(tree.village_a1, signed_on=date(2025, 1, 2), **term)
    elsewhere = factories.contract(tree.village_b1, signed_on=date(2025, 1, 2), **term)
    rows = contracts_in(tree.county, on=ON)
    assert row_for(rows, before).standardised
    assert [p.code for p in row_for(rows, after).problems] == [ProblemCode.TERM_TOO_LONG]
    assert row_for(rows, elsewhere).standardised


def test_contracts_with_a_cadre_their_kin_or_their_companies_are_related_party(tree):
    chair = cadre(tree.village_a1)
    brother = PersonFactory.create(region=tree.village_a1)
    declare(chair, brother, Relation.SIBLING, 2)
    shareholder_firm = company(tree.village_a1)
    Shareholding.objects.create(company=shareholder_firm, person=chair, percent=Decimal("30"))
    related = [
        factories.contract(tree.village_a1, counterparty_person=chair),
        factories.contract(tree.village_a1, counterparty_person=brother),
        factories.contract(
            tree.village_a1, counterparty_company=company(tree.village_a1, representative=brother)
        ),
        factories.contract(tree.village_a1, counterparty_company=shareholder_firm),
    ]
    stranger = factories.contract(
        tree.village_a1, counterparty_person=PersonFactory.create(region=tree.village_a1)
    )
    # The same brother is no one's relative in the other village.
    other_village = factories.contract(tree.village_a2, counterparty_person=brother)
    rows = contracts_in(tree.county, on=ON)
    for contract in related:
        assert [p.code for p in row_for(rows, contract).problems] == [ProblemCode.RELATED_PARTY]
    assert row_for(rows, stranger).standardised
    assert row_for(rows, other_village).standardised


def test_related_people_are_the_cadres_in_office_and_their_close_kin(
    tree, django_assert_num_queries
):
    chair = cadre(tree.village_a1)
    wife = PersonFactory.create(region=tree.village_a1)
    declare(wife, chair, Relation.SPOUSE, 1)  # declared by the relative: counts both ways
    nephew = PersonFactory.create(region=tree.village_a1)
    declare(chair, nephew, Relation.NEPHEW_NIECE, 3)
    cousin = PersonFactory.create(region=tree.village_a1)
    declare(chair, cousin, Relation.COUSIN, 4)  # beyond CLOSE_RELATIVE_MAX_DEGREE (3)
    former = cadre(tree.village_a1, started_on=date(2015, 1, 1), ended_on=date(2020, 12, 31))
    future = cadre(tree.village_a1, started_on=date(2026, 1, 1))
    elsewhere = cadre(tree.village_a2)
    with django_assert_num_queries(2):
        related = cadre_related_person_ids(tree.village_a1, ON)
    assert related == {chair.pk, wife.pk, nephew.pk}
    assert not related & {cousin.pk, former.pk, future.pk, elsewhere.pk}
    assert former.pk in cadre_related_person_ids(tree.village_a1, date(2020, 12, 31))


def test_a_village_without_cadres_has_no_related_people(tree):
    assert cadre_related_person_ids(tree.village_b1, ON) == frozenset()


# ---------------------------------------------------------------- summaries


def build_county(tree, per_village: int) -> None:
    """Contracts with every kind of counterparty, schedule and payment in three villages."""
    for village in (tree.village_a1, tree.village_a2, tree.village_b1):
        chair = cadre(village)
        brother = PersonFactory.create(region=village)
        declare(chair, brother, Relation.SIBLING, 2)
        firm = company(village, representative=brother)
        Shareholding.objects.create(company=firm, person=chair, percent=Decimal("10"))
        for n in range(per_village):
            for counterparty in (
                {"counterparty_person": brother},
                {"counterparty_company": firm},
                {"resource": factories.resource(village)},
                {"asset": factories.asset(village)},
            ):
                contract = factories.contract(village, **counterparty)
                factories.instalment(contract, date(2024, 1, 1 + n), "6000")
                receive(village, date(2024, 2, 1), "3000", contract=contract)


@pytest.mark.parametrize("per_village", [1, 4])
def test_contract_list_and_summaries_cost_fixed_queries(
    tree, django_assert_max_num_queries, per_village
):
    build_county(tree, per_village)
    with django_assert_max_num_queries(7):
        rows = contracts_in(tree.county, on=ON)
        for row in rows:  # what a list page shows of each row
            _shown = (
                row.contract.village.parent,
                row.contract.counterparty_label,
                row.contract.asset,
                row.contract.resource,
                row.problems,
                row.due,
                row.collected,
            )
    assert len(rows) == 3 * 4 * per_village
    with django_assert_max_num_queries(8):
        villages = contract_summary_by_village(tree.county, on=ON)
        _labels = [(s.region.parent, s.collected_percent) for s in villages]
    with django_assert_max_num_queries(8):
        contract_summary_by_township(tree.county, on=ON)


def test_list_queries_do_not_grow_with_rows(tree):
    build_county(tree, 1)
    with CaptureQueriesContext(connection) as small:
        contracts_in(tree.county, on=ON)
    build_county(tree, 3)
    with CaptureQueriesContext(connection) as large:
        rows = contracts_in(tree.county, on=ON)
    assert len(rows) == 3 * 4 * 4
    assert len(large.captured_queries) == len(small.captured_queries)


def test_summary_by_village_counts_standardised_due_and_collected(tree):
    good = factories.contract(tree.village_a1)
    factories.instalment(good, date(2024, 6, 1), "6000")
    receive(tree.village_a1, date(2024, 6, 2), "4500", contract=good)
    bare = factories.contract(tree.village_a1, counterparty_name="")
    factories.instalment(bare, date(2024, 6, 1), "2000")
    factories.contract(tree.village_b1)
    summaries = {s.region.pk: s for s in contract_summary_by_village(tree.town_a, on=ON)}
    assert set(summaries) == {tree.village_a1.pk, tree.village_a2.pk}
    a1 = summaries[tree.village_a1.pk]
    assert (a1.contracts, a1.standardised) == (2, 1)
    assert a1.standardised_percent == Decimal("50.0")
    assert (a1.due, a1.collected) == (Decimal("8000.00"), Decimal("4500.00"))
    assert a1.collected_percent == Decimal("56.3")
    a2 = summaries[tree.village_a2.pk]  # no contracts at all: shown, with no percentages
    assert (a2.contracts, a2.due, a2.collected) == (0, Decimal("0"), Decimal("0"))
    assert a2.standardised_percent is None
    assert a2.collected_percent is None


def test_nothing_due_means_no_collection_rate(tree):
    factories.contract(tree.village_a1)
    (a1,) = [
        s for s in contract_summary_by_village(tree.town_a, on=ON) if s.region == tree.village_a1
    ]
    assert a1.contracts == 1
    assert a1.standardised_percent == Decimal("100.0")
    assert a1.collected_percent is None


def test_summary_by_township_adds_up_its_villages(tree):
    for village in (tree.village_a1, tree.village_a2):
        contract = factories.contract(village)
        factories.instalment(contract, date(2024, 6, 1), "1000")
        receive(village, date(2024, 6, 1), "1000", contract=contract)
    other = factories.contract(tree.village_b1, counterparty_name="")
    factories.instalment(other, date(2024, 6, 1), "1000")
    summaries = {s.region.pk: s for s in contract_summary_by_township(tree.county, on=ON)}
    town_a, town_b = summaries[tree.town_a.pk], summaries[tree.town_b.pk]
    assert (town_a.contracts, town_a.standardised, town_a.due, town_a.collected) == (
        2,
        2,
        Decimal("2000.00"),
        Decimal("2000.00"),
    )
    assert town_a.collected_percent == Decimal("100.0")
    assert (town_b.contracts, town_b.standardised, town_b.collected_percent) == (
        1,
        0,
        Decimal("0.0"),
    )
    assert [s.region for s in contract_summary_by_township(tree.town_b, on=ON)] == [tree.town_b]


# ---------------------------------------------------------------- registers


def test_asset_register_lists_the_subtree_with_changes_in_two_queries(
    tree, village_cadre, django_assert_num_queries
):
    building = factories.asset(tree.village_a1, code="ZC001")
    asset_change(
        actor=village_cadre,
        asset=building,
        changed_on=date(2024, 1, 1),
        status=AssetStatus.IDLE,
    )
    factories.asset(tree.village_a2, code="ZC001")
    factories.asset(tree.village_b1)
    with django_assert_num_queries(2):
        register = [
            (a.village.name, a.code, [c.kind for c in a.changes.all()])
            for a in assets_in(tree.town_a)
        ]
    assert register == [("上塘村", "ZC001", ["status"]), ("下塘村", "ZC001", [])]


def test_resource_register_lists_the_subtree_with_changes_in_two_queries(
    tree, village_cadre, django_assert_num_queries
):
    land = factories.resource(tree.village_b1, code="ZY001")
    resource_change(
        actor=village_cadre,
        resource=land,
        changed_on=date(2024, 1, 1),
        status=ResourceStatus.LEASED,
    )
    factories.resource(tree.village_a1)
    with django_assert_num_queries(2):
        register = [
            (r.code, r.status, [(c.kind, c.actor) for c in r.changes.all()])
            for r in resources_in(tree.town_b)
        ]
    assert register == [("ZY001", "leased", [("status", village_cadre)])]


# ---------------------------------------------------------------- income by source


def test_income_is_grouped_by_what_produced_it(tree, django_assert_num_queries):
    village = tree.village_a1
    land = factories.resource(village, code="ZY001", name="东山机动地")
    shop = factories.asset(village, code="ZC001", name="沿街店面")
    land_lease = factories.contract(village, resource=land)
    shop_lease = factories.contract(village, asset=shop)
    plain = factories.contract(village, number="HT-9", title="广告位出租")
    receive(village, date(2024, 3, 1), "6000", contract=land_lease)
    receive(village, date(2024, 9, 1), "1500", resource=land)  # the resource named directly
    post(
        village,
        date(2024, 4, 1),
        line(BANK, DEBIT, "12000", contract=shop_lease),
        line(LEASE_INCOME, CREDIT, "12000", contract=shop_lease),
    )
    post(
        village,
        date(2024, 5, 1),
        line(BANK, DEBIT, "800", contract=plain),
        line(LEASE_INCOME, CREDIT, "800", contract=plain),
    )
    post(village, date(2024, 6, 1), line(CASH, DEBIT, "300"), line(OTHER_INCOME, CREDIT, "300"))
    receive(village, date(2024, 10, 2), "999", contract=land_lease)
    # A reversal lowers the shop's income;
    post(
        village,
        date(2024, 7, 1),
        line(LEASE_INCOME, DEBIT, "2000", asset=shop),
        line(BANK, CREDIT, "2000", asset=shop),
    )
    # none of these count: superseded, another year, another village.
    post(
        village,
        date(2024, 3, 3),
        line(BANK, DEBIT, "50", resource=land),
        line(LAND_RENT, CREDIT, "50", resource=land),
        superseded=True,
    )
    receive(village, date(2023, 12, 31), "70", resource=land)
    receive(tree.village_a2, date(2024, 3, 1), "80")
    with django_assert_num_queries(1):
        sources = income_by_source(village, 2024)
    assert [(s.source, s.label, s.amount) for s in sources] == [
        ("asset", "ZC001 沿街店面", Decimal("10000.00")),
        ("resource", "ZY001 东山机动地", Decimal("8499.00")),
        ("contract", "HT-9 广告位出租", Decimal("800.00")),
        ("subject", "531 其他收入", Decimal("300.00")),
    ]
    assert sources[0].pk == shop.pk
    assert sources[1].subjects == {LAND_RENT}
