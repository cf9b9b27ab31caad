"""The default demo county, built once for this module inside a transaction rolled back after.

The root conftest's ``tree`` fixture uses the same county code, so these tests
build their own county and never ask for it. They build it without the villages'
books, which ``test_finance`` builds and checks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.test import Client, override_settings

from qinglian.accounts import policy
from qinglian.accounts.models import Role, RoleAssignment, User
from qinglian.core.models import AuditEvent
from qinglian.demo.accounts import DEMO_PASSWORD, DEMO_USERNAMES
from qinglian.demo.builder import DemoBuild, DemoCountyExists, demo_county_build
from qinglian.demo.layout import county_layout
from qinglian.demo.planning import DEFAULT_PEOPLE_PER_VILLAGE, DEFAULT_SEED, village_plans
from qinglian.directory.codes import normalise_credit_code, parse_id_number
from qinglian.directory.models import (
    Company,
    Household,
    Person,
    Post,
    Region,
    RegionLevel,
    RelativeDeclaration,
    Shareholding,
    Term,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[DemoBuild]:
    # The suite's hasher (see the root conftest), set before its per-test fixture runs.
    with (
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield demo_county_build(finance_months=0)
        transaction.set_rollback(True)


def table_counts() -> dict[str, int]:
    models = (Region, Household, Person, Term, RelativeDeclaration, Company, Shareholding)
    counts = {model.__name__: model.objects.count() for model in models}
    counts["User"] = User.objects.count()
    counts["AuditEvent"] = AuditEvent.objects.count()
    return counts


def test_default_build_has_townships_villages_people_and_companies(demo):
    county = Region.objects.get(code="339901000000")
    assert county.name == "清河县" and county.level == RegionLevel.COUNTY
    levels = Counter(Region.objects.subtree(county.path).values_list("level", flat=True))
    assert levels[RegionLevel.TOWNSHIP] >= 2
    assert levels[RegionLevel.VILLAGE] == 12
    assert 24 <= levels[RegionLevel.VILLAGER_GROUP] <= 60
    assert Person.objects.count() >= 3000
    assert 90 <= Company.objects.count() <= 110
    assert demo.counts.people == Person.objects.count()
    assert demo.counts.companies == Company.objects.count()
    heads = Household.objects.annotate(
        heads=Count("members", filter=Q(members__is_household_head=True))
    )
    assert set(heads.values_list("heads", flat=True)) == {1}
    assert Person.objects.filter(is_party_member=True).exists()


def test_people_are_stored_as_the_directory_services_store_them(demo):
    layout = county_layout(seed=DEFAULT_SEED)
    planned = {
        parse_id_number(person.id_number, key=settings.PII_HASH_KEY): person
        for plan in village_plans(
            layout=layout, seed=DEFAULT_SEED, people_per_village=DEFAULT_PEOPLE_PER_VILLAGE
        )
        for person in plan.population.people
    }
    stored = {p.id_hash: p for p in Person.objects.select_related("region")}
    assert {identity.keyed_hash for identity in planned} == set(stored)
    for identity, plan in planned.items():
        person = stored[identity.keyed_hash]
        assert person.id_masked == identity.masked
        assert person.gender == identity.gender
        assert person.birth_date.isoformat() == identity.birth_date_iso
        assert person.name == plan.name
        assert person.region_path == person.region.path
        assert person.region.level == RegionLevel.VILLAGE


def test_companies_have_valid_codes_representatives_and_shares(demo):
    companies = Company.objects.annotate(total=Sum("shareholdings__percent"))
    for company in companies:
        assert normalise_credit_code(company.credit_code) == company.credit_code
        assert company.legal_representative_id is not None
        assert company.total is not None and 0 < company.total <= 100
        assert company.region_path == company.region.path
    assert companies.filter(is_contractor=True).exists()


def test_every_village_has_cadres_with_terms_and_declared_relatives(demo):
    for village in Region.objects.filter(level=RegionLevel.VILLAGE):
        current = Counter(
            Term.objects.filter(village=village, ended_on__isnull=True).values_list(
                "post", flat=True
            )
        )
        assert current[Post.DUAL_HEAD] == 1 or (
            current[Post.PARTY_SECRETARY] == 1 and current[Post.COMMITTEE_CHAIR] == 1
        )
        for post in (Post.SUPERVISION_CHAIR, Post.BOOKKEEPER, Post.INFO_OFFICER):
            assert current[post] == 1
    assert Term.objects.filter(ended_on__isnull=False).exists()
    relations = set(RelativeDeclaration.objects.values_list("relation", flat=True))
    assert {"spouse", "sibling", "child"} <= relations
    assert {"parent_in_law", "sibling_in_law"} & relations


def test_planted_companies_are_exactly_those_run_or_owned_by_cadres_relatives(demo):
    cadres = Term.objects.filter(ended_on__isnull=True).values("person")
    relatives = RelativeDeclaration.objects.filter(person__in=cadres).values("relative")
    flagged = Company.objects.filter(
        Q(legal_representative__in=relatives) | Q(shareholdings__person__in=relatives)
    ).distinct()
    assert len(demo.planted) >= 3
    assert {row.credit_code for row in demo.planted} == set(
        flagged.values_list("credit_code", flat=True)
    )
    for row in demo.planted:
        company = Company.objects.get(credit_code=row.credit_code)
        assert company.is_contractor and company.name == row.company
        owners = {company.legal_representative_id} | set(
            company.shareholdings.values_list("person_id", flat=True)
        )
        declaration = RelativeDeclaration.objects.get(
            person__name=row.cadre, relative__name=row.relative, relation=row.relation
        )
        assert declaration.relative_id in owners
        assert Term.objects.filter(person=declaration.person, post=row.post).exists()


def test_the_six_demo_accounts_log_in_with_the_demo_password(demo):
    for username in DEMO_USERNAMES:
        client = Client()
        response = client.post(
            "/accounts/login/", {"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, username
        assert client.session["_auth_user_id"] == str(User.objects.get(username=username).pk)
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert all(user.first_name and user.last_name for user in User.objects.all())


def test_accounts_hold_their_roles_over_their_regions(demo):
    first_township = Region.objects.get(code="339901100000")
    first_village, second_village = Region.objects.filter(parent=first_township)[:2]
    expected = {
        "admin": (Role.ADMIN, "339901000000"),
        "county": (Role.COUNTY_DISCIPLINE, "339901000000"),
        "township": (Role.TOWN_DISCIPLINE, first_township.code),
        "village": (Role.VILLAGE_CADRE, first_village.code),
        "village2": (Role.VILLAGE_CADRE, second_village.code),
        "supervisor": (Role.SUPERVISION_COMMITTEE, first_village.code),
    }
    held = {
        a.user.username: (a.role, a.region.code)
        for a in RoleAssignment.objects.select_related("user", "region")
    }
    assert held == expected


def test_cadre_accounts_belong_to_the_villages_office_holders(demo):
    first_village, second_village = Region.objects.filter(parent__code="339901100000").order_by(
        "code"
    )[:2]
    heads = {Post.DUAL_HEAD, Post.PARTY_SECRETARY}
    for username, village, posts in (
        ("village", first_village, heads),
        ("village2", second_village, heads),
        ("supervisor", first_village, {Post.SUPERVISION_CHAIR}),
    ):
        user = User.objects.get(username=username)
        assert user.person is not None
        assert user.person.name == user.last_name + user.first_name
        assert Term.objects.filter(
            person=user.person, village=village, post__in=posts, ended_on__isnull=True
        ).exists(), username


def test_village_account_reaches_its_village_only(demo):
    user = User.objects.get(username="village")
    first_village, second_village = Region.objects.filter(parent__code="339901100000").order_by(
        "code"
    )[:2]
    assert policy.region_paths(user) == [first_village.path]
    assert policy.access_region(user, first_village.code) == first_village
    for code in (second_village.code, "339901100000", "339901000000"):
        with pytest.raises(Http404):
            policy.access_region(user, code)
    visible = policy.visible(user, Person.objects.all())
    assert visible.exists()
    assert not visible.exclude(region=first_village).exists()


def test_one_audit_event_records_the_build(demo):
    events = AuditEvent.objects.filter(verb="demo.built")
    assert events.count() == 1
    event = events.get()
    assert event.actor is None
    assert event.target_id == str(demo.county.pk) and event.region_path == "339901"
    assert event.data["people"] == Person.objects.count()
    assert event.data["planted_conflicts"] == len(demo.planted)


def test_second_run_changes_nothing_and_prints_the_accounts(demo):
    before = table_counts()
    out = StringIO()
    call_command("demo", "--no-finance", stdout=out)
    assert table_counts() == before
    printed = out.getvalue()
    assert "demo county already built" in printed
    for username in DEMO_USERNAMES:
        assert username in printed
    assert DEMO_PASSWORD in printed
    with pytest.raises(DemoCountyExists):
        demo_county_build(finance_months=0)
    assert table_counts() == before


def test_first_village_has_a_published_and_an_open_sunshine_meeting(demo):
    from qinglian.demo.meetings import demo_meetings_build
    from qinglian.meetings.models import MeetingState, SunshineMeeting
    from qinglian.meetings.selectors import commitments_late, results
    from qinglian.transparency.models import LogEntry

    assert demo.meetings is not None
    assert (demo.meetings.published, demo.meetings.open) == (1, 1)
    q3, q4 = SunshineMeeting.objects.order_by("quarter")
    assert q3.village == q4.village == demo_village(demo)
    assert (q3.state, q4.state) == (MeetingState.PUBLISHED, MeetingState.OPEN)
    assert all(result.total > 0 for result in results(q3))
    assert q3.inquiries.count() == 2
    assert commitments_late(q3.commitments.all()).count() == 2
    assert LogEntry.objects.filter(record_type="sunshine_meeting", record_id=str(q3.pk)).exists()
    assert q4.reports.count() == q3.reports.count() > 0
    assert not q4.tokens.exists()
    assert (
        demo_meetings_build(county=demo.county, seed=0).published == 0
    )  # a second run adds nothing


def demo_village(demo) -> Region:
    return Region.objects.filter(
        path__startswith=demo.county.path, level=RegionLevel.VILLAGE
    ).earliest("path")
