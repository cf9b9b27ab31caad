"""A county whose villages publish no monthly lists still gets its mailbox: the questions
about lines become plain questions (the smallest county, built and rolled back)."""

from __future__ import annotations

import pytest
from django.test import override_settings

from qinglian.appeals.models import Appeal, PublishedAnswer
from qinglian.demo.appeals import Planted
from qinglian.demo.builder import demo_county_build

pytestmark = pytest.mark.django_db


def test_a_small_county_without_lists_still_gets_its_cases():
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        build = demo_county_build(villages=3, finance_months=0, disclosure_months=0)
    assert build.appeals is not None and build.appeals.counts.cases == Appeal.objects.count()
    assert build.appeals.counts.cases >= 20
    assert not PublishedAnswer.objects.exists()  # no list to ask about
    kinds = {row.kind for row in build.appeals.planted}
    assert Planted.LINE_QUESTION not in kinds and Planted.REPORT_NAMING_CADRE in kinds
