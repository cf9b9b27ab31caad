"""Companies and cooperatives of a demo village, with owners; some planted conflicts.

Owners of ordinary companies are drawn only from villagers who neither hold a
post nor were declared as a cadre's relative, so the only conflicts of interest
in the demo are the planted ones: a works contractor whose legal representative,
or one of whose shareholders, a village cadre declared as a close relative.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from stdnum.cn import uscc

from qinglian.demo.cadres import Cadres
from qinglian.demo.layout import COUNTY_CODE, COUNTY_NAME, VillageSpec
from qinglian.demo.names import CONTRACTOR_BUSINESSES, FIRM_BUSINESSES, FIRM_TRADE_NAMES
from qinglian.demo.population import Population
from qinglian.directory.codes import normalise_credit_code
from qinglian.directory.models import Post, Relation

COMPANIES_PER_TWELVE_VILLAGES = 100
PLANTED_EVERY_NTH_VILLAGE = 3
_ORGANISATION_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714
_ORGANISATION_SPACE = 10**8
_ORGANISATION_STEP = 61_803_399  # coprime with 10**8: distinct company numbers, distinct codes
_NAME_COMBINATIONS = len(FIRM_TRADE_NAMES) * len(FIRM_BUSINESSES)
# Relatives through whom a planted conflict runs, closest first.
_PLANTED_RELATIONS = (
    (Relation.SIBLING, Relation.SIBLING_IN_LAW, Relation.CHILD, Relation.CHILD_IN_LAW),
    (Relation.SPOUSE, Relation.CHILD, Relation.SIBLING),
    (Relation.CHILD, Relation.SIBLING_IN_LAW, Relation.PARENT_IN_LAW, Relation.SIBLING),
)
# Cadres whose relatives' companies are planted, in order of preference.
_PLANTED_POSTS = (Post.DUAL_HEAD, Post.PARTY_SECRETARY, Post.COMMITTEE_CHAIR, Post.BOOKKEEPER)


class ConflictRoute(StrEnum):
    LEGAL_REPRESENTATIVE = "legal representative"
    SHAREHOLDER = "shareholder"


@dataclass(frozen=True)
class ShareholdingPlan:
    person: int
    percent: Decimal


@dataclass(frozen=True)
class PlantedConflict:
    """A cadre's declared relative among a company's owners."""

    cadre: int
    post: Post
    relative: int
    relation: Relation
    route: ConflictRoute


@dataclass(frozen=True)
class CompanyPlan:
    name: str
    credit_code: str
    at_township: bool  # registered with the township rather than in the village
    legal_representative: int | None
    shareholdings: tuple[ShareholdingPlan, ...]
    is_contractor: bool
    planted: PlantedConflict | None = None


def companies_before(*, village_ordinal: int) -> int:
    """How many companies the villages before this one hold (about 100 per 12 villages)."""
    return village_ordinal * COMPANIES_PER_TWELVE_VILLAGES // 12


def organisation_code(body: str) -> str:
    """The 9-character organisation code (GB 11714): 8 digits and their check character."""
    remainder = (
        sum(int(digit) * weight for digit, weight in zip(body, _ORGANISATION_WEIGHTS, strict=True))
        % 11
    )
    check = 11 - remainder
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


def credit_code(*, number: int, kind: int, seed: int) -> str:
    """A valid unified social credit code, distinct for each company number.

    9 = registered with market regulation; kind 1 = enterprise, 3 = farmers'
    cooperative; then the county's area code, the organisation code and the
    GB 32100 check character.
    """
    offset = random.Random(f"qinglian-demo:{seed}:organisations").randrange(_ORGANISATION_SPACE)
    body = f"{(number * _ORGANISATION_STEP + offset) % _ORGANISATION_SPACE:08d}"
    first17 = f"9{kind}{COUNTY_CODE[:6]}{organisation_code(body)}"
    return normalise_credit_code(first17 + uscc.calc_check_digit(first17))


def _split_shares(holders: int, rng: random.Random) -> list[Decimal]:
    """Percentages, largest first, adding up to 100 (sometimes less: other owners are firms)."""
    total = 100 if rng.random() < 0.85 else rng.choice((60, 70, 80, 90))
    cuts = sorted(rng.sample(range(5, total - 4), holders - 1)) if holders > 1 else []
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
    shares = [Decimal(part) for part in sorted(parts, reverse=True)]
    if holders == 3 and rng.random() < 0.2:
        shares = [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    return shares


class _CompanyPlanner:
    def __init__(
        self,
        *,
        village: VillageSpec,
        population: Population,
        cadres: Cadres,
        rng: random.Random,
        seed: int,
    ) -> None:
        self.village = village
        self.rng = rng
        self.seed = seed
        self.population = population
        self.cadres = cadres
        involved = {term.person for term in cadres.terms}
        for declaration in cadres.relatives:
            involved |= {declaration.person, declaration.relative}
        self.owners = [
            index
            for index, plan in enumerate(population.people)
            if index not in involved and 23 <= plan.age <= 68
        ]

    def company(self, *, number: int, conflict: PlantedConflict | None = None) -> CompanyPlan:
        rng = self.rng
        combination = (number * 7 + self.seed) % _NAME_COMBINATIONS
        trade = FIRM_TRADE_NAMES[combination % len(FIRM_TRADE_NAMES)]
        business, suffix, kind = FIRM_BUSINESSES[combination // len(FIRM_TRADE_NAMES)]
        if conflict is not None and business not in CONTRACTOR_BUSINESSES:
            business, suffix, kind = FIRM_BUSINESSES[number % 4]  # works firms come first
        place = "" if number < _NAME_COMBINATIONS else self.village.name.removesuffix("村")
        holders_count = rng.choice((2, 3, 4, 5)) if kind == 3 else rng.choice((1, 1, 2, 2, 3))
        drawn = rng.sample(self.owners, min(holders_count + 1, len(self.owners)))
        legal_representative = drawn[0] if drawn else None
        holders = drawn[:holders_count] if rng.random() < 0.85 else drawn[1:][:holders_count]
        if conflict is not None:
            if conflict.route == ConflictRoute.LEGAL_REPRESENTATIVE:
                legal_representative = conflict.relative
                holders = [conflict.relative, *holders[1:]]
            else:
                holders = [*holders[:1], conflict.relative, *holders[1:2]]
        holders = list(dict.fromkeys(holders))
        shares = _split_shares(len(holders), rng) if holders else []
        return CompanyPlan(
            name=f"{COUNTY_NAME}{place}{trade}{business}{suffix}",
            credit_code=credit_code(number=number, kind=kind, seed=self.seed),
            at_township=rng.random() < 0.2,
            legal_representative=legal_representative,
            shareholdings=tuple(
                ShareholdingPlan(person=person, percent=percent)
                for person, percent in zip(holders, shares, strict=True)
            ),
            is_contractor=conflict is not None
            or (business in CONTRACTOR_BUSINESSES and rng.random() < 0.7),
            planted=conflict,
        )

    def conflict(self) -> PlantedConflict | None:
        """A current cadre's adult relative, through the route this village's turn gives.

        The head of the village and the bookkeeper come first, through the
        relations this village's turn prefers; failing those, any cadre and any
        declared relative will do.
        """
        variant = (self.village.ordinal // PLANTED_EVERY_NTH_VILLAGE) % len(_PLANTED_RELATIONS)
        route = ConflictRoute.SHAREHOLDER if variant == 1 else ConflictRoute.LEGAL_REPRESENTATIVE
        people = self.population.people
        current = self.cadres.current
        preferred = [
            (cadre, post)
            for post in _PLANTED_POSTS
            if (cadre := self.cadres.holder_of(post)) is not None
        ]
        for cadres, relations in (
            (preferred, _PLANTED_RELATIONS[variant]),
            (list(current.items()), tuple(Relation)),
        ):
            for cadre, post in cadres:
                declared = [d for d in self.cadres.relatives if d.person == cadre]
                for relation in relations:
                    for declaration in declared:
                        relative = declaration.relative
                        if (
                            declaration.relation == relation
                            and relative not in current
                            and 23 <= people[relative].age <= 70
                        ):
                            return PlantedConflict(
                                cadre=cadre,
                                post=post,
                                relative=relative,
                                relation=relation,
                                route=route,
                            )
        return None


def plan_companies(
    *,
    village: VillageSpec,
    population: Population,
    cadres: Cadres,
    rng: random.Random,
    seed: int,
) -> tuple[CompanyPlan, ...]:
    """The village's share of the county's companies; every third village plants a conflict."""
    planner = _CompanyPlanner(
        village=village, population=population, cadres=cadres, rng=rng, seed=seed
    )
    first = companies_before(village_ordinal=village.ordinal)
    last = companies_before(village_ordinal=village.ordinal + 1)
    conflict = planner.conflict() if village.ordinal % PLANTED_EVERY_NTH_VILLAGE == 0 else None
    return tuple(
        planner.company(number=number, conflict=conflict if number == first else None)
        for number in range(first, last)
    )
