"""Planning the demo county: pure, deterministic, and true to the directory's rules."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from decimal import Decimal

import pytest

from qinglian.demo.layout import COUNTY_CODE, county_layout, township_sizes
from qinglian.demo.planning import (
    DEFAULT_PEOPLE_PER_VILLAGE,
    DEFAULT_SEED,
    VillagePlan,
    plans_digest,
    village_plans,
)
from qinglian.demo.population import Kin
from qinglian.directory.codes import normalise_credit_code, normalise_phone, parse_id_number
from qinglian.directory.models import Post, Relation

KEY = "test-key"


@pytest.fixture(scope="module")
def plans() -> list[VillagePlan]:
    layout = county_layout(seed=DEFAULT_SEED)
    return list(
        village_plans(
            layout=layout, seed=DEFAULT_SEED, people_per_village=DEFAULT_PEOPLE_PER_VILLAGE
        )
    )


def test_same_seed_plans_the_same_county_and_another_seed_another():
    layout = county_layout(seed=7)
    first = plans_digest(layout=layout, seed=7, people_per_village=80)
    assert plans_digest(layout=county_layout(seed=7), seed=7, people_per_village=80) == first
    assert plans_digest(layout=county_layout(seed=8), seed=8, people_per_village=80) != first


def test_plans_do_not_depend_on_the_hash_seed_of_the_process():
    """Another interpreter, with another string-hash seed, plans the very same county."""
    script = (
        "import django; django.setup()\n"
        "from qinglian.demo.layout import county_layout\n"
        "from qinglian.demo.planning import plans_digest\n"
        "print(plans_digest(layout=county_layout(seed=7), seed=7, people_per_village=80))\n"
    )
    environment = {
        **os.environ,
        "PYTHONHASHSEED": "12345",
        "DJANGO_SETTINGS_MODULE": "qinglian.settings",
        "SECRET_KEY": "test-only-" + "s" * 40,
        "PII_HASH_KEY": "test-only-pii",
        "DEBUG": "1",  # a planning digest needs no production secrets
    }
    other = subprocess.run(  # noqa: S603 - our own interpreter, a fixed script
        [sys.executable, "-c", script],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    here = plans_digest(layout=county_layout(seed=7), seed=7, people_per_village=80)
    assert other.stdout.strip() == here


def test_default_county_has_two_townships_of_six_villages_with_groups():
    layout = county_layout(seed=DEFAULT_SEED)
    assert layout.code == COUNTY_CODE == "339901000000"
    assert layout.name == "清河县"
    assert [t.code for t in layout.townships] == ["339901100000", "339901101000"]
    assert [t.name for t in layout.townships] == ["青山镇", "云岭镇"]
    assert [len(t.villages) for t in layout.townships] == [6, 6]
    for township in layout.townships:
        for village in township.villages:
            assert re.fullmatch(township.code[:9] + r"2\d\d", village.code)
            assert village.name.endswith("村")
            assert 2 <= len(village.groups) <= 5
            assert all(re.fullmatch(village.code + r"\d{3}", g.code) for g in village.groups)
    village_names = [v.name for v in layout.villages]
    assert len(set(village_names)) == len(village_names)


def test_large_counties_spread_villages_over_townships_of_about_25():
    assert township_sizes(villages=40) == [20, 20]
    assert township_sizes(villages=10_000) == [25] * 400
    sizes = township_sizes(villages=1001)
    assert sum(sizes) == 1001 and max(sizes) - min(sizes) <= 1 and len(sizes) == 41
    layout = county_layout(villages=1001, seed=1)
    codes = [v.code for v in layout.villages]
    assert len(set(codes)) == 1001
    with pytest.raises(ValueError):
        township_sizes(villages=2)


def test_id_numbers_are_valid_unique_and_of_the_county(plans):
    numbers = [p.id_number for plan in plans for p in plan.population.people]
    assert len(numbers) == 12 * DEFAULT_PEOPLE_PER_VILLAGE
    assert len(set(numbers)) == len(numbers)
    for plan in plans:
        for person in plan.population.people:
            identity = parse_id_number(person.id_number, key=KEY)
            assert person.id_number.startswith("339901")
            assert identity.gender == ("female" if person.female else "male")
            assert identity.birth_date_iso == person.birth_date.isoformat()


def test_households_have_one_head_and_realistic_members(plans):
    for plan in plans:
        population = plan.population
        for household in population.households:
            kin = [population.people[i].kin for i in household.members]
            assert kin[0] == Kin.HEAD and kin.count(Kin.HEAD) == 1
            assert kin.count(Kin.SPOUSE) <= 1
    sizes = Counter(len(h.members) for plan in plans for h in plan.population.households)
    assert 2.3 <= sum(k * v for k, v in sizes.items()) / sum(sizes.values()) <= 4


def test_names_phones_and_party_members_look_real(plans):
    people = [p for plan in plans for p in plan.population.people]
    surnames = Counter(p.surname for p in people)
    assert len(surnames) > 60
    assert {"王", "李", "张", "刘", "陈"} & {name for name, _ in surnames.most_common(15)}
    assert all(1 <= len(p.given_name) <= 2 for p in people)
    phones = [p.phone for p in people if p.phone]
    assert len(phones) > len(people) // 2
    assert all(normalise_phone(phone) == phone and len(phone) == 11 for phone in phones)
    assert all(not p.phone for p in people if p.age < 14)
    party = [p for p in people if p.is_party_member]
    assert 0.04 * len(people) < len(party) < 0.15 * len(people)
    assert all(p.age >= 18 for p in party)


def test_every_village_has_its_two_committees_and_supervisors(plans):
    for plan in plans:
        current = Counter(t.post for t in plan.cadres.terms if t.ended_on is None)
        assert current[Post.DUAL_HEAD] == 1 or (
            current[Post.PARTY_SECRETARY] == 1 and current[Post.COMMITTEE_CHAIR] == 1
        )
        assert current[Post.COMMITTEE_MEMBER] >= 1
        assert current[Post.SUPERVISION_CHAIR] == 1
        assert 2 <= current[Post.SUPERVISION_MEMBER] <= 4
        for post in (Post.BOOKKEEPER, Post.DISCIPLINE_SUPERVISOR, Post.INFO_OFFICER):
            assert current[post] == 1
        assert plan.population.people[plan.cadres.head].is_party_member
    dual_heads = sum(1 for plan in plans if plan.cadres.holder_of(Post.DUAL_HEAD) is not None)
    assert 0 < dual_heads < len(plans)
    ended = [t for plan in plans for t in plan.cadres.terms if t.ended_on is not None]
    assert ended and all(t.ended_on >= t.started_on for t in ended)


TWO_COMMITTEES = {
    Post.PARTY_SECRETARY,
    Post.COMMITTEE_CHAIR,
    Post.DUAL_HEAD,
    Post.PARTY_COMMITTEE_MEMBER,
    Post.COMMITTEE_MEMBER,
}


def test_supervisors_are_not_declared_kin_of_the_two_committees(plans):
    supervision = {Post.SUPERVISION_CHAIR, Post.SUPERVISION_MEMBER}
    for plan in plans:
        supervisors = {t.person for t in plan.cadres.terms if t.post in supervision}
        committees = {
            t.person for t in plan.cadres.terms if t.ended_on is None and t.post in TWO_COMMITTEES
        }
        for declaration in plan.cadres.relatives:
            if declaration.person in committees:
                assert declaration.relative not in supervisors


def test_cadres_declare_spouses_siblings_children_and_in_laws(plans):
    relations = Counter(d.relation for plan in plans for d in plan.cadres.relatives)
    for relation in (Relation.SPOUSE, Relation.SIBLING, Relation.CHILD):
        assert relations[relation] > 0
    assert relations[Relation.PARENT_IN_LAW] + relations[Relation.SIBLING_IN_LAW] > 0
    for plan in plans:
        pairs = [(d.person, d.relative) for d in plan.cadres.relatives]
        assert len(set(pairs)) == len(pairs)
        assert all(person != relative for person, relative in pairs)
        for declaration in plan.cadres.relatives:
            if declaration.relation == Relation.SPOUSE:
                people = plan.population.people
                person, spouse = people[declaration.person], people[declaration.relative]
                assert person.household == spouse.household
                assert person.female != spouse.female


def test_companies_have_valid_distinct_codes_and_shares_within_100(plans):
    companies = [c for plan in plans for c in plan.companies]
    assert len(companies) == 100
    codes = [c.credit_code for c in companies]
    assert len(set(codes)) == len(codes)
    assert all(normalise_credit_code(code) == code for code in codes)
    assert all(code[2:8] == "339901" for code in codes)
    for company in companies:
        assert company.name.startswith("清河县")
        total = sum((s.percent for s in company.shareholdings), Decimal(0))
        assert Decimal(0) < total <= Decimal(100)
        people = [s.person for s in company.shareholdings]
        assert len(set(people)) == len(people)
    assert 10 < sum(c.is_contractor for c in companies) < 90


def test_only_planted_companies_involve_cadres_or_their_relatives(plans):
    planted = 0
    for plan in plans:
        involved = {t.person for t in plan.cadres.terms}
        involved |= {d.relative for d in plan.cadres.relatives}
        for company in plan.companies:
            owners = {s.person for s in company.shareholdings} | {company.legal_representative}
            if company.planted is None:
                assert not owners & involved
                continue
            planted += 1
            conflict = company.planted
            assert company.is_contractor
            assert conflict.relative in owners
            assert any(
                d.person == conflict.cadre
                and d.relative == conflict.relative
                and d.relation == conflict.relation
                for d in plan.cadres.relatives
            )
    assert planted >= 3
