"""The region tree of the demo county: codes and names, no database.

清河县 has the county code 339901000000: province 33 exists, prefecture 99 does
not, so no real place is ever shadowed. Township codes run from 339901100000
upwards, village codes take the township's nine digits and 201 upwards (as
village committees do), and a villager group adds three digits to its village.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import product

from qinglian.demo.names import (
    GROUP_NUMERALS,
    TOWNSHIP_NAME_HEADS,
    TOWNSHIP_NAME_TAILS,
    VILLAGE_NAME_HEADS,
    VILLAGE_NAME_TAILS,
)

COUNTY_CODE = "339901000000"
COUNTY_NAME = "清河县"
DEFAULT_VILLAGES = 12
VILLAGES_PER_TOWNSHIP = 25
FIRST_TOWNSHIP_NUMBER = 100
MAX_TOWNSHIPS = 999 - FIRST_TOWNSHIP_NUMBER + 1
FIRST_VILLAGE_NUMBER = 201
MAX_VILLAGES_PER_TOWNSHIP = 999 - FIRST_VILLAGE_NUMBER + 1
MIN_VILLAGES = 3  # two townships, the first with two villages (for the two cadre accounts)
MAX_VILLAGES = MAX_TOWNSHIPS * MAX_VILLAGES_PER_TOWNSHIP
_FIRST_TOWNSHIP_NAMES = ("青山镇", "云岭镇")


@dataclass(frozen=True)
class GroupSpec:
    code: str
    name: str


@dataclass(frozen=True)
class VillageSpec:
    code: str
    name: str
    ordinal: int  # position among all villages of the county, from 0
    groups: tuple[GroupSpec, ...]


@dataclass(frozen=True)
class TownshipSpec:
    code: str
    name: str
    villages: tuple[VillageSpec, ...]


@dataclass(frozen=True)
class CountyLayout:
    code: str
    name: str
    townships: tuple[TownshipSpec, ...]

    @property
    def villages(self) -> list[VillageSpec]:
        return [village for township in self.townships for village in township.villages]


def township_sizes(*, villages: int) -> list[int]:
    """How many villages each township gets: about 25, never fewer than two townships."""
    if not MIN_VILLAGES <= villages <= MAX_VILLAGES:
        raise ValueError(f"the demo county holds {MIN_VILLAGES} to {MAX_VILLAGES} villages")
    townships = min(MAX_TOWNSHIPS, max(2, -(-villages // VILLAGES_PER_TOWNSHIP)))
    base, extra = divmod(villages, townships)
    return [base + 1 if index < extra else base for index in range(townships)]


def _name_pool(heads: str, tails: str, *, rng: random.Random) -> list[str]:
    names = [head + tail for head, tail in product(heads, tails) if head != tail]
    rng.shuffle(names)
    return names


def county_layout(*, villages: int = DEFAULT_VILLAGES, seed: int) -> CountyLayout:
    """The county's townships, villages and villager groups; the same for the same arguments."""
    rng = random.Random(f"qinglian-demo:{seed}:layout")
    township_names = [
        name + ("乡" if index % 4 == 3 else "镇")
        for index, name in enumerate(_name_pool(TOWNSHIP_NAME_HEADS, TOWNSHIP_NAME_TAILS, rng=rng))
    ]
    township_names = list(_FIRST_TOWNSHIP_NAMES) + [
        name for name in township_names if name not in _FIRST_TOWNSHIP_NAMES
    ]
    village_names = [
        name + "村" for name in _name_pool(VILLAGE_NAME_HEADS, VILLAGE_NAME_TAILS, rng=rng)
    ]
    townships: list[TownshipSpec] = []
    ordinal = 0
    for township_index, size in enumerate(township_sizes(villages=villages)):
        township_prefix = f"{COUNTY_CODE[:6]}{FIRST_TOWNSHIP_NUMBER + township_index:03d}"
        village_specs: list[VillageSpec] = []
        for village_index in range(size):
            village_code = f"{township_prefix}{FIRST_VILLAGE_NUMBER + village_index:03d}"
            groups = tuple(
                GroupSpec(
                    code=f"{village_code}{number:03d}",
                    name=f"第{GROUP_NUMERALS[number - 1]}村民小组",
                )
                for number in range(1, rng.randint(2, 5) + 1)
            )
            village_specs.append(
                VillageSpec(
                    code=village_code,
                    name=village_names[ordinal % len(village_names)],
                    ordinal=ordinal,
                    groups=groups,
                )
            )
            ordinal += 1
        townships.append(
            TownshipSpec(
                code=f"{township_prefix}000",
                name=township_names[township_index % len(township_names)],
                villages=tuple(village_specs),
            )
        )
    return CountyLayout(code=COUNTY_CODE, name=COUNTY_NAME, townships=tuple(townships))
