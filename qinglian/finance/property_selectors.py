"""Reads of contracts, assets and resources, each costing a fixed number of queries.

These are building blocks: callers that serve a user pass the region through
the access policy first (``accounts.policy.access_region``).

Money *collected* under a contract is what its current vouchers moved through a
fund subject (cash, bank): received for a receivable contract, paid for a
payable one, net of refunds, up to the date asked about.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Case, DecimalField, F, Prefetch, Q, QuerySet, Sum, When
from django.utils import timezone

from qinglian.directory.models import (
    Region,
    RegionLevel,
    RelativeDeclaration,
    Shareholding,
    Term,
    subtree_q,
)
from qinglian.finance.contract_checks import (
    ContractFacts,
    ContractProblem,
    contract_problems,
    counterparty_is_related,
)
from qinglian.finance.models import (
    ZERO,
    Asset,
    AssetChange,
    Contract,
    ContractDirection,
    ContractInstalment,
    Direction,
    Resource,
    ResourceChange,
    SubjectKind,
    VoucherLine,
    cents,
)
from qinglian.finance.thresholds import threshold_table

PERCENT = Decimal("0.1")


# ---------------------------------------------------------------- related people


def _related_by_village(village_ids: Iterable[int], on: date) -> dict[int, frozenset[int]]:
    """For each village, its cadres on ``on`` and their close relatives (two queries)."""
    cadres: dict[int, set[int]] = defaultdict(set)
    terms = Term.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=on),
        village_id__in=list(village_ids),
        started_on__lte=on,
    ).values_list("village_id", "person_id")
    for village_id, person_id in terms:
        cadres[village_id].add(person_id)
    everyone = set().union(*cadres.values()) if cadres else set()
    kin: dict[int, set[int]] = defaultdict(set)
    if everyone:
        pairs = RelativeDeclaration.objects.filter(
            Q(person_id__in=everyone) | Q(relative_id__in=everyone),
            degree__lte=settings.CLOSE_RELATIVE_MAX_DEGREE,
        ).values_list("person_id", "relative_id")
        for person_id, relative_id in pairs:
            kin[person_id].add(relative_id)
            kin[relative_id].add(person_id)
    return {
        village_id: frozenset(people.union(*(kin[p] for p in people)))
        for village_id, people in cadres.items()
    }


def cadre_related_person_ids(village: Region, on: date) -> frozenset[int]:
    """The village's cadres on ``on`` and their declared close relatives, both ways."""
    return _related_by_village([village.pk], on).get(village.pk, frozenset())


# ---------------------------------------------------------------- contracts


@dataclass(frozen=True)
class ContractRow:
    contract: Contract
    problems: tuple[ContractProblem, ...]
    due: Decimal  # instalments due on or before the date
    collected: Decimal  # money received or paid under it up to the date

    @property
    def standardised(self) -> bool:
        return not self.problems

    @property
    def outstanding(self) -> Decimal:
        return max(self.due - self.collected, ZERO)


def _due_by_contract(region: Region, on: date) -> dict[int, Decimal]:
    rows = (
        ContractInstalment.objects.filter(
            subtree_q("contract__village__path", [region.path]), due_on__lte=on
        )
        .values("contract_id")
        .annotate(total=Sum("amount"))
        .values_list("contract_id", "total")
    )
    return {contract_id: cents(total) for contract_id, total in rows}


def _collected_by_contract(region: Region, on: date) -> dict[int, Decimal]:
    """Net money through fund subjects per contract: debit in, credit out (one query)."""
    rows = (
        VoucherLine.objects.filter(
            subtree_q("contract__village__path", [region.path]),
            voucher__superseded_by__isnull=True,
            voucher__date__lte=on,
            subject__kind=SubjectKind.FUND,
        )
        .values("contract_id", "contract__direction")
        .annotate(
            received=Sum(
                Case(
                    When(direction=Direction.DEBIT, then=F("amount")),
                    default=-F("amount"),
                    output_field=DecimalField(max_digits=16, decimal_places=2),
                )
            )
        )
        .values_list("contract_id", "contract__direction", "received")
    )
    return {
        contract_id: cents(received if direction == ContractDirection.RECEIVABLE else -received)
        for contract_id, direction, received in rows
    }


def contracts_in(region: Region, *, on: date | None = None) -> list[ContractRow]:
    """Every contract of the villages under ``region``, with its problems and money.

    Problems are judged with the thresholds in force when the contract was signed
    (or started) and the cadres in office on ``on``. Seven queries, however many
    contracts and villages.
    """
    on = on or timezone.localdate()
    contracts = list(
        Contract.objects.filter(subtree_q("village__path", [region.path]))
        .select_related(
            "village",
            "village__parent",
            "counterparty_person",
            "counterparty_company",
            "asset",
            "resource",
        )
        .prefetch_related(
            Prefetch(
                "counterparty_company__shareholdings",
                queryset=Shareholding.objects.only("id", "company_id", "person_id"),
            )
        )
        .order_by("village__path", "-signed_on", "number")
    )
    due = _due_by_contract(region, on)
    collected = _collected_by_contract(region, on)
    villages = {c.village_id: c.village for c in contracts}
    related = _related_by_village(villages.keys(), on)

    def judged_on(contract: Contract) -> date:
        return contract.signed_on or contract.starts_on or on

    latest = max((judged_on(c) for c in contracts), default=on)
    table = threshold_table(villages.values(), latest)
    rows = []
    for contract in contracts:
        company = contract.counterparty_company
        company_people: list[int] = []
        if company is not None:
            company_people = [h.person_id for h in company.shareholdings.all()]
            if company.legal_representative_id:
                company_people.append(company.legal_representative_id)
        is_related = counterparty_is_related(
            person_id=contract.counterparty_person_id,
            company_people=company_people,
            related_ids=related.get(contract.village_id, frozenset()),
        )
        problems = contract_problems(
            ContractFacts.of(contract),
            table.values(contract.village, judged_on(contract)),
            related_party=is_related,
        )
        rows.append(
            ContractRow(
                contract=contract,
                problems=tuple(problems),
                due=due.get(contract.pk, ZERO),
                collected=collected.get(contract.pk, ZERO),
            )
        )
    return rows


@dataclass
class ContractSummary:
    region: Region
    contracts: int = 0
    standardised: int = 0
    due: Decimal = ZERO
    collected: Decimal = ZERO

    @property
    def standardised_percent(self) -> Decimal | None:
        """Share of contracts that are standardised; None without contracts."""
        if not self.contracts:
            return None
        return (Decimal(self.standardised) * 100 / self.contracts).quantize(
            PERCENT, rounding=ROUND_HALF_UP
        )

    @property
    def collected_percent(self) -> Decimal | None:
        """Collected as a share of what fell due; None when nothing was due."""
        if self.due <= 0:
            return None
        return (self.collected * 100 / self.due).quantize(PERCENT, rounding=ROUND_HALF_UP)

    def add(self, row: ContractRow) -> None:
        self.contracts += 1
        self.standardised += row.standardised
        self.due += row.due
        self.collected += row.collected


def _summaries(
    regions: Sequence[Region], rows: Iterable[ContractRow], region_of: dict[int, int]
) -> list[ContractSummary]:
    summaries = {r.pk: ContractSummary(region=r) for r in regions}
    for row in rows:
        summary = summaries.get(region_of.get(row.contract.village_id, -1))
        if summary is not None:
            summary.add(row)
    return list(summaries.values())


def contract_summary_by_village(region: Region, *, on: date | None = None) -> list[ContractSummary]:
    """One line per village under ``region``, villages without contracts included."""
    villages = list(
        Region.objects.filter(subtree_q("path", [region.path]), level=RegionLevel.VILLAGE)
        .select_related("parent")
        .order_by("path")
    )
    rows = contracts_in(region, on=on)
    return _summaries(villages, rows, {v.pk: v.pk for v in villages})


def contract_summary_by_township(
    region: Region, *, on: date | None = None
) -> list[ContractSummary]:
    """One line per township under ``region`` (or ``region`` itself, if a township)."""
    townships = list(
        Region.objects.filter(
            subtree_q("path", [region.path]), level=RegionLevel.TOWNSHIP
        ).order_by("path")
    )
    rows = contracts_in(region, on=on)
    township_of = {r.contract.village_id: r.contract.village.parent_id or -1 for r in rows}
    return _summaries(townships, rows, township_of)


# ---------------------------------------------------------------- registers


def assets_in(region: Region) -> QuerySet[Asset]:
    """The asset register under ``region``, each asset with its changes (two queries)."""
    return (
        Asset.objects.filter(subtree_q("village__path", [region.path]))
        .select_related("village")
        .prefetch_related(Prefetch("changes", queryset=AssetChange.objects.select_related("actor")))
        .order_by("village__path", "code")
    )


def resources_in(region: Region) -> QuerySet[Resource]:
    """The resource register under ``region``, each resource with its changes (two queries)."""
    return (
        Resource.objects.filter(subtree_q("village__path", [region.path]))
        .select_related("village")
        .prefetch_related(
            Prefetch("changes", queryset=ResourceChange.objects.select_related("actor"))
        )
        .order_by("village__path", "code")
    )


# ---------------------------------------------------------------- income by source


@dataclass
class IncomeSource:
    """Collective income from one asset, resource, contract or (otherwise) subject."""

    source: str  # "asset" | "resource" | "contract" | "subject"
    pk: int
    label: str
    amount: Decimal = ZERO
    subjects: set[str] = field(default_factory=set)


def income_by_source(village: Region, year: int) -> list[IncomeSource]:
    """The village's income in ``year`` by what produced it, largest first (one query).

    Income lines of current vouchers count net (credit in, debit out). A line
    that names an asset or resource counts for it; a line that names a contract
    counts for the contract's asset or resource if it has one, else for the
    contract; every other line counts for its subject.
    """
    rows = (
        VoucherLine.objects.filter(
            voucher__village=village,
            voucher__superseded_by__isnull=True,
            voucher__date__year=year,
            subject__kind=SubjectKind.INCOME,
        )
        .values(
            "subject_id",
            "subject__code",
            "subject__name",
            "asset_id",
            "asset__code",
            "asset__name",
            "resource_id",
            "resource__code",
            "resource__name",
            "contract_id",
            "contract__number",
            "contract__title",
            "contract__asset_id",
            "contract__asset__code",
            "contract__asset__name",
            "contract__resource_id",
            "contract__resource__code",
            "contract__resource__name",
        )
        .annotate(
            total=Sum(
                Case(
                    When(direction=Direction.CREDIT, then=F("amount")),
                    default=-F("amount"),
                    output_field=DecimalField(max_digits=16, decimal_places=2),
                )
            )
        )
        .order_by()
    )
    sources: dict[tuple[str, int], IncomeSource] = {}
    for row in rows:
        if row["asset_id"]:
            source, pk, label = "asset", row["asset_id"], (row["asset__code"], row["asset__name"])
        elif row["resource_id"]:
            source, pk = "resource", row["resource_id"]
            label = (row["resource__code"], row["resource__name"])
        elif row["contract__asset_id"]:
            source, pk = "asset", row["contract__asset_id"]
            label = (row["contract__asset__code"], row["contract__asset__name"])
        elif row["contract__resource_id"]:
            source, pk = "resource", row["contract__resource_id"]
            label = (row["contract__resource__code"], row["contract__resource__name"])
        elif row["contract_id"]:
            source, pk = "contract", row["contract_id"]
            label = (row["contract__number"], row["contract__title"])
        else:
            source, pk = "subject", row["subject_id"]
            label = (row["subject__code"], row["subject__name"])
        key = (source, pk)
        entry = sources.get(key)
        if entry is None:
            entry = sources[key] = IncomeSource(source=source, pk=pk, label=" ".join(label))
        entry.amount += cents(row["total"])
        entry.subjects.add(row["subject__code"])
    return sorted(sources.values(), key=lambda s: (-s.amount, s.source, s.label))
