"""The whole demo county as plain data: what the builder will write, village by village.

Planning is pure: the same seed, village count and village size give the same
plans, byte for byte, on any machine. Each village draws from its own random
stream (seeded from the seed and its code); only the ID-number allocator is
shared, so that no number is handed out twice in the county.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass

from qinglian.demo.cadres import Cadres, plan_cadres
from qinglian.demo.companies import CompanyPlan, plan_companies
from qinglian.demo.layout import CountyLayout, VillageSpec
from qinglian.demo.population import IdNumberAllocator, Population, plan_population

DEFAULT_SEED = 20210301
DEFAULT_PEOPLE_PER_VILLAGE = 250
MIN_PEOPLE_PER_VILLAGE = 60  # enough for the two committees, the supervisors and owners


@dataclass(frozen=True)
class VillagePlan:
    village: VillageSpec
    population: Population
    cadres: Cadres
    companies: tuple[CompanyPlan, ...]


def village_plans(
    *, layout: CountyLayout, seed: int, people_per_village: int
) -> Iterator[VillagePlan]:
    """Plans of every village of ``layout``, in code order, one at a time."""
    if people_per_village < MIN_PEOPLE_PER_VILLAGE:
        raise ValueError(f"a demo village has at least {MIN_PEOPLE_PER_VILLAGE} people")
    ids = IdNumberAllocator(area=layout.code)
    for village in layout.villages:
        rng = random.Random(f"qinglian-demo:{seed}:{village.code}")
        population = plan_population(village=village, people=people_per_village, rng=rng, ids=ids)
        cadres = plan_cadres(population=population, rng=rng)
        companies = plan_companies(
            village=village, population=population, cadres=cadres, rng=rng, seed=seed
        )
        yield VillagePlan(
            village=village, population=population, cadres=cadres, companies=companies
        )


def plans_digest(*, layout: CountyLayout, seed: int, people_per_village: int) -> str:
    """A SHA-256 over everything planned: equal digests mean equal counties."""
    digest = hashlib.sha256(repr(layout).encode())
    for plan in village_plans(layout=layout, seed=seed, people_per_village=people_per_village):
        digest.update(repr(plan).encode())
    return digest.hexdigest()
