"""Personas and a small region tree, so that a permission test is one line.

Tree: county 清河县 (339901) with township A 青山镇 (339901100) holding villages
A1 上塘村 and A2 下塘村, and township B 云岭镇 (339901101) holding village B1 溪口村.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

import pytest
from django.test import Client

from qinglian.accounts.models import Role, RoleAssignment, User
from qinglian.directory.factories import PersonFactory, region
from qinglian.directory.models import Region, RegionLevel, Relation, RelativeDeclaration
from qinglian.transparency.notes import Signer

PASSWORD = "correct-horse-battery"


def production_secrets() -> dict[str, str]:
    """Fresh values for every secret settings.py requires when DEBUG is off."""
    return {
        "SECRET_KEY": secrets.token_urlsafe(60),
        "PII_HASH_KEY": secrets.token_urlsafe(60),
        "TRANSPARENCY_SIGNING_KEY": Signer.generate("qinglian-test-log").encoded(),
    }


@dataclass
class Tree:
    county: Region
    town_a: Region
    town_b: Region
    village_a1: Region
    village_a2: Region
    village_b1: Region


@pytest.fixture
def tree(db) -> Tree:
    county = region("339901000000", "清河县", RegionLevel.COUNTY)
    town_a = region("339901100000", "青山镇", RegionLevel.TOWNSHIP, county)
    town_b = region("339901101000", "云岭镇", RegionLevel.TOWNSHIP, county)
    return Tree(
        county=county,
        town_a=town_a,
        town_b=town_b,
        village_a1=region("339901100201", "上塘村", RegionLevel.VILLAGE, town_a),
        village_a2=region("339901100202", "下塘村", RegionLevel.VILLAGE, town_a),
        village_b1=region("339901101201", "溪口村", RegionLevel.VILLAGE, town_b),
    )


def make_user(username: str, role: str | None, area: Region | None, **extra) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, **extra)
    if role and area:
        RoleAssignment.objects.create(user=user, role=role, region=area)
    return user


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def admin_operator(tree: Tree) -> User:
    return make_user("operator", Role.ADMIN, tree.county, is_staff=True, is_superuser=True)


@pytest.fixture
def county_officer(tree: Tree) -> User:
    return make_user("county", Role.COUNTY_DISCIPLINE, tree.county)


@pytest.fixture
def township_commission(tree: Tree) -> User:
    return make_user("township", Role.TOWN_DISCIPLINE, tree.town_a)


@pytest.fixture
def village_cadre(tree: Tree) -> User:
    person = PersonFactory.create(region=tree.village_a1, name="王建国")
    return make_user("village", Role.VILLAGE_CADRE, tree.village_a1, person=person)


@pytest.fixture
def cadre_relative(village_cadre: User, tree: Tree):
    """A person whom the village cadre declared as a brother."""
    brother = PersonFactory.create(region=tree.village_a1, name="王建军")
    assert village_cadre.person is not None
    RelativeDeclaration.objects.create(
        person=village_cadre.person,
        relative=brother,
        relation=Relation.SIBLING,
        degree=2,
        declared_on=date(2024, 1, 1),
    )
    return brother


@pytest.fixture
def other_village_cadre(tree: Tree) -> User:
    return make_user("village2", Role.VILLAGE_CADRE, tree.village_a2)


@pytest.fixture
def supervisor(tree: Tree) -> User:
    return make_user("supervisor", Role.SUPERVISION_COMMITTEE, tree.village_a1)


@pytest.fixture
def outsider(tree: Tree) -> User:
    """Staff of the other township: in the county, outside township A."""
    return make_user("outsider", Role.TOWN_DISCIPLINE, tree.town_b)


@pytest.fixture(autouse=True)
def _plain_http(settings):
    """Tests talk plain HTTP to the test client; production redirects to HTTPS."""
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (pages are cached per village)."""
    from django.core.cache import cache

    from qinglian.disclosures.visits import visits_discard

    cache.clear()
    visits_discard()
    yield
    visits_discard()


@pytest.fixture(autouse=True)
def _visit_counts_written_when_asked(monkeypatch):
    """Visit counts are written every few seconds in service; in tests only when a test
    calls ``visits_flush`` (a write in the middle of a page would upset its query count)."""
    from qinglian.disclosures import visits

    monkeypatch.setattr(visits, "FLUSH_SECONDS", float("inf"))


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 costs ~0.2 s a hash by design; tests that need it ask for it explicitly."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.APPEALS_KDF = "min"  # the commission keys' Argon2id: fast and weak, tests only


@pytest.fixture
def english():
    """Messages in English, for tests that read them (the default language is Chinese)."""
    from django.utils import translation

    with translation.override("en"):
        yield
