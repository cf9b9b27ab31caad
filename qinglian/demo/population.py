"""Villagers of one demo village: family lines, households and people, no database.

A village is planned as family lines. A line is one surname with up to three
brothers, each heading a household with his wife and children, and often their
parents' household beside them; a wife may come from another line of the same
village. A few surnames dominate each village, as they do in the countryside.
These links are what the cadres' declared relatives are read from.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from qinglian.demo.layout import VillageSpec
from qinglian.demo.names import NameDrawer
from qinglian.directory.factories import make_id_number

# The demo's "today": ages, terms and declarations count from it, not from the clock,
# so that the county comes out the same on every run.
REFERENCE_DATE = date(2025, 1, 1)
_SEQUENCES_PER_DAY = 500  # per birth date and sex: make_id_number's sequence digit


class Kin(StrEnum):
    """A member's place in the household."""

    HEAD = "head"
    SPOUSE = "spouse"
    CHILD = "child"
    PARENT = "parent"  # the head's widowed parent, living in


@dataclass(slots=True)
class PersonPlan:
    surname: str
    given_name: str
    female: bool
    birth_date: date
    household: int
    kin: Kin
    phone: str = ""
    is_party_member: bool = False
    id_number: str = ""
    age: int = 0  # at the reference date; set once the birth date is final

    @property
    def name(self) -> str:
        return self.surname + self.given_name

    @property
    def is_household_head(self) -> bool:
        return self.kin == Kin.HEAD


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass(slots=True)
class HouseholdPlan:
    number: str
    group: int  # index into the village's villager groups
    address: str
    line: int  # the family line of the head
    wife_line: int | None = None  # the line the head's wife was born into, if of this village
    members: list[int] = field(default_factory=list)

    @property
    def head(self) -> int:
        return self.members[0]


@dataclass(slots=True)
class FamilyLine:
    surname: str
    elders: int | None = None  # household of the brothers' parents
    sons: list[int] = field(default_factory=list)  # households headed by the brothers


@dataclass
class Population:
    """The people of one village and the kinship between them."""

    people: list[PersonPlan]
    households: list[HouseholdPlan]
    lines: list[FamilyLine]

    def members_as(self, household: int, kin: Kin) -> list[int]:
        return [i for i in self.households[household].members if self.people[i].kin == kin]

    def spouse_of(self, person: int) -> int | None:
        plan = self.people[person]
        wanted = {Kin.HEAD: Kin.SPOUSE, Kin.SPOUSE: Kin.HEAD}.get(plan.kin)
        if wanted is None:
            return None
        matches = self.members_as(plan.household, wanted)
        return matches[0] if matches else None

    def children_of(self, person: int) -> list[int]:
        """Children of a head or spouse: those at home, and the sons heading their own homes."""
        plan = self.people[person]
        if plan.kin not in (Kin.HEAD, Kin.SPOUSE):
            return []
        children = self.members_as(plan.household, Kin.CHILD)
        for line in self.lines:
            if line.elders == plan.household:
                children += [self.households[son].head for son in line.sons]
        return children

    def parents_of(self, person: int) -> list[int]:
        """The head's parents (at home or next door), or a wife's parents in her home line."""
        plan = self.people[person]
        household = self.households[plan.household]
        if plan.kin == Kin.CHILD:
            return self.members_as(plan.household, Kin.HEAD) + self.members_as(
                plan.household, Kin.SPOUSE
            )
        if plan.kin == Kin.HEAD:
            parents = self.members_as(plan.household, Kin.PARENT)
            elders = self.lines[household.line].elders
            if elders is not None and elders != plan.household:
                parents += self.members_as(elders, Kin.HEAD) + self.members_as(elders, Kin.SPOUSE)
            return parents
        if plan.kin == Kin.SPOUSE and household.wife_line is not None:
            elders = self.lines[household.wife_line].elders
            if elders is not None:
                return self.members_as(elders, Kin.HEAD) + self.members_as(elders, Kin.SPOUSE)
        return []

    def siblings_of(self, person: int) -> list[int]:
        """Brothers heading other households of the line, or a wife's brothers in her line."""
        plan = self.people[person]
        household = self.households[plan.household]
        if plan.kin == Kin.CHILD:
            return [i for i in self.members_as(plan.household, Kin.CHILD) if i != person]
        line: int | None = None
        if plan.kin == Kin.HEAD and plan.household in self.lines[household.line].sons:
            line = household.line
        elif plan.kin == Kin.SPOUSE:
            line = household.wife_line
        if line is None:
            return []
        return [
            self.households[son].head
            for son in self.lines[line].sons
            if self.households[son].head != person
        ]


class IdNumberAllocator:
    """Hands out ID numbers of one area that are never handed out twice.

    Each birth date and sex has 500 sequence numbers; when a date is full the
    person is moved to the day before, which never happens at demo densities.
    """

    def __init__(self, *, area: str) -> None:
        self.area = area[:6]
        self._used: dict[tuple[date, bool], int] = {}

    def allocate(self, *, born: date, female: bool) -> tuple[str, date]:
        while (sequence := self._used.get((born, female), 0)) >= _SEQUENCES_PER_DAY:
            born -= timedelta(days=1)
        self._used[(born, female)] = sequence + 1
        return make_id_number(self.area, born, sequence, female=female), born


def _birth_date(age: int, rng: random.Random) -> date:
    """A date on which someone aged ``age`` at the reference date was born."""
    latest = REFERENCE_DATE.replace(year=REFERENCE_DATE.year - age)
    return latest - timedelta(days=rng.randrange(365))


class _VillagePlanner:
    def __init__(self, *, village: VillageSpec, rng: random.Random) -> None:
        self.village = village
        self.rng = rng
        self.names = NameDrawer(rng)
        self.people: list[PersonPlan] = []
        self.households: list[HouseholdPlan] = []
        self.lines: list[FamilyLine] = []
        self.house_numbers = [0] * len(village.groups)
        self.used_names: set[str] = set()
        dominant: list[str] = []
        while len(dominant) < 3:
            surname = self.names.surname()
            if surname not in dominant:
                dominant.append(surname)
        self.dominant_surnames = dominant

    def person(
        self,
        *,
        household: int,
        kin: Kin,
        age: int,
        female: bool,
        surname: str,
        generation: str = "",
    ) -> int:
        born = _birth_date(max(age, 0), self.rng)
        given = self.names.given_name(female=female, generation=generation)
        for _retry in range(3):  # a few namesakes are real; a village full of them is not
            if surname + given not in self.used_names:
                break
            given = self.names.given_name(female=female, generation=generation)
        self.used_names.add(surname + given)
        self.people.append(
            PersonPlan(
                surname=surname,
                given_name=given,
                female=female,
                birth_date=born,
                household=household,
                kin=kin,
            )
        )
        index = len(self.people) - 1
        self.households[household].members.append(index)
        return index

    def household(self, *, line: int, group: int) -> int:
        self.house_numbers[group] += 1
        village = self.village
        self.households.append(
            HouseholdPlan(
                number=f"{len(self.households) + 1:04d}",
                group=group,
                address=f"{village.name}{village.groups[group].name}{self.house_numbers[group]}号",
                line=line,
            )
        )
        return len(self.households) - 1

    def line_surname(self) -> str:
        rng = self.rng
        if rng.random() < 0.55:
            return rng.choices(self.dominant_surnames, weights=(3, 2, 1))[0]
        return self.names.surname()

    def family_line(self) -> None:
        rng = self.rng
        surname = self.line_surname()
        line = len(self.lines)
        self.lines.append(FamilyLine(surname=surname))
        group = rng.randrange(len(self.village.groups))
        brothers = rng.choice((1, 1, 2, 2, 2, 3))
        eldest_age = rng.randint(24, 64)
        brothers_generation = self.names.generation_character(
            female=False, birth_year=REFERENCE_DATE.year - eldest_age
        )
        if eldest_age <= 60 and rng.random() < 0.55:
            father_age = min(eldest_age + rng.randint(22, 32), 93)
            elders = self.household(line=line, group=group)
            self.lines[line].elders = elders
            if rng.random() < 0.2:  # a widow heads the parents' household
                self.person(
                    household=elders,
                    kin=Kin.HEAD,
                    age=father_age - rng.randint(0, 3),
                    female=True,
                    surname=self.names.surname(),
                )
            else:
                self.person(
                    household=elders, kin=Kin.HEAD, age=father_age, female=False, surname=surname
                )
                self.person(
                    household=elders,
                    kin=Kin.SPOUSE,
                    age=father_age - rng.randint(0, 4),
                    female=True,
                    surname=self.names.surname(),
                )
        age = eldest_age
        for brother in range(brothers):
            if age < 22:
                break
            home_group = group if rng.random() < 0.8 else rng.randrange(len(self.village.groups))
            home = self.household(line=line, group=home_group)
            self.lines[line].sons.append(home)
            self.person(
                household=home,
                kin=Kin.HEAD,
                age=age,
                female=False,
                surname=surname,
                generation=brothers_generation if rng.random() < 0.7 else "",
            )
            if age >= 23 and rng.random() < 0.9:
                self.wife(home=home, husband_age=age, line=line)
            self.children(home=home, parent_age=age, surname=surname)
            if (
                brother == 0
                and self.lines[line].elders is None
                and age <= 62
                and rng.random() < 0.3
            ):
                self.person(
                    household=home,
                    kin=Kin.PARENT,
                    age=min(age + rng.randint(22, 30), 95),
                    female=True,
                    surname=self.names.surname(),
                )
            age -= rng.randint(1, 6)

    def wife(self, *, home: int, husband_age: int, line: int) -> None:
        rng = self.rng
        other_lines = [index for index in range(len(self.lines)) if index != line]
        if other_lines and rng.random() < 0.4:
            wife_line = rng.choice(other_lines)
            self.households[home].wife_line = wife_line
            surname = self.lines[wife_line].surname
        else:
            surname = self.names.surname()
        self.person(
            household=home,
            kin=Kin.SPOUSE,
            age=max(husband_age - rng.randint(-2, 5), 20),
            female=True,
            surname=surname,
        )

    def children(self, *, home: int, parent_age: int, surname: str) -> None:
        rng = self.rng
        count = rng.choices((0, 1, 2, 3), weights=(15, 35, 40, 10))[0]
        age = parent_age - rng.randint(22, 33)
        generation_year = REFERENCE_DATE.year - max(age, 0)
        sons_generation = self.names.generation_character(female=False, birth_year=generation_year)
        daughters_generation = self.names.generation_character(
            female=True, birth_year=generation_year
        )
        for _child in range(count):
            if age < 0:
                break
            if age <= 30 or rng.random() < 0.4:  # older children have mostly moved out
                female = rng.random() < 0.48
                shares_generation = rng.random() < 0.6
                generation = daughters_generation if female else sons_generation
                self.person(
                    household=home,
                    kin=Kin.CHILD,
                    age=age,
                    female=female,
                    surname=surname,
                    generation=generation if shares_generation else "",
                )
            age -= rng.randint(1, 5)

    def finish(self, *, people: int, ids: IdNumberAllocator) -> Population:
        """Cut the last line to exactly ``people`` villagers; give phones, party cards and IDs."""
        rng = self.rng
        del self.people[people:]
        while self.households and not [i for i in self.households[-1].members if i < people]:
            self.households.pop()
        for household in self.households:
            household.members = [i for i in household.members if i < people]
        for line in self.lines:
            line.sons = [son for son in line.sons if son < len(self.households)]
            if line.elders is not None and line.elders >= len(self.households):
                line.elders = None
        for household in self.households:
            if household.wife_line is not None and not self.members_kin(household, Kin.SPOUSE):
                household.wife_line = None
        for plan in self.people:
            plan.id_number, plan.birth_date = ids.allocate(born=plan.birth_date, female=plan.female)
            plan.age = age = age_on(plan.birth_date, REFERENCE_DATE)
            has_phone = 0.92 if 18 <= age <= 75 else 0.5 if age > 75 else 0.3 if age >= 14 else 0.0
            if rng.random() < has_phone:
                plan.phone = self.names.phone()
            if age >= 18:
                plan.is_party_member = rng.random() < (0.04 if plan.female else 0.11)
        return Population(people=self.people, households=self.households, lines=self.lines)

    def members_kin(self, household: HouseholdPlan, kin: Kin) -> list[int]:
        return [i for i in household.members if self.people[i].kin == kin]


def plan_population(
    *, village: VillageSpec, people: int, rng: random.Random, ids: IdNumberAllocator
) -> Population:
    """Exactly ``people`` villagers of ``village`` in households, with valid unique ID numbers."""
    planner = _VillagePlanner(village=village, rng=rng)
    while len(planner.people) < people:
        planner.family_line()
    return planner.finish(people=people, ids=ids)
