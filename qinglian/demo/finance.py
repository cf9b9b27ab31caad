"""Two years of books for every demo village: accounts, registers, contracts and vouchers.

Every village of the demo county gets, through the finance services (so every row
is what a village would have written, with its audit event):

- three fund accounts opened on 1 November 2024: 现金 (cash box), a basic account
  at 农商银行 and a 村务卡 (village affairs card);
- an asset register: the office building (non-operating), a shop front let out
  (idle until the lease began), a warehouse (in use, then let out), in some
  villages a photovoltaic station 光伏电站 and an old vehicle awaiting disposal;
  the hardened road once its works are accepted;
- a resource register in mu: arable land (household contracting), reserve land
  机动地 (idle, then contracted out), forest, a fish pond;
- contracts with their schedules and authorising resolutions: land contracting
  of the reserve land and of the fish pond (near the norm of 600 yuan per mu a
  year), the shop-front lease, sometimes a warehouse lease, a purchase of solar
  street lamps and the works of road hardening (村道硬化);
- 24 months of vouchers, November 2024 to October 2026, 15 to 40 a month, each
  month written at once as an upload (``ledger_month_replace``), closed and its
  statement published to the log; money under a contract names the contract,
  so that "collected" is what the books say: most instalments are paid a few
  days after they fall due, some late, some not at all;
- the joint sign-off chain on the larger payments of the last six months.

Cash payments stay below 1,000 yuan and cash on hand below 5,000 (cash is drawn
from the bank when it runs short), and no account is ever overdrawn (the village
asks the township for its operating funds early when the bank runs low), so
every statement reconciles without error and warns only where planted.

Planted irregularities (``PlantedFinance`` rows; the tests assert each is found):

1. ``cash_payment``: the second village pays 1,800 yuan in cash in August 2025
   (above the 1,000 limit): that month's statement warns.
2. ``related_party``: the first village whose cadre has a declared relative among
   the owners of a works company (the companies ``companies.py`` plants) awards
   it the road-hardening works: ``contracts_in`` reports a related party.
3. ``rent_below_norm``: the third village lets its reserve land at 150 yuan per
   mu a year: ``contracts_in`` reports the rent far below the norm.
4. ``split_purchase``: the fifth village buys flood-control supplies from one
   supplier in three payments of 4,800 yuan within ten days (each just below the
   5,000 of routine spending). No check reports it yet; it waits for the red-flag
   rules.

Everything is drawn from a ``random.Random`` seeded with the demo seed and the
village code, and dated by the calendar above, never by the clock: the same
county gets the same books (only publication times are the clock's).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from qinglian.core.audit import audit_record
from qinglian.core.calendar import month_end
from qinglian.directory.models import (
    Company,
    Person,
    Post,
    Region,
    RegionLevel,
    Shareholding,
    Term,
    subtree_q,
)
from qinglian.disclosures.models import Disclosure
from qinglian.disclosures.services import draft_publish, draft_review, statement_submit
from qinglian.finance.drafts import ImportSource, LineDraft, VoucherDraft
from qinglian.finance.models import (
    CENT,
    Asset,
    AssetCategory,
    AssetKind,
    AssetStatus,
    Contract,
    ContractDirection,
    ContractKind,
    Direction,
    FundAccount,
    FundAccountKind,
    LedgerMonth,
    PaymentMethod,
    Resource,
    ResourceKind,
    ResourceStatus,
    SignoffRole,
    Subject,
    Voucher,
)
from qinglian.finance.property_selectors import cadre_related_person_ids
from qinglian.finance.property_services import (
    ContractInput,
    InstalmentInput,
    asset_change,
    asset_register,
    contract_record,
    resource_change,
    resource_register,
)
from qinglian.finance.services import (
    fund_account_open,
    ledger_month_close,
    ledger_month_replace,
    voucher_sign,
)
from qinglian.powers.models import Matter, Origin
from qinglian.powers.procedure import Evidence
from qinglian.powers.services import matter_start, step_record

FINANCE_BUILT_VERB = "demo.finance_built"
# The books run from LEDGER_FIRST_MONTH through LEDGER_LAST_MONTH; November 2026,
# the demo's present, has no books yet.
LEDGER_FIRST_MONTH = date(2024, 11, 1)
LEDGER_LAST_MONTH = date(2026, 10, 1)
MAX_FINANCE_MONTHS = 24
DEFAULT_FINANCE_MONTHS = MAX_FINANCE_MONTHS
# The day contracts are judged on (cadres in office, instalments due): after the
# last month's books, before the next instalments fall due in January 2027.
FINANCE_AS_OF = date(2026, 11, 20)
SIGNED_MONTHS = 6  # the joint sign-off chain is added on the last months only
SIGNED_PER_MONTH = 2
SIGNED_MIN = Decimal("5000")
TOWNSHIP_SIGNS_FROM = Decimal("50000")
CASH_PAYMENT_LIMIT = Decimal("1000")  # the shipped threshold; payments stay below it
CASH_TARGET = Decimal("4000")  # cash is drawn up to about this
PLANTED_CASH_MONTH = date(2025, 8, 1)
PLANTED_CASH_AMOUNT = Decimal("1800.00")
PLANTED_RENT_PER_MU = Decimal("150")
PLANTED_SPLIT_AMOUNT = Decimal("4800.00")
PLANTED_SPLIT_MONTH = date(2026, 4, 1)
RENT_NORM_PER_MU = Decimal("600")

_BANK = "农商银行"
_POWER_COMPANY = "国网清河县供电公司"
_TELECOM = "中国电信清河分公司"
_WATER_COMPANY = "清河县自来水有限公司"
_CHINESE_MONTHS = "一二三四五六七八九十"


class PlantedKind:
    CASH_PAYMENT = "cash_payment"
    RELATED_PARTY = "related_party"
    RENT_BELOW_NORM = "rent_below_norm"
    SPLIT_PURCHASE = "split_purchase"


@dataclass(frozen=True)
class PlantedFinance:
    """A planted finance irregularity, where to find it and what shows it."""

    kind: str
    village: str  # village code
    village_name: str
    detail: str
    contract_number: str = ""
    month: date | None = None


@dataclass
class FinanceCounts:
    villages: int = 0
    fund_accounts: int = 0
    assets: int = 0
    resources: int = 0
    contracts: int = 0
    instalments: int = 0
    ledger_months: int = 0
    vouchers: int = 0
    voucher_lines: int = 0
    months_closed: int = 0
    statements_published: int = 0
    signoffs: int = 0
    planted_finance: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass
class FinanceBuild:
    counts: FinanceCounts
    planted: list[PlantedFinance] = field(default_factory=list)
    skipped: int = 0  # villages that already had books


def money(value: float | int | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def ledger_months(months: int) -> list[date]:
    """The first days of the last ``months`` months of the books, oldest first."""
    if not 0 <= months <= MAX_FINANCE_MONTHS:
        raise ValueError(f"the demo keeps 0 to {MAX_FINANCE_MONTHS} months of books")
    firsts = []
    day = LEDGER_LAST_MONTH
    for _ in range(months):
        firsts.append(day)
        day = (day - timedelta(days=1)).replace(day=1)
    return firsts[::-1]


def _weekday(day: date) -> date:
    """The day, or the next Monday when it falls on a weekend (still inside its month)."""
    moved = day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)
    return moved if moved.month == day.month else day - timedelta(days=day.weekday() - 4)


def _month_word(month: date) -> str:
    return f"{month.month}月"


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _resolution(year: int, number: int) -> str:
    return f"{year}年第{number}次村民代表会议决议"


# The spring 2025 decision of each village's road works (P07, project approval): the
# branch proposes, the two committees consult, the supervision committee reviews, the
# party members and the representatives vote, the resolution is posted three days.
_PROJECT_STEPS: tuple[tuple[int, date, dict[str, Any]], ...] = (
    (1, date(2025, 3, 3), {"content": "党支部提议实施村道硬化工程"}),
    (2, date(2025, 3, 6), {"expected": 7, "present": 7, "votes_for": 7}),
    (3, date(2025, 3, 10), {"content": "村务监督委员会审核同意"}),
    (4, date(2025, 3, 14), {"expected": 30, "present": 26, "votes_for": 24, "votes_against": 1}),
    (5, date(2025, 3, 21), {"expected": 35, "present": 31, "votes_for": 29, "votes_abstain": 2}),
    (
        6,
        date(2025, 3, 24),
        {"publicity_start": date(2025, 3, 24), "publicity_end": date(2025, 3, 28)},
    ),
)


def _project_matter(village: Region, title: str, amount: Decimal) -> Matter:
    """The road works' matter walked to its decision, its resolution (VA06) published."""
    matter = matter_start(
        actor=None,
        village=village,
        item_code="P07",
        title=title,
        origin=Origin.VILLAGERS,
        started_on=date(2025, 3, 1),
        amount=amount,
    )
    for number, day, fields in _PROJECT_STEPS:
        content = fields.get("content", "")
        evidence = {k: v for k, v in fields.items() if k != "content"}
        if number == 5:
            content = f"同意实施{title}，预算{amount:,.0f}元，按规定公开招标"
        step_record(
            actor=None,
            matter=matter,
            evidence=Evidence(number=number, held_on=day, **evidence),
            content=content,
        )
    matter.refresh_from_db()
    assert matter.resolution_disclosure_id is not None  # the representatives passed it
    resolution = Disclosure.objects.get(pk=matter.resolution_disclosure_id)
    draft = resolution.drafts.get()
    signed_at = datetime.combine(date(2025, 3, 23), time(10), tzinfo=UTC)
    draft = draft_review(actor=None, draft=draft, approve=True, reviewed_at=signed_at)
    draft_publish(actor=None, draft=draft, published_at=signed_at + timedelta(hours=2))
    return matter


# ---------------------------------------------------------------- what a village has


@dataclass
class _Village:
    region: Region
    township: Region
    ordinal: int
    people: list[Person]
    related: frozenset[int]
    cadres: dict[str, Person]  # post value: holder
    allowance_takers: list[tuple[Person, Post]]
    companies: list[Company]
    planted_companies: list[Company]

    @property
    def bookkeeper(self) -> Person | None:
        return self.cadres.get(Post.BOOKKEEPER)

    def holder(self, *posts: Post) -> Person | None:
        for post in posts:
            if post in self.cadres:
                return self.cadres[post]
        return None

    def villagers(self, rng: random.Random, *, born_before: int, born_after: int) -> list[Person]:
        """Villagers unrelated to the cadres, born within the years given, in a stable order."""
        found = [
            p
            for p in self.people
            if p.pk not in self.related and born_after <= p.birth_date.year <= born_before
        ]
        return found or [p for p in self.people if p.pk not in self.related] or self.people


def _load_villages(villages: Sequence[Region]) -> list[_Village]:
    """Each village's people, cadres and companies, with the planted companies set apart.

    A company is planted when one of its owners or its legal representative is a
    cadre of a village, or a cadre's close relative, as the contract checks see it.
    Planted companies serve only the planted contract, in any village.
    """
    loaded = []
    planted: set[int] = set()
    for ordinal, region in enumerate(villages):
        township = region.parent
        assert township is not None
        people = list(
            Person.objects.filter(region=region)
            .only("id", "name", "birth_date", "region_id")
            .order_by("pk")
        )
        related = cadre_related_person_ids(region, FINANCE_AS_OF)
        cadres: dict[str, Person] = {}
        takers: list[tuple[Person, Post]] = []
        seen: set[int] = set()
        for term in (
            Term.objects.filter(village=region, ended_on__isnull=True)
            .select_related("person")
            .order_by("post", "pk")
        ):
            cadres.setdefault(term.post, term.person)
            if term.person_id not in seen:
                seen.add(term.person_id)
                takers.append((term.person, Post(term.post)))
        companies = list(
            Company.objects.filter(Q(region=region) | Q(region=township)).order_by("credit_code")
        )
        owned = set(
            Shareholding.objects.filter(company__in=companies, person_id__in=related).values_list(
                "company_id", flat=True
            )
        )
        mine = [c for c in companies if c.pk in owned or c.legal_representative_id in related]
        planted.update(c.pk for c in mine)
        loaded.append(
            _Village(
                region=region,
                township=township,
                ordinal=ordinal,
                people=people,
                related=related,
                cadres=cadres,
                allowance_takers=takers,
                companies=companies,
                planted_companies=mine,
            )
        )
    for village in loaded:
        village.companies = [c for c in village.companies if c.pk not in planted]
    return loaded


# ---------------------------------------------------------------- the books


@dataclass
class _Entry:
    day: date
    summary: str
    lines: list[LineDraft]
    sequence: int = 0


_METHOD: dict[str, str] = {
    FundAccountKind.CASH: PaymentMethod.CASH,
    FundAccountKind.BANK: PaymentMethod.TRANSFER,
    FundAccountKind.CARD: PaymentMethod.CARD,
}


class _Books:
    """One village's vouchers by month, kept so that no account is overdrawn.

    Entries are planned in any order; ``settle`` sorts each month by date and,
    before any payment an account cannot make, inserts what a village would do:
    draw cash from the bank, top up the card, or have the township advance its
    operating funds.
    """

    def __init__(
        self,
        *,
        village: _Village,
        accounts: dict[str, FundAccount],
        subjects: dict[str, Subject],
        window: list[date],
        rng: random.Random,
    ) -> None:
        self.village = village
        self.accounts = accounts
        self.subjects = subjects
        self.window = window
        self.rng = rng
        self.entries: dict[date, list[_Entry]] = {month: [] for month in window}
        self.balance = {key: account.opening_balance for key, account in accounts.items()}
        self._sequence = 0

    def in_books(self, day: date) -> bool:
        return day.replace(day=1) in self.entries

    def add(self, day: date, summary: str, lines: list[LineDraft]) -> bool:
        if not self.in_books(day):
            return False
        self._sequence += 1
        self.entries[day.replace(day=1)].append(_Entry(day, summary, lines, self._sequence))
        return True

    # --- lines

    def _fund(
        self,
        key: str,
        direction: str,
        amount: Decimal,
        contract: Contract | None = None,
        person: Person | None = None,
        company: Company | None = None,
        name: str = "",
    ) -> LineDraft:
        """A line through one of the village's accounts (cash, bank, card)."""
        account = self.accounts[key]
        return LineDraft(
            account.subject,
            direction,
            amount,
            account=account,
            payment_method=_METHOD[key],
            counterparty_person=person,
            counterparty_company=company,
            counterparty_name=name,
            contract=contract,
        )

    def receipt(
        self,
        day: date,
        summary: str,
        code: str,
        amount: Decimal,
        *,
        key: str = "bank",
        contract: Contract | None = None,
        person: Person | None = None,
        company: Company | None = None,
        name: str = "",
    ) -> bool:
        return self.add(
            day,
            summary,
            [
                self._fund(key, Direction.DEBIT, amount, contract, person, company),
                LineDraft(
                    self.subjects[code],
                    Direction.CREDIT,
                    amount,
                    contract=contract,
                    counterparty_name=name,
                    counterparty_person=person,
                    counterparty_company=company,
                ),
            ],
        )

    def payment(
        self,
        day: date,
        summary: str,
        code: str,
        amount: Decimal,
        *,
        key: str = "bank",
        contract: Contract | None = None,
        person: Person | None = None,
        company: Company | None = None,
        name: str = "",
    ) -> bool:
        return self.add(
            day,
            summary,
            [
                LineDraft(
                    self.subjects[code],
                    Direction.DEBIT,
                    amount,
                    contract=contract,
                    counterparty_name=name,
                    counterparty_person=person,
                    counterparty_company=company,
                ),
                self._fund(key, Direction.CREDIT, amount, contract, person, company),
            ],
        )

    def payroll(
        self, day: date, summary: str, code: str, pay: list[tuple[Person, Decimal]]
    ) -> None:
        """One voucher paying several people by transfer (the bank's batch payment)."""
        total = sum((amount for _person, amount in pay), Decimal(0))
        self.add(
            day,
            summary,
            [
                LineDraft(self.subjects[code], Direction.DEBIT, total, counterparty_name="村干部"),
                *(
                    self._fund("bank", Direction.CREDIT, amount, person=person)
                    for person, amount in pay
                ),
            ],
        )

    # --- settling

    def _transfer(
        self, day: date, summary: str, source: str, target: str, amount: Decimal
    ) -> _Entry:
        return _Entry(
            day,
            summary,
            [
                self._fund(target, Direction.DEBIT, amount),
                self._fund(source, Direction.CREDIT, amount),
            ],
        )

    def _funding(self, key: str, day: date, short: Decimal) -> list[_Entry]:
        """Entries that bring ``short`` more into account ``key`` on ``day``."""
        if key == "cash":
            amount = max(CASH_TARGET - self.balance["cash"], short)
            amount = ((amount + 99) // 100 * 100).quantize(CENT)
            return [self._transfer(day, "提取备用金", "bank", "cash", amount)]
        if key == "card":
            amount = max(Decimal(8000), ((short + 999) // 1000 * 1000)).quantize(CENT)
            return [self._transfer(day, "基本户转入村务卡备用金", "bank", "card", amount)]
        amount = max(Decimal(30000), ((short + 9999) // 10000 * 10000) + 20000).quantize(CENT)
        township = self.village.township.name
        return [
            _Entry(
                day,
                f"收到{township}财政所预拨村级组织运转经费",
                [
                    self._fund("bank", Direction.DEBIT, amount, name=f"{township}财政所"),
                    LineDraft(
                        self.subjects["522"],
                        Direction.CREDIT,
                        amount,
                        counterparty_name=f"{township}财政所",
                    ),
                ],
            )
        ]

    def _effect(self, entry: _Entry) -> dict[str, Decimal]:
        effect: dict[str, Decimal] = {}
        for line in entry.lines:
            if line.account is None:
                continue
            key = line.account.kind
            signed = line.amount if line.direction == Direction.DEBIT else -line.amount
            effect[key] = effect.get(key, Decimal(0)) + signed
        return effect

    def _apply(self, entry: _Entry, out: list[_Entry]) -> None:
        for key, change in self._effect(entry).items():
            if self.balance[key] + change < 0:
                for funding in self._funding(key, entry.day, -(self.balance[key] + change)):
                    self._apply(funding, out)
        for key, change in self._effect(entry).items():
            self.balance[key] += change
        out.append(entry)

    def settle(self) -> Iterator[tuple[date, list[VoucherDraft]]]:
        handler = self.village.bookkeeper
        for month in self.window:
            settled: list[_Entry] = []
            for entry in sorted(self.entries[month], key=lambda e: (e.day, e.sequence)):
                self._apply(entry, settled)
            yield (
                month,
                [
                    VoucherDraft(
                        date=entry.day,
                        summary=entry.summary,
                        lines=entry.lines,
                        number=number,
                        handler=handler,
                        # A contract's payment points at the matter that decided it.
                        power_matter_id=next(
                            (
                                line.contract.power_matter_id
                                for line in entry.lines
                                if line.contract is not None
                            ),
                            None,
                        ),
                    )
                    for number, entry in enumerate(settled, start=1)
                ],
            )


# ---------------------------------------------------------------- registers and contracts


@dataclass
class _Scheduled:
    """A contract and how its instalments are settled in the books."""

    contract: Contract
    schedule: list[InstalmentInput]
    code: str  # the income or expense subject its money goes to
    summaries: list[str]  # the voucher summary of each instalment, in order


@dataclass
class _Property:
    shop: Asset | None = None
    warehouse: Asset | None = None
    solar_kw: int = 0
    contracts: list[_Scheduled] = field(default_factory=list)
    works: Contract | None = None
    works_group: str = ""


def _pick(rng: random.Random, items: Sequence[Any]) -> Any:
    return items[rng.randrange(len(items))]


def _company(
    rng: random.Random, companies: list[Company], words: Sequence[str], *, contractor: bool
) -> Company | None:
    """A company of the village or its township whose name has one of ``words``."""
    fitting = [c for c in companies if any(w in c.name for w in words)]
    if contractor:
        fitting = [c for c in fitting if c.is_contractor] or [
            c for c in companies if c.is_contractor
        ]
    return _pick(rng, fitting) if fitting else None


def _accounts_open(
    village: _Village, rng: random.Random, opened_on: date
) -> dict[str, FundAccount]:
    region = village.region
    tail = f"{rng.randrange(10000):04d}"
    return {
        FundAccountKind.CASH: fund_account_open(
            actor=None,
            village=region,
            kind=FundAccountKind.CASH,
            name="现金",
            opened_on=opened_on,
            opening_balance=money(rng.randrange(10, 31) * 100),
        ),
        FundAccountKind.BANK: fund_account_open(
            actor=None,
            village=region,
            kind=FundAccountKind.BANK,
            name=f"{_BANK}基本户",
            opened_on=opened_on,
            opening_balance=money(rng.randrange(60, 460) * 1000 + rng.randrange(100000) / 100),
            bank_name=f"清河{_BANK}{village.township.name.removesuffix('镇')}支行",
            number_tail=tail,
        ),
        FundAccountKind.CARD: fund_account_open(
            actor=None,
            village=region,
            kind=FundAccountKind.CARD,
            name="村务卡",
            opened_on=opened_on,
            opening_balance=money(rng.randrange(2, 6) * 1000),
            bank_name=f"清河{_BANK}",
            number_tail=f"{rng.randrange(10000):04d}",
        ),
    }


def _registers(
    village: _Village, rng: random.Random, prop: _Property
) -> tuple[dict[str, Resource], Asset | None]:
    """Assets and resources as the 2019 inventory (清产核资) found them.

    Returns the resources and the old vehicle, if the village has one.
    """
    region = village.region
    name = region.name.removesuffix("村")
    asset_register(
        actor=None,
        village=region,
        code="ZC-001",
        name="村委会办公楼",
        category=AssetCategory.NON_OPERATING,
        kind=AssetKind.BUILDING,
        status=AssetStatus.IN_USE,
        acquired_on=date(rng.randrange(2006, 2014), 10, 1),
        original_value=money(rng.randrange(38, 95) * 10000),
        current_value=money(rng.randrange(22, 38) * 10000),
        location=f"{name}村委会",
    )
    prop.shop = asset_register(
        actor=None,
        village=region,
        code="ZC-002",
        name="村集体沿街店面",
        category=AssetCategory.OPERATING,
        kind=AssetKind.BUILDING,
        status=AssetStatus.IDLE,
        acquired_on=date(rng.randrange(2012, 2019), 6, 30),
        original_value=money(rng.randrange(12, 40) * 10000),
        location=f"{name}村主街",
    )
    prop.warehouse = asset_register(
        actor=None,
        village=region,
        code="ZC-003",
        name="村集体仓库",
        category=AssetCategory.OPERATING,
        kind=AssetKind.BUILDING,
        status=AssetStatus.IN_USE,
        acquired_on=date(rng.randrange(2003, 2012), 3, 15),
        original_value=money(rng.randrange(6, 20) * 10000),
        location=f"{name}村第一村民小组",
    )
    if rng.random() < 0.6 or village.ordinal == 0:
        prop.solar_kw = _pick(rng, (60, 80, 100, 120, 150))
        asset_register(
            actor=None,
            village=region,
            code="ZC-004",
            name=f"村级光伏电站（{prop.solar_kw}kW）",
            category=AssetCategory.OPERATING,
            kind=AssetKind.ENERGY,
            status=AssetStatus.IN_USE,
            acquired_on=date(rng.randrange(2018, 2022), 9, 30),
            original_value=money(prop.solar_kw * rng.randrange(3800, 4600)),
            location=f"{name}村委会楼顶及文化礼堂屋面",
        )
    vehicle: Asset | None = None
    if rng.random() < 0.35:
        vehicle = asset_register(
            actor=None,
            village=region,
            code="ZC-005",
            name="农用运输车（三轮）",
            category=AssetCategory.OPERATING,
            kind=AssetKind.VEHICLE,
            status=AssetStatus.IDLE,
            acquired_on=date(rng.randrange(2008, 2013), 5, 1),
            original_value=money(rng.randrange(18, 45) * 1000),
            current_value=money(rng.randrange(2, 6) * 1000),
        )
    registered_on = date(2019, 6, 30)
    resources = {
        "arable": resource_register(
            actor=None,
            village=region,
            code="ZY-001",
            name="家庭承包耕地",
            kind=ResourceKind.ARABLE_LAND,
            status=ResourceStatus.CONTRACTED,
            area_mu=money(rng.randrange(800, 2600)),
            registered_on=registered_on,
            location=f"{name}村各村民小组",
        ),
        "reserve": resource_register(
            actor=None,
            village=region,
            code="ZY-002",
            name="村集体机动地",
            kind=ResourceKind.RESERVE_LAND,
            status=ResourceStatus.IDLE,
            area_mu=money(rng.randrange(20, 61)),
            registered_on=registered_on,
            location=f"{name}村{_pick(rng, ('东畈', '西畈', '后垄', '塘下', '溪滩'))}",
        ),
        "forest": resource_register(
            actor=None,
            village=region,
            code="ZY-003",
            name="集体山林",
            kind=ResourceKind.FOREST,
            status=ResourceStatus.SELF_OPERATED,
            area_mu=money(rng.randrange(300, 2200)),
            registered_on=registered_on,
            location=f"{name}村{_pick(rng, ('后山', '尖山', '大岭', '牛头山'))}",
        ),
    }
    if rng.random() < 0.7 or village.ordinal == 0:
        resources["water"] = resource_register(
            actor=None,
            village=region,
            code="ZY-004",
            name="村集体鱼塘",
            kind=ResourceKind.WATER,
            status=ResourceStatus.IDLE,
            area_mu=money(rng.randrange(8, 26)),
            registered_on=registered_on,
            location=f"{name}村{_pick(rng, ('大塘', '新塘', '下塘', '山塘'))}",
        )
    return resources, vehicle


def _half(day: date) -> str:
    return "上" if day.month < 7 else "下"


def _yearly(first: date, years: int, amount: Decimal) -> list[InstalmentInput]:
    return [InstalmentInput(_years_later(first, n), amount) for n in range(years)]


def _contracts(
    village: _Village,
    rng: random.Random,
    prop: _Property,
    resources: dict[str, Resource],
    planted: dict[str, str],
) -> None:
    """The village's contracts; ``planted`` names the irregularities this village carries."""
    region = village.region
    farmers = village.villagers(rng, born_before=1995, born_after=1958)
    rng.shuffle(farmers)
    serial = iter(range(1, 100))

    def number(year: int) -> str:
        return f"HT{year}-{next(serial):03d}"

    def record(data: ContractInput, schedule: list[InstalmentInput]) -> Contract:
        return contract_record(actor=None, village=region, data=data, instalments=schedule)

    # Reserve land, contracted for ten years from 2025.
    reserve = resources["reserve"]
    per_mu = (
        PLANTED_RENT_PER_MU
        if PlantedKind.RENT_BELOW_NORM in planted
        else Decimal(rng.randrange(56, 67) * 10)
    )
    rent = money(per_mu * reserve.area_mu)
    schedule = _yearly(date(2025, 1, 15), 10, rent)
    contract = record(
        ContractInput(
            number=number(2024),
            title=f"{reserve.name}承包合同",
            kind=ContractKind.LAND_CONTRACTING,
            direction=ContractDirection.RECEIVABLE,
            counterparty_person=farmers[0],
            signed_on=date(2024, 12, rng.randrange(9, 20)),
            starts_on=date(2025, 1, 1),
            ends_on=date(2034, 12, 31),
            annual_rent=rent,
            area_mu=reserve.area_mu,
            resource=reserve,
            resolution_reference=_resolution(2024, 4),
        ),
        schedule,
    )
    if PlantedKind.RENT_BELOW_NORM in planted:
        planted[PlantedKind.RENT_BELOW_NORM] = contract.number
    resource_change(
        actor=None,
        resource=reserve,
        changed_on=date(2025, 1, 1),
        status=ResourceStatus.CONTRACTED,
        note=f"承包给{farmers[0].name}，合同{contract.number}",
    )
    prop.contracts.append(
        _Scheduled(
            contract,
            schedule,
            "511001",
            [f"收到{farmers[0].name}交来{i.due_on.year}年度机动地承包费" for i in schedule],
        )
    )
    # The fish pond, for five years from March 2025.
    if "water" in resources:
        pond = resources["water"]
        rent = money(Decimal(rng.randrange(52, 66) * 10) * pond.area_mu)
        schedule = _yearly(date(2025, 3, 1), 5, rent)
        contract = record(
            ContractInput(
                number=number(2025),
                title=f"{pond.name}养殖承包合同",
                kind=ContractKind.LAND_CONTRACTING,
                direction=ContractDirection.RECEIVABLE,
                counterparty_person=farmers[1],
                signed_on=date(2025, 2, rng.randrange(10, 25)),
                starts_on=date(2025, 3, 1),
                ends_on=date(2030, 2, 28),
                annual_rent=rent,
                area_mu=pond.area_mu,
                resource=pond,
                resolution_reference=_resolution(2025, 1),
            ),
            schedule,
        )
        resource_change(
            actor=None,
            resource=pond,
            changed_on=date(2025, 3, 1),
            status=ResourceStatus.CONTRACTED,
            note=f"承包给{farmers[1].name}养殖，合同{contract.number}",
        )
        prop.contracts.append(
            _Scheduled(
                contract,
                schedule,
                "511001",
                [f"收到{farmers[1].name}交来{i.due_on.year}年度鱼塘承包费" for i in schedule],
            )
        )
    # The shop front, let for three years from 2025, rent half-yearly.
    assert prop.shop is not None and prop.warehouse is not None
    tenant_company = _company(
        rng, village.companies, ("商贸", "物流", "农业开发", "茶叶", "果蔬"), contractor=False
    )
    tenant_person = None if tenant_company is not None and rng.random() < 0.5 else farmers[2]
    if tenant_person is not None:
        tenant_company = None
    annual = money(rng.randrange(18, 49) * 1000)
    half = money(annual / 2)
    schedule = [
        InstalmentInput(date(year, month, 10), half)
        for year in (2025, 2026, 2027)
        for month in (1, 7)
    ]
    contract = record(
        ContractInput(
            number=number(2024),
            title="村集体沿街店面租赁合同",
            kind=ContractKind.LEASE,
            direction=ContractDirection.RECEIVABLE,
            counterparty_person=tenant_person,
            counterparty_company=tenant_company,
            signed_on=date(2024, 12, rng.randrange(20, 28)),
            starts_on=date(2025, 1, 1),
            ends_on=date(2027, 12, 31),
            annual_rent=annual,
            asset=prop.shop,
            resolution_reference=_resolution(2024, 4),
        ),
        schedule,
    )
    asset_change(
        actor=None,
        asset=prop.shop,
        changed_on=date(2025, 1, 1),
        status=AssetStatus.LEASED_OUT,
        note=f"公开招租，合同{contract.number}",
    )
    tenant = tenant_person.name if tenant_person else tenant_company.name if tenant_company else ""
    prop.contracts.append(
        _Scheduled(
            contract,
            schedule,
            "501003",
            [
                f"收到{tenant}交来店面租金（{i.due_on.year}年{_half(i.due_on)}半年）"
                for i in schedule
            ],
        )
    )
    # The warehouse: emptied in spring 2025, let from June, rent quarterly.
    warehouse_tenant = _company(
        rng, village.companies, ("物流", "合作社", "农机", "建材"), contractor=False
    )
    if warehouse_tenant is not None and (rng.random() < 0.6 or village.ordinal == 0):
        asset_change(
            actor=None,
            asset=prop.warehouse,
            changed_on=date(2025, 3, 31),
            status=AssetStatus.IDLE,
            note="村集体农资仓储停用，腾空待租",
        )
        annual = money(rng.randrange(12, 31) * 1000)
        quarter = money(annual / 4)
        schedule = [
            InstalmentInput(date(2025, 6, 1) + timedelta(days=0), quarter),
            *(
                InstalmentInput(date(year, month, 1), quarter)
                for year in range(2025, 2031)
                for month in (3, 6, 9, 12)
                if date(2025, 6, 1) < date(year, month, 1) < date(2030, 6, 1)
            ),
        ]
        contract = record(
            ContractInput(
                number=number(2025),
                title="村集体仓库租赁合同",
                kind=ContractKind.LEASE,
                direction=ContractDirection.RECEIVABLE,
                counterparty_company=warehouse_tenant,
                signed_on=date(2025, 5, rng.randrange(12, 28)),
                starts_on=date(2025, 6, 1),
                ends_on=date(2030, 5, 31),
                annual_rent=annual,
                asset=prop.warehouse,
                resolution_reference=_resolution(2025, 2),
            ),
            schedule,
        )
        asset_change(
            actor=None,
            asset=prop.warehouse,
            changed_on=date(2025, 6, 1),
            status=AssetStatus.LEASED_OUT,
            note=f"出租给{warehouse_tenant.name}，合同{contract.number}",
        )
        prop.contracts.append(
            _Scheduled(
                contract,
                schedule,
                "501003",
                [
                    f"收到{warehouse_tenant.name}交来仓库租金（{i.due_on:%Y年%m月}起一季度）"
                    for i in schedule
                ],
            )
        )
    # Solar street lamps, bought in spring 2025.
    lamps = rng.randrange(16, 31)
    price = Decimal(rng.randrange(165, 196) * 10)
    amount = money(lamps * price)
    supplier = _company(rng, village.companies, ("电气", "建材"), contractor=False)
    first = money(amount / 2)
    schedule = [
        InstalmentInput(date(2025, 4, 25), first),
        InstalmentInput(date(2025, 6, 10), amount - first),
    ]
    contract = record(
        ContractInput(
            number=number(2025),
            title=f"太阳能路灯采购合同（{lamps}盏）",
            kind=ContractKind.PURCHASE,
            direction=ContractDirection.PAYABLE,
            counterparty_company=supplier,
            counterparty_name="" if supplier else "清河县光明照明器材经营部",
            signed_on=date(2025, 4, rng.randrange(8, 18)),
            starts_on=date(2025, 4, 20),
            ends_on=date(2025, 6, 30),
            amount=amount,
            resolution_reference=_resolution(2025, 1),
        ),
        schedule,
    )
    prop.contracts.append(
        _Scheduled(
            contract,
            schedule,
            "151",
            ["支付太阳能路灯采购款（预付50%）", "支付太阳能路灯采购款（验收尾款）"],
        )
    )
    # Road hardening, autumn 2025: 30% advance, 40% progress, 25% on acceptance, 5% retained.
    groups = list(
        Region.objects.filter(parent=region, level=RegionLevel.VILLAGER_GROUP)
        .order_by("code")
        .values_list("name", flat=True)
    )
    group = _pick(rng, groups) if groups else "村"
    if PlantedKind.RELATED_PARTY in planted and village.planted_companies:
        builder: Company | None = village.planted_companies[0]
    else:
        builder = _company(
            rng, village.companies, ("道路", "建筑", "土石方", "水利"), contractor=True
        )
    amount = money(rng.randrange(150, 381) * 1000)
    shares = (Decimal("0.30"), Decimal("0.40"), Decimal("0.25"))
    dates = (date(2025, 8, 25), date(2025, 10, 20), date(2026, 1, 20))
    schedule = [
        InstalmentInput(day, money(amount * share))
        for day, share in zip(dates, shares, strict=True)
    ]
    schedule.append(
        InstalmentInput(date(2027, 1, 20), amount - sum((i.amount for i in schedule), Decimal(0)))
    )
    matter = _project_matter(region, f"{group}村道硬化工程", amount)
    contract = record(
        ContractInput(
            number=number(2025),
            title=f"{group}村道硬化工程施工合同",
            kind=ContractKind.WORKS,
            direction=ContractDirection.PAYABLE,
            counterparty_company=builder,
            counterparty_name="" if builder else "清河县路通道路工程有限公司",
            signed_on=date(2025, 8, rng.randrange(5, 18)),
            starts_on=date(2025, 8, 20),
            ends_on=date(2025, 12, 20),
            amount=amount,
            resolution_reference=_resolution(2025, 3),
            power_matter_id=matter.pk,
        ),
        schedule,
    )
    if PlantedKind.RELATED_PARTY in planted:
        planted[PlantedKind.RELATED_PARTY] = contract.number
    prop.works = contract
    prop.works_group = group
    labels = ("预付款", "进度款", "竣工验收款", "质保金")
    prop.contracts.append(
        _Scheduled(
            contract,
            schedule,
            "154",
            [f"支付{group}村道硬化工程{label}" for label in labels],
        )
    )


# ---------------------------------------------------------------- a month's money

# Routine spending drawn to fill a month: summary, subject, lowest and highest
# yuan, account, counterparty, months it happens in (empty: any).
_ROUTINE: tuple[tuple[str, str, int, int, str, str, tuple[int, ...]], ...] = (
    ("村道坑洼修补材料费（水泥、石子）", "551", 800, 4500, "bank", "清河县永固建材经营部", ()),
    ("购买垃圾桶及保洁工具", "551", 300, 2000, "card", "清河县百家乐日用品商店", ()),
    ("支付生活垃圾清运费", "551", 600, 2500, "bank", "清河县洁美环卫服务有限公司", ()),
    ("村民代表会议误工补贴", "541", 300, 900, "cash", "村民代表", ()),
    ("党员主题党日活动学习资料费", "541", 100, 500, "card", "清河县新华书店", ()),
    ("路灯维修更换灯头", "551", 200, 1200, "card", "清河县光明照明器材经营部", ()),
    ("村务公开栏更换展板", "541", 300, 900, "card", "清河县鑫彩广告制作部", ()),
    ("村委会饮用水及水费", "541", 30, 200, "card", _WATER_COMPANY, ()),
    ("邮寄及快递费", "541", 20, 100, "cash", "中国邮政清河县分公司", ()),
    ("复印打印及装订费", "541", 50, 300, "cash", "清河县快印图文店", ()),
    ("消防器材年检及更换", "541", 300, 1500, "card", "清河县安达消防器材经营部", ()),
    ("村庄绿化补植苗木", "551", 1000, 4000, "bank", "清河县绿源苗木场", (3, 4, 10, 11)),
    ("防汛巡查值守误工补贴", "551", 200, 800, "cash", "防汛巡查队员", (5, 6, 7, 8, 9)),
    ("秸秆禁烧巡查误工补贴", "551", 200, 800, "cash", "巡查队员", (5, 6, 10, 11)),
    ("重阳节慰问高龄老人物资", "551", 800, 3000, "card", "清河县百家乐日用品商店", (10,)),
    ("订阅下年度党报党刊", "541", 600, 1500, "card", "中国邮政清河县分公司", (11, 12)),
    ("店面屋顶漏水维修", "502003", 500, 3000, "bank", "清河县安居房屋修缮队", ()),
    ("办公电脑维修及耗材", "541", 150, 900, "card", "清河县联想电脑服务部", ()),
    ("文化礼堂活动用电及维护", "541", 100, 600, "card", _POWER_COMPANY, ()),
    ("山林防火宣传横幅及标牌", "551", 200, 900, "card", "清河县鑫彩广告制作部", (1, 2, 3, 11, 12)),
)
# Posts whose holders draw the monthly allowance, and the monthly base in yuan.
_ALLOWANCE: dict[Post, tuple[int, int]] = {
    Post.DUAL_HEAD: (2800, 3400),
    Post.PARTY_SECRETARY: (2600, 3200),
    Post.COMMITTEE_CHAIR: (2400, 3000),
    Post.PARTY_COMMITTEE_MEMBER: (1400, 1900),
    Post.COMMITTEE_MEMBER: (1300, 1800),
    Post.BOOKKEEPER: (1500, 2000),
    Post.INFO_OFFICER: (1000, 1400),
}
_ODD_JOBS = ("清理沟渠", "割除路边杂草", "搬运物资", "疏通排水沟")
_SUPERVISION = (Post.SUPERVISION_CHAIR, Post.SUPERVISION_MEMBER, Post.DISCIPLINE_SUPERVISOR)


def _day(rng: random.Random, month: date, low: int, high: int) -> date:
    return _weekday(month.replace(day=min(rng.randrange(low, high + 1), 28)))


def _amount(rng: random.Random, low: int, high: int) -> Decimal:
    value = rng.uniform(low, high)
    return money(round(value) if value > 300 else round(value, 1))


def _contract_money(books: _Books, prop: _Property, rng: random.Random, last_day: date) -> Decimal:
    """Each instalment paid a few days after it falls due; in 2026 some late, half or never.

    Returns what was paid towards the works (to move into fixed assets on acceptance).
    """
    works_paid = Decimal(0)
    for scheduled in prop.contracts:
        contract = scheduled.contract
        receivable = contract.direction == ContractDirection.RECEIVABLE
        for instalment, summary in zip(scheduled.schedule, scheduled.summaries, strict=True):
            draw = rng.random()
            if instalment.due_on > last_day or (instalment.due_on.year == 2026 and draw < 0.12):
                continue
            day = _weekday(instalment.due_on + timedelta(days=rng.randrange(0, 18)))
            day = max(day, instalment.due_on)
            if instalment.due_on.year == 2026 and draw < 0.22:
                day += timedelta(days=rng.randrange(40, 120))  # paid late, if at all in the books
            amount = instalment.amount
            if instalment.due_on.year == 2026 and 0.22 <= draw < 0.28:
                amount, summary = money(amount / 2), summary + "（先缴一半）"
            if day > last_day:
                continue
            record = books.receipt if receivable else books.payment
            written = record(
                day,
                summary,
                scheduled.code,
                amount,
                contract=contract,
                person=contract.counterparty_person,
                company=contract.counterparty_company,
                name=contract.counterparty_name,
            )
            if written and contract == prop.works and day < date(2025, 12, 30):
                works_paid += amount
    return works_paid


def _flows(
    village: _Village,
    books: _Books,
    prop: _Property,
    vehicle: Asset | None,
    rng: random.Random,
    planted: dict[str, str],
) -> None:
    """Plan every voucher of the village's books into ``books``."""
    window = books.window
    last_day = month_end(window[-1]) if window else LEDGER_FIRST_MONTH
    township = village.township.name
    works_paid = _contract_money(books, prop, rng, last_day)
    works = prop.works
    if works is not None and works.amount is not None:
        transport = "清河县交通运输局"
        for day, share, label in (
            (date(2025, 8, 15), Decimal("0.5"), "首批"),
            (date(2026, 1, 9), Decimal("0.3"), "第二批"),
        ):
            books.receipt(
                day,
                f"收到{transport}村道硬化以奖代补资金（{label}）",
                "522",
                money(works.amount * share),
                name=transport,
            )
        accepted = date(2025, 12, 30)
        if works_paid and books.add(
            accepted,
            f"{prop.works_group}村道硬化工程竣工验收，转入固定资产",
            [
                LineDraft(books.subjects["151"], Direction.DEBIT, works_paid),
                LineDraft(books.subjects["154"], Direction.CREDIT, works_paid),
            ],
        ):
            asset_register(
                actor=None,
                village=village.region,
                code="ZC-006",
                name=f"{prop.works_group}村道硬化工程",
                category=AssetCategory.NON_OPERATING,
                kind=AssetKind.FACILITY,
                status=AssetStatus.IN_USE,
                acquired_on=accepted,
                original_value=works.amount,
                location=f"{village.region.name}{prop.works_group}",
            )
    if vehicle is not None:
        asset_change(
            actor=None,
            asset=vehicle,
            changed_on=date(2025, 9, 25),
            status=AssetStatus.IDLE_PENDING_DISPOSAL,
            note=f"车辆老化停用，{_resolution(2025, 3)}同意报废处置",
        )

    elderly = village.villagers(rng, born_before=1952, born_after=1900)[:3]
    cleaner = _pick(rng, village.villagers(rng, born_before=1972, born_after=1955))
    workers = village.villagers(rng, born_before=1992, born_after=1960)
    staff = [
        (person, post, money(rng.randrange(*_ALLOWANCE[post]) // 50 * 50))
        for person, post in village.allowance_takers
        if post in _ALLOWANCE
    ]
    supervisors = [
        (person, money(rng.randrange(6, 10) * 100))
        for person, post in village.allowance_takers
        if post in _SUPERVISION
    ]
    operating = money(rng.randrange(30, 61) * 1000)
    solar_price = Decimal("0.4153")

    for month in window:
        word = _month_word(month)
        raise_2026 = Decimal("1.05") if month.year >= 2026 else Decimal(1)
        books.payroll(
            _day(rng, month, 8, 12),
            f"发放村干部{word}误工补贴",
            "541",
            [(person, money(base * raise_2026)) for person, _post, base in staff],
        )
        if month.month in (3, 6, 9, 12) and supervisors:
            quarter = _CHINESE_MONTHS[month.month // 3 - 1]
            books.payroll(
                _day(rng, month, 15, 22),
                f"发放村务监督委员会第{quarter}季度误工补贴",
                "541",
                supervisors,
            )
        books.payment(
            _day(rng, month, 5, 9),
            f"支付{word}村庄保洁员工资",
            "551",
            money(rng.randrange(15, 19) * 100),
            person=cleaner,
        )
        summer_or_winter = month.month in (1, 2, 7, 8, 12)
        books.payment(
            _day(rng, month, 12, 18),
            f"支付村委会{word}电费",
            "541",
            _amount(rng, 320, 680) if summer_or_winter else _amount(rng, 160, 380),
            key="card",
            name=_POWER_COMPANY,
        )
        books.payment(
            _day(rng, month, 18, 24),
            f"支付{word}宽带及固定电话费",
            "541",
            money(199),
            key="card",
            name=_TELECOM,
        )
        books.payment(
            _day(rng, month, 25, 28),
            "银行账户管理费及转账手续费",
            "541",
            _amount(rng, 8, 45),
            name=f"清河{_BANK}",
        )
        for person in elderly[: rng.randrange(1, len(elderly) + 1)]:
            books.payment(
                _day(rng, month, 2, 8),
                f"五保供养：支付{person.name}{word}生活补助（村级补贴）",
                "551",
                money(rng.randrange(3, 6) * 100),
                key="cash",
                person=person,
            )
        for _ in range(rng.randrange(0, 3)):
            person = _pick(rng, workers)
            books.payment(
                _day(rng, month, 3, 27),
                f"支付{person.name}{_pick(rng, _ODD_JOBS)}人工费",
                "551",
                money(rng.randrange(2, 10) * 100),
                key="cash",
                person=person,
            )
        if prop.solar_kw:
            season = {6: 1.25, 7: 1.3, 8: 1.3, 5: 1.15, 9: 1.1, 12: 0.65, 1: 0.6, 2: 0.7}
            kwh = int(prop.solar_kw * 95 * season.get(month.month, 0.95) * rng.uniform(0.85, 1.1))
            previous = _month_word((month - timedelta(days=1)).replace(day=1))
            books.receipt(
                _day(rng, month, 18, 24),
                f"光伏电站{previous}发电收入（{kwh}千瓦时）",
                "501002",
                money(kwh * solar_price),
                name=_POWER_COMPANY,
            )
        if month.month in (1, 4, 7, 10):
            quarter = _CHINESE_MONTHS[(month.month - 1) // 3]
            books.receipt(
                _day(rng, month, 10, 20),
                f"收到{township}财政所拨付{month.year}年第{quarter}季度村级组织运转经费",
                "522",
                operating,
                name=f"{township}财政所",
            )
        if month.month == 6:
            books.receipt(
                _day(rng, month, 5, 15),
                f"收到{month.year}年度村干部基本报酬补助资金",
                "522",
                money(sum((base for _p, _post, base in staff), Decimal(0)) * 6),
                name=f"{township}财政所",
            )
        if month.month in (3, 6, 9, 12):
            books.receipt(
                month.replace(day=21),
                "银行存款结息",
                "531",
                _amount(rng, 80, 600),
                name=f"清河{_BANK}",
            )
        if PlantedKind.CASH_PAYMENT in planted and month == PLANTED_CASH_MONTH:
            person = _pick(rng, workers)
            if books.payment(
                date(2025, 8, 18),
                f"支付{person.name}等村道边坡塌方清理人工费",
                "551",
                PLANTED_CASH_AMOUNT,
                key="cash",
                person=person,
            ):
                planted[PlantedKind.CASH_PAYMENT] = f"{month:%Y-%m}"
        if PlantedKind.SPLIT_PURCHASE in planted and month == PLANTED_SPLIT_MONTH:
            supplier = _company(rng, village.companies, ("建材", "劳务", "物流"), contractor=False)
            for day in (date(2026, 4, 7), date(2026, 4, 10), date(2026, 4, 15)):
                books.payment(
                    day,
                    "购买防汛物资（编织袋、雨衣、应急照明灯）",
                    "551",
                    PLANTED_SPLIT_AMOUNT,
                    company=supplier,
                    name="" if supplier else "清河县安达劳保用品商店",
                )
            planted[PlantedKind.SPLIT_PURCHASE] = f"{month:%Y-%m}"
        target = rng.randrange(15, 34)
        routine = [r for r in _ROUTINE if not r[6] or month.month in r[6]]
        while len(books.entries[month]) < target:
            summary, code, low, high, key, name, _months = _pick(rng, routine)
            if key == "cash":
                high = min(high, 950)
            books.payment(
                _day(rng, month, 2, 28), summary, code, _amount(rng, low, high), key=key, name=name
            )


# ---------------------------------------------------------------- writing


def _source(village: Region, month: date, drafts: list[VoucherDraft]) -> ImportSource:
    """The 'uploaded file' of a month: its digest over every line, as an export would be."""
    digest = hashlib.sha256(f"{village.code}/{month:%Y-%m}".encode())
    rows = 0
    for draft in drafts:
        for line in draft.lines:
            rows += 1
            digest.update(
                f"{draft.number}|{draft.date}|{draft.summary}|{line.subject.code}|"
                f"{line.direction}|{line.amount}|{line.account.kind if line.account else ''}|"
                f"{line.contract.number if line.contract else ''}\n".encode()
            )
    return ImportSource(
        file_name=f"demo-{village.code}-{month:%Y-%m}.xlsx", sha256=digest.hexdigest(), rows=rows
    )


# Planted lateness: the first village has not published its last month (overdue on
# its page), the second published one month nine days after the due date.
UNPUBLISHED_STATEMENT = (0, LEDGER_LAST_MONTH)
LATE_STATEMENT = (1, date(2026, 8, 1))


def _statement_published_at(ordinal: int, month: date, seed: int) -> datetime | None:
    """When the demo posted the month's list: a few days before the 10th of the next month."""
    if (ordinal, month) == UNPUBLISHED_STATEMENT:
        return None
    rng = random.Random(f"qinglian-demo:{seed}:posted:{ordinal}:{month}")
    due = (month + timedelta(days=40)).replace(day=10)
    day = (
        due + timedelta(days=9)
        if (ordinal, month) == LATE_STATEMENT
        else due - timedelta(days=rng.randint(1, 7))
    )
    posted = timezone.make_aware(datetime.combine(day, time(10, 0)))
    return min(posted, timezone.now())


def _publish_statement(ledger_month: LedgerMonth, published_at: datetime) -> None:
    """The monthly list goes through the supervision committee's review, then out."""
    draft = statement_submit(actor=None, ledger_month=ledger_month)
    draft_review(actor=None, draft=draft, approve=True)
    draft_publish(actor=None, draft=draft, published_at=published_at)


def _sign(village: _Village, vouchers: list[Voucher], rng: random.Random) -> int:
    """The joint sign-off chain on the month's largest payments; returns signatures added."""
    chain = [
        (SignoffRole.HANDLER, village.bookkeeper),
        (SignoffRole.FINANCE_REVIEW, village.holder(Post.SUPERVISION_CHAIR)),
        (SignoffRole.COMMITTEE_CHAIR, village.holder(Post.COMMITTEE_CHAIR, Post.DUAL_HEAD)),
        (SignoffRole.PARTY_SECRETARY, village.holder(Post.PARTY_SECRETARY, Post.DUAL_HEAD)),
    ]
    signed = 0
    for voucher in vouchers:
        paid = max(
            (
                line.amount
                for line in voucher.lines.all()
                if line.account_id is not None and line.direction == Direction.CREDIT
            ),
            default=Decimal(0),
        )
        on = voucher.date
        steps: list[tuple[str, Person | None, str]] = [
            (role, person, person.name) for role, person in chain if person is not None
        ]
        if paid >= TOWNSHIP_SIGNS_FROM:
            steps.append(
                (SignoffRole.TOWNSHIP, None, f"{village.township.name}农村集体三资管理服务中心")
            )
        for role, person, name in steps:
            on += timedelta(days=rng.randrange(0, 2))
            voucher_sign(
                actor=None, voucher=voucher, role=role, name=name, signed_on=on, person=person
            )
            signed += 1
    return signed


def _to_sign(vouchers: list[Voucher]) -> list[Voucher]:
    """The month's largest payments of at least SIGNED_MIN, at most SIGNED_PER_MONTH of them."""
    paid = []
    for voucher in vouchers:
        out = sum(
            (
                line.amount
                for line in voucher.lines.all()
                if line.account_id is not None and line.direction == Direction.CREDIT
            ),
            Decimal(0),
        )
        inward = any(
            line.account_id is not None and line.direction == Direction.DEBIT
            for line in voucher.lines.all()
        )
        if out >= SIGNED_MIN and not inward:
            paid.append((out, voucher.number, voucher))
    paid.sort(key=lambda row: (-row[0], row[1]))
    return [voucher for _out, _number, voucher in paid[:SIGNED_PER_MONTH]]


def _planted_plan(villages: list[_Village]) -> dict[int, dict[str, str]]:
    """Which village carries which planted irregularity (by position in code order)."""
    plan: dict[int, dict[str, str]] = {}
    if not villages:
        return plan
    count = len(villages)
    related = next((v.ordinal for v in villages if v.planted_companies), None)
    if related is not None:
        plan.setdefault(related, {})[PlantedKind.RELATED_PARTY] = ""
    for kind, position in (
        (PlantedKind.CASH_PAYMENT, 1),
        (PlantedKind.RENT_BELOW_NORM, 2),
        (PlantedKind.SPLIT_PURCHASE, 4),
    ):
        plan.setdefault(position % count, {})[kind] = ""
    return plan


_PLANTED_DETAIL = {
    PlantedKind.CASH_PAYMENT: "现金支付{amount}元（超过1,000元现金支付限额）",
    PlantedKind.RELATED_PARTY: "村道硬化工程发包给村干部近亲属持股或任法定代表人的企业",
    PlantedKind.RENT_BELOW_NORM: "机动地承包费每亩每年{rent}元，远低于600元的指导价",
    PlantedKind.SPLIT_PURCHASE: "同一供应商10天内3笔各{split}元（拆分支付，规避5,000元审批档）",
}


def _planted_rows(village: _Village, planted: dict[str, str]) -> list[PlantedFinance]:
    rows = []
    for kind, where in planted.items():
        if not where:
            continue  # not in these books (fewer months, or no company to plant)
        detail = _PLANTED_DETAIL[kind].format(
            amount=PLANTED_CASH_AMOUNT, rent=PLANTED_RENT_PER_MU, split=PLANTED_SPLIT_AMOUNT
        )
        is_month = kind in (PlantedKind.CASH_PAYMENT, PlantedKind.SPLIT_PURCHASE)
        rows.append(
            PlantedFinance(
                kind=kind,
                village=village.region.code,
                village_name=village.region.name,
                detail=detail,
                contract_number="" if is_month else where,
                month=date.fromisoformat(f"{where}-01") if is_month else None,
            )
        )
    return rows


def _village_books(
    village: _Village,
    *,
    seed: int,
    window: list[date],
    published: set[date],
    signed: set[date],
    subjects: dict[str, Subject],
    planted: dict[str, str],
    counts: FinanceCounts,
) -> list[PlantedFinance]:
    rng = random.Random(f"qinglian-demo:{seed}:finance:{village.region.code}")
    accounts = _accounts_open(village, rng, window[0] if window else LEDGER_FIRST_MONTH)
    prop = _Property()
    resources, vehicle = _registers(village, rng, prop)
    _contracts(village, rng, prop, resources, planted)
    books = _Books(village=village, accounts=accounts, subjects=subjects, window=window, rng=rng)
    _flows(village, books, prop, vehicle, rng, planted)
    counts.villages += 1
    counts.fund_accounts += len(accounts)
    counts.contracts += len(prop.contracts)
    counts.instalments += sum(len(s.schedule) for s in prop.contracts)
    for month, drafts in books.settle():
        source = _source(village.region, month, drafts)
        ledger_import = ledger_month_replace(
            actor=None,
            village=village.region,
            month=month,
            vouchers=drafts,
            reason="",
            source=source,
        )
        counts.ledger_months += 1
        counts.vouchers += len(drafts)
        counts.voucher_lines += source.rows
        ledger_month = ledger_import.vouchers.first().ledger_month  # type: ignore[union-attr]
        ledger_month_close(actor=None, ledger_month=ledger_month)
        counts.months_closed += 1
        published_at = _statement_published_at(village.ordinal, month, seed)
        if month in published and published_at is not None:
            _publish_statement(ledger_month, published_at)
            counts.statements_published += 1
        if month in signed:
            vouchers = list(
                Voucher.objects.filter(ledger_import=ledger_import).prefetch_related("lines")
            )
            counts.signoffs += _sign(village, _to_sign(vouchers), rng)
    return _planted_rows(village, planted)


def villages_without_books(county: Region) -> list[Region]:
    """The county's villages that have no fund account yet, in code order."""
    return list(
        Region.objects.filter(subtree_q("path", [county.path]), level=RegionLevel.VILLAGE)
        .exclude(Exists(FundAccount.objects.filter(village=OuterRef("pk"))))
        .select_related("parent")
        .order_by("path")
    )


@transaction.atomic
def demo_finance_build(
    *,
    county: Region,
    seed: int,
    months: int = DEFAULT_FINANCE_MONTHS,
    publish_months: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> FinanceBuild:
    """Books, registers and contracts for every village of ``county`` that has none yet.

    ``months``: how many months of books, ending October 2026 (0: registers,
    accounts and contracts only). ``publish_months``: how many of the last months
    get their statement published (default: all of them). Villages that already
    have a fund account are skipped, so a second run adds nothing.
    """
    window = ledger_months(months)
    published = set(window if publish_months is None else window[len(window) - publish_months :])
    signed = set(window[-SIGNED_MONTHS:])
    regions = villages_without_books(county)
    everyone = Region.objects.filter(subtree_q("path", [county.path]), level=RegionLevel.VILLAGE)
    build = FinanceBuild(counts=FinanceCounts(), skipped=everyone.count() - len(regions))
    if not regions:
        return build
    subjects = {s.code: s for s in Subject.objects.filter(chart="2004", region=None)}
    villages = _load_villages(regions)
    plan = _planted_plan(villages) if build.skipped == 0 else {}
    for position, village in enumerate(villages, start=1):
        build.planted += _village_books(
            village,
            seed=seed,
            window=window,
            published=published,
            signed=signed,
            subjects=subjects,
            planted=plan.get(village.ordinal, {}),
            counts=build.counts,
        )
        if progress is not None:
            progress(position, len(villages))
    counts = build.counts
    counts.assets = Asset.objects.filter(village__in=regions).count()
    counts.resources = Resource.objects.filter(village__in=regions).count()
    counts.planted_finance = len(build.planted)
    audit_record(
        actor=None,
        verb=FINANCE_BUILT_VERB,
        target=county,
        region_path=county.path,
        data={
            **counts.as_dict(),
            "seed": seed,
            "months": months,
            "published_months": len(published),
            "planted": [
                {"kind": row.kind, "village": row.village, "contract": row.contract_number}
                for row in build.planted
            ],
        },
    )
    return build
