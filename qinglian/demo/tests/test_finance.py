"""The demo county's books: two years that reconcile, are published, and hide four irregularities.

The county is built once for this module, books included, inside a transaction
rolled back after (as ``test_build`` does).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from qinglian.core.models import AuditEvent
from qinglian.demo.builder import DemoBuild, demo_county_build
from qinglian.demo.finance import (
    FINANCE_AS_OF,
    FINANCE_BUILT_VERB,
    PLANTED_CASH_AMOUNT,
    PLANTED_SPLIT_AMOUNT,
    PlantedKind,
    ledger_months,
)
from qinglian.directory.models import Region, RegionLevel
from qinglian.disclosures.models import Disclosure
from qinglian.finance.contract_checks import ProblemCode
from qinglian.finance.models import (
    Asset,
    AssetChange,
    AssetStatus,
    Contract,
    ContractInstalment,
    Direction,
    FundAccount,
    FundAccountKind,
    LedgerMonth,
    LedgerMonthStatus,
    Resource,
    ResourceChange,
    Voucher,
    VoucherLine,
    VoucherSignoff,
)
from qinglian.finance.property_selectors import contract_summary_by_village, contracts_in
from qinglian.finance.selectors import monthly_statement
from qinglian.finance.services import STATEMENT_RECORD, statement_record_id
from qinglian.transparency.models import LogEntry

pytestmark = pytest.mark.django_db

MONTHS = ledger_months(24)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[DemoBuild]:
    with (
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield demo_county_build()
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def statements(demo, django_db_blocker) -> dict[tuple[str, date], object]:
    with django_db_blocker.unblock():
        return {
            (m.village.code, m.month): monthly_statement(m)
            for m in LedgerMonth.objects.select_related("village")
        }


def villages() -> list[Region]:
    return list(Region.objects.filter(level=RegionLevel.VILLAGE).order_by("path"))


def planted(demo: DemoBuild, kind: str):
    assert demo.finance is not None
    [row] = [row for row in demo.finance.planted if row.kind == kind]
    return row


def test_every_village_keeps_24_closed_months_of_books_that_reconcile(demo, statements):
    assert MONTHS[0] == date(2024, 11, 1) and MONTHS[-1] == date(2026, 10, 1)
    for village in villages():
        months = LedgerMonth.objects.filter(village=village).order_by("month")
        assert [m.month for m in months] == MONTHS, village.name
        assert {m.status for m in months} == {LedgerMonthStatus.CLOSED}
        kinds = Counter(FundAccount.objects.filter(village=village).values_list("kind", flat=True))
        assert kinds == {FundAccountKind.CASH: 1, FundAccountKind.BANK: 1, FundAccountKind.CARD: 1}
    assert not LedgerMonth.objects.filter(month__gte=date(2026, 11, 1)).exists()
    assert len(statements) == 12 * 24
    for (code, month), statement in statements.items():
        assert statement.errors == [], (code, month)
        assert 15 <= statement.voucher_count <= 40, (code, month)
        assert statement.expense_total > 0
    income: Counter[str] = Counter()
    for (code, _month), statement in statements.items():
        income[code] += statement.income_total
    assert len(income) == 12 and all(total > 100_000 for total in income.values())
    assert demo.finance.counts.vouchers == Voucher.objects.count()


def test_every_closed_month_is_published_in_the_log_but_one(demo):
    months = list(LedgerMonth.objects.select_related("village").order_by("village__path", "month"))
    unpublished = [m for m in months if m.published_revision is None]
    # The planted overdue list: the first village's last month (due 10 November 2026).
    assert [(m.village.code, m.month) for m in unpublished] == [
        (months[0].village.code, date(2026, 10, 1))
    ]
    published = [m for m in months if m.published_revision is not None]
    assert all(m.published_revision == m.revision == 1 for m in published)
    logged = set(
        LogEntry.objects.filter(record_type=STATEMENT_RECORD).values_list("record_id", flat=True)
    )
    assert logged == {statement_record_id(m, m.revision) for m in published}
    assert demo.finance.counts.statements_published == 12 * 24 - 1


def test_monthly_lists_were_posted_before_the_tenth_but_one(demo):
    lists = Disclosure.objects.filter(item_code="FA01", versions_published__gt=0)
    late = [d for d in lists if d.published_late]
    assert len(lists) == 12 * 24 - 1
    assert [d.period_key for d in late] == ["2026-08"]


def test_cash_stays_small_except_the_planted_1800_yuan_cash_payment(demo, statements):
    row = planted(demo, PlantedKind.CASH_PAYMENT)
    assert row.village == villages()[1].code and row.month == date(2025, 8, 1)
    warned = {key: s.warnings for key, s in statements.items() if s.warnings}
    assert list(warned) == [(row.village, row.month)]
    [warning] = warned[(row.village, row.month)]
    assert str(PLANTED_CASH_AMOUNT) in warning
    assert max(s.cash_on_hand for s in statements.values()) < Decimal(5000)
    cash_paid = VoucherLine.objects.filter(
        account__kind=FundAccountKind.CASH, direction=Direction.CREDIT
    )
    assert list(cash_paid.filter(amount__gte=1000).values_list("amount", flat=True)) == [
        PLANTED_CASH_AMOUNT
    ]


def test_contract_checks_find_the_related_party_and_the_rent_below_norm_only(demo):
    county = Region.objects.get(level=RegionLevel.COUNTY)
    rows = contracts_in(county, on=FINANCE_AS_OF)
    assert len(rows) == Contract.objects.count() >= 12 * 4
    problems = {
        (row.contract.village.code, row.contract.number): [p.code for p in row.problems]
        for row in rows
        if row.problems
    }
    related = planted(demo, PlantedKind.RELATED_PARTY)
    low_rent = planted(demo, PlantedKind.RENT_BELOW_NORM)
    assert problems == {
        (related.village, related.contract_number): [ProblemCode.RELATED_PARTY],
        (low_rent.village, low_rent.contract_number): [ProblemCode.RENT_BELOW_NORM],
    }
    works = Contract.objects.get(village__code=related.village, number=related.contract_number)
    assert works.kind == "works" and works.counterparty_company is not None
    assert works.counterparty_company.credit_code in {p.credit_code for p in demo.planted}
    lease = Contract.objects.get(village__code=low_rent.village, number=low_rent.contract_number)
    assert lease.resource is not None and lease.resource.kind == "reserve_land"
    assert lease.annual_rent is not None and lease.area_mu is not None
    assert lease.annual_rent / lease.area_mu == Decimal(150)
    assert lease.resolution_reference.endswith("村民代表会议决议")


def test_collected_share_is_realistic_most_paid_some_arrears(demo):
    county = Region.objects.get(level=RegionLevel.COUNTY)
    summaries = contract_summary_by_village(county, on=FINANCE_AS_OF)
    shares = [s.collected_percent for s in summaries if s.collected_percent is not None]
    assert len(shares) == len(summaries) == 12
    assert all(0 < share <= 100 for share in shares)
    assert any(share < 100 for share in shares)
    assert sum(shares, Decimal(0)) / len(shares) > 85
    for row in contracts_in(county, on=FINANCE_AS_OF):
        assert Decimal(0) <= row.collected <= row.due, row.contract.number
    assert ContractInstalment.objects.filter(due_on__gt=FINANCE_AS_OF).exists()


def test_split_purchase_is_three_payments_of_4800_to_one_supplier_within_ten_days(demo):
    row = planted(demo, PlantedKind.SPLIT_PURCHASE)
    lines = list(
        VoucherLine.objects.filter(
            voucher__village__code=row.village,
            account__isnull=False,
            direction=Direction.CREDIT,
            amount=PLANTED_SPLIT_AMOUNT,
        ).select_related("voucher")
    )
    assert len(lines) == 3
    dates = sorted(line.voucher.date for line in lines)
    assert dates[-1] - dates[0] <= timedelta(days=10)
    suppliers = {(line.counterparty_company_id, line.counterparty_name) for line in lines}
    assert len(suppliers) == 1


def test_registers_keep_status_histories_and_contracts_name_their_resolutions(demo):
    assert Asset.objects.filter(name="村委会办公楼", category="non_operating").count() == 12
    shop_changes = AssetChange.objects.filter(asset__name="村集体沿街店面").order_by("changed_on")
    assert set(shop_changes.values_list("status", flat=True)) == {
        AssetStatus.IDLE,
        AssetStatus.LEASED_OUT,
    }
    assert Asset.objects.filter(name__startswith="村级光伏电站").exists()
    assert ResourceChange.objects.filter(kind="status", status="contracted").count() >= 12
    assert Resource.objects.filter(kind="reserve_land").count() == 12
    assert not Contract.objects.filter(resolution_reference="").exists()
    linked = VoucherLine.objects.filter(contract__isnull=False).values("contract").distinct()
    assert linked.count() >= Contract.objects.count() - 2


def test_a_sample_of_vouchers_carries_the_joint_signoff_chain(demo):
    signed = Voucher.objects.filter(signoffs__isnull=False).distinct()
    assert 0 < signed.count() < Voucher.objects.count() // 10
    for voucher in signed[:20]:
        roles = list(voucher.signoffs.order_by("step").values_list("role", flat=True))
        assert roles[:2] == ["handler", "finance_review"]
    assert VoucherSignoff.objects.count() == demo.finance.counts.signoffs


def test_second_run_adds_nothing(demo):
    models = (FundAccount, Asset, Resource, Contract, LedgerMonth, Voucher, VoucherLine, LogEntry)
    before = {model.__name__: model.objects.count() for model in models}
    before["AuditEvent"] = AuditEvent.objects.count()
    call_command("demo", stdout=StringIO())
    after = {model.__name__: model.objects.count() for model in models}
    after["AuditEvent"] = AuditEvent.objects.count()
    assert after == before
    assert AuditEvent.objects.filter(verb=FINANCE_BUILT_VERB).count() == 1


def test_the_road_works_are_decided_matters_and_the_first_village_still_gets_its_own(demo):
    from qinglian.powers.models import Matter, MatterState

    works = Contract.objects.filter(title__endswith="村道硬化工程施工合同")
    assert works.count() == len(villages())
    for contract in works:
        matter = Matter.objects.get(pk=contract.power_matter_id or 0)
        assert matter.village_id == contract.village_id
        assert matter.item.code == "P07" and matter.state == MatterState.DECIDED
        assert Disclosure.objects.filter(
            pk=matter.resolution_disclosure_id or 0, versions_published=1
        ).exists()
        paid = Voucher.objects.filter(lines__contract=contract).distinct()
        assert paid and all(v.power_matter_id == matter.pk for v in paid)
    # The books' matters do not stop the demo's matters of 2026 (demo.matters).
    first = villages()[0]
    assert set(
        Matter.objects.filter(village=first, started_on__year=2026).values_list("state", flat=True)
    ) == set(MatterState.values)
