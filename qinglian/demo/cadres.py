"""Who holds which post in a demo village, since when, and whom they declared as kin.

The two committees were elected in spring 2021 (the last general change of
term before the reference date) and the supervision committee a few days
later, from families not related to the two committees, as the rules ask.
Some predecessors' terms ended then; some villages changed their information
officer mid-term. Every current cadre declares spouse, parents, children,
brothers and sisters, and in-laws found among the villagers.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from qinglian.demo.population import Kin, PersonPlan, Population
from qinglian.directory.models import Post, Relation

ELECTION_DAY = date(2021, 3, 1)
PREVIOUS_ELECTION_DAY = date(2017, 3, 15)
# Posts whose holders must be party members.
_PARTY_POSTS = frozenset(
    {Post.PARTY_SECRETARY, Post.DUAL_HEAD, Post.PARTY_COMMITTEE_MEMBER, Post.SUPERVISION_CHAIR}
)
_MAX_DECLARED = 8


@dataclass(frozen=True)
class TermPlan:
    person: int
    post: Post
    started_on: date
    ended_on: date | None = None


@dataclass(frozen=True)
class RelativePlan:
    person: int
    relative: int
    relation: Relation
    declared_on: date


@dataclass(frozen=True)
class Cadres:
    terms: tuple[TermPlan, ...]
    relatives: tuple[RelativePlan, ...]

    @property
    def current(self) -> dict[int, Post]:
        """Each person holding a post now, with the first post they hold."""
        holders: dict[int, Post] = {}
        for term in self.terms:
            if term.ended_on is None:
                holders.setdefault(term.person, term.post)
        return holders

    def holder_of(self, post: Post) -> int | None:
        for term in self.terms:
            if term.post == post and term.ended_on is None:
                return term.person
        return None

    @property
    def head(self) -> int:
        """The party secretary, or the dual head."""
        head = self.holder_of(Post.DUAL_HEAD)
        if head is None:
            head = self.holder_of(Post.PARTY_SECRETARY)
        assert head is not None
        return head


class _Picker:
    """Draws people for posts: one post per household, the rule the demo keeps."""

    def __init__(self, population: Population, rng: random.Random) -> None:
        self.population = population
        self.rng = rng
        self.taken_households: set[int] = set()
        self.avoided_lines: set[int] = set()
        households = population.households
        # (person, their plan, the family lines of their household)
        self.adults_at_home = [
            (
                index,
                plan,
                {households[plan.household].line, households[plan.household].wife_line},
            )
            for index, plan in enumerate(population.people)
            if plan.kin in (Kin.HEAD, Kin.SPOUSE)
        ]

    def pick(
        self,
        *,
        ages: tuple[int, int],
        test: Callable[[PersonPlan], bool] = lambda plan: True,
        avoid_lines: bool = False,
    ) -> int | None:
        youngest, oldest = ages
        eligible = [
            (index, plan)
            for index, plan, lines in self.adults_at_home
            if youngest <= plan.age <= oldest
            and plan.household not in self.taken_households
            and not (avoid_lines and lines & self.avoided_lines)
        ]
        candidates = [index for index, plan in eligible if test(plan)] or [
            index for index, _plan in eligible
        ]
        if not candidates:
            return None
        chosen = self.rng.choice(candidates)
        self.taken_households.add(self.population.people[chosen].household)
        return chosen

    def lines_of(self, person: int) -> set[int]:
        household = self.population.households[self.population.people[person].household]
        return {line for line in (household.line, household.wife_line) if line is not None}


def _male(plan: PersonPlan) -> bool:
    return not plan.female


def _female(plan: PersonPlan) -> bool:
    return plan.female


def plan_cadres(*, population: Population, rng: random.Random) -> Cadres:
    """Terms of office and relatives' declarations for one village; marks party members."""
    picker = _Picker(population, rng)
    elected = ELECTION_DAY + timedelta(days=rng.randrange(45))
    supervision_elected = elected + timedelta(days=rng.randint(3, 10))
    previously_elected = PREVIOUS_ELECTION_DAY + timedelta(days=rng.randrange(45))
    terms: list[TermPlan] = []

    def hold(post: Post, person: int | None, started_on: date = elected) -> int | None:
        if person is not None:
            terms.append(TermPlan(person=person, post=post, started_on=started_on))
        return person

    two_committees: list[int | None] = []
    if rng.random() < 0.4:
        two_committees.append(hold(Post.DUAL_HEAD, picker.pick(ages=(38, 60), test=_male)))
    else:
        two_committees.append(hold(Post.PARTY_SECRETARY, picker.pick(ages=(38, 60), test=_male)))
        two_committees.append(hold(Post.COMMITTEE_CHAIR, picker.pick(ages=(35, 60), test=_male)))
    for _member in range(2):
        two_committees.append(hold(Post.PARTY_COMMITTEE_MEMBER, picker.pick(ages=(30, 60))))
    two_committees.append(hold(Post.COMMITTEE_MEMBER, picker.pick(ages=(28, 55), test=_female)))
    two_committees.append(hold(Post.COMMITTEE_MEMBER, picker.pick(ages=(28, 60), test=_male)))
    for person in two_committees:
        if person is not None:
            picker.avoided_lines |= picker.lines_of(person)

    chair = hold(
        Post.SUPERVISION_CHAIR,
        picker.pick(ages=(35, 62), avoid_lines=True),
        supervision_elected,
    )
    for _member in range(rng.randint(2, 4)):
        hold(
            Post.SUPERVISION_MEMBER,
            picker.pick(ages=(30, 65), avoid_lines=True),
            supervision_elected,
        )
    if chair is not None and rng.random() < 0.5:  # usually the chair is also the supervisor
        hold(Post.DISCIPLINE_SUPERVISOR, chair, supervision_elected + timedelta(days=20))
    else:
        hold(
            Post.DISCIPLINE_SUPERVISOR,
            picker.pick(ages=(35, 65), avoid_lines=True),
            supervision_elected + timedelta(days=20),
        )
    hold(
        Post.BOOKKEEPER,
        picker.pick(ages=(28, 58)),
        elected - timedelta(days=rng.randint(300, 1500)),
    )
    terms += _information_officers(picker=picker, elected=elected)
    terms += _past_terms(picker=picker, terms=terms, elected=elected, since=previously_elected)

    people = population.people
    for term in terms:
        if term.post in _PARTY_POSTS:
            people[term.person].is_party_member = True
    declared_on = elected + timedelta(days=rng.randint(10, 40))
    current = {term.person for term in terms if term.ended_on is None}
    relatives = [
        declaration
        for person in sorted(current)
        for declaration in _declarations(population, person=person, declared_on=declared_on)
    ]
    return Cadres(terms=tuple(terms), relatives=tuple(relatives))


def _past_terms(
    *, picker: _Picker, terms: list[TermPlan], elected: date, since: date
) -> list[TermPlan]:
    """Predecessors whose terms ended at the 2021 election."""
    rng = picker.rng
    past: list[TermPlan] = []
    current_posts = {term.post for term in terms}
    top_post = Post.DUAL_HEAD if Post.DUAL_HEAD in current_posts else Post.PARTY_SECRETARY
    predecessor = picker.pick(ages=(56, 75), test=_male)
    if predecessor is not None:
        past.append(TermPlan(person=predecessor, post=top_post, started_on=since, ended_on=elected))
    for term in terms:
        if term.post == Post.PARTY_COMMITTEE_MEMBER and rng.random() < 0.5:  # re-elected
            past.append(
                TermPlan(person=term.person, post=term.post, started_on=since, ended_on=elected)
            )
    return past


def _information_officers(*, picker: _Picker, elected: date) -> list[TermPlan]:
    """The information officer, appointed after the election; some villages changed theirs."""
    rng = picker.rng
    terms: list[TermPlan] = []
    started_on = elected + timedelta(days=rng.randint(40, 90))
    if rng.random() < 0.35:
        first_officer = picker.pick(ages=(25, 50))
        handover = started_on + timedelta(days=rng.randint(500, 900))
        if first_officer is not None:
            terms.append(
                TermPlan(
                    person=first_officer,
                    post=Post.INFO_OFFICER,
                    started_on=started_on,
                    ended_on=handover,
                )
            )
            started_on = handover
    officer = picker.pick(ages=(25, 50))
    if officer is not None:
        terms.append(TermPlan(person=officer, post=Post.INFO_OFFICER, started_on=started_on))
    return terms


def _declarations(population: Population, *, person: int, declared_on: date) -> list[RelativePlan]:
    """Close relatives of ``person`` found in the village, as they would declare them."""
    kin = population.people[person].kin
    spouse = population.spouse_of(person)
    found: list[tuple[Relation, Iterable[int]]] = [
        (Relation.SPOUSE, [spouse] if spouse is not None else []),
        (Relation.CHILD, population.children_of(person)),
        (Relation.PARENT, population.parents_of(person)),
        (Relation.SIBLING, population.siblings_of(person)),
    ]
    if spouse is not None:
        in_laws = population.parents_of(spouse)
        found.append((Relation.PARENT_IN_LAW, in_laws))
        found.append((Relation.SIBLING_IN_LAW, population.siblings_of(spouse)))
    if kin in (Kin.HEAD, Kin.SPOUSE):
        children_spouses = [
            partner
            for child in population.children_of(person)
            if (partner := population.spouse_of(child)) is not None
        ]
        found.append((Relation.CHILD_IN_LAW, children_spouses))
    declared: list[RelativePlan] = []
    seen = {person}
    for relation, relatives in found:
        for relative in relatives:
            if relative in seen or len(declared) >= _MAX_DECLARED:
                continue
            seen.add(relative)
            declared.append(
                RelativePlan(
                    person=person, relative=relative, relation=relation, declared_on=declared_on
                )
            )
    return declared
