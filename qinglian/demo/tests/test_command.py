"""`qinglian demo` on an empty database: a larger county, and the refusals."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core.management import CommandError, call_command

from conftest import make_user
from qinglian import settings as project_settings
from qinglian.accounts.models import User
from qinglian.demo.accounts import DEMO_PASSWORD, DEMO_USERNAMES
from qinglian.directory.models import Company, Person, Region, RegionLevel

pytestmark = pytest.mark.django_db


def test_forty_village_build_spreads_villages_and_prints_its_summary(settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS  # Argon2, as deployed
    out = StringIO()
    # Without books: 40 villages of two years' vouchers would take most of a minute.
    call_command(
        "demo", "--villages", "40", "--people-per-village", "100", "--no-finance", stdout=out
    )
    townships = Region.objects.filter(level=RegionLevel.TOWNSHIP)
    assert townships.count() == 2
    assert all(t.children.count() == 20 for t in townships)
    assert Person.objects.count() == 4000
    assert 300 <= Company.objects.count() <= 360
    assert set(User.objects.values_list("username", flat=True)) == set(DEMO_USERNAMES)
    village = User.objects.get(username="village")
    assert identify_hasher(village.password).algorithm == "argon2"
    assert village.check_password(DEMO_PASSWORD)
    printed = out.getvalue()
    assert "Built the demo county 清河县" in printed
    assert "planted relatives-of-cadres among companies" in printed
    assert "legal representative" in printed or "shareholder" in printed
    for username in DEMO_USERNAMES:
        assert username in printed
    assert DEMO_PASSWORD in printed


@pytest.mark.parametrize(
    "arguments",
    [
        ("--villages", "2"),
        ("--people-per-village", "10"),
        ("--seed", "-1"),
        ("--finance-months", "25"),
    ],
)
def test_out_of_range_arguments_are_refused(arguments):
    with pytest.raises(CommandError):
        call_command("demo", *arguments, stdout=StringIO())
    assert not Region.objects.exists()


def test_a_taken_demo_username_is_refused_before_anything_is_written():
    make_user("admin", None, None)
    with pytest.raises(CommandError, match="admin"):
        call_command("demo", "--villages", "3", "--people-per-village", "60", stdout=StringIO())
    assert not Region.objects.exists()
    assert not Person.objects.exists()
