"""Subtree queries: one indexed range per root, right under any collation."""

from __future__ import annotations

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from qinglian.directory.codes import path_upper_bound
from qinglian.directory.factories import PersonFactory, region
from qinglian.directory.models import Region
from qinglian.directory.selectors import people_in

digits = st.text(alphabet="0123456789", min_size=1, max_size=15)


@given(digits, digits)
def test_range_matches_prefix_for_any_digit_strings(path, candidate):
    upper = path_upper_bound(path)
    in_range = path <= candidate and (upper is None or candidate < upper)
    assert in_range == candidate.startswith(path)


def test_all_nines_has_no_upper_bound():
    assert path_upper_bound("999") is None
    assert path_upper_bound("339999") == "340000"


def test_subtree_is_one_query_and_exact(tree, django_assert_num_queries):
    region("339901100210", "边界村", "village", tree.town_a)
    with django_assert_num_queries(1):
        names = set(Region.objects.subtree(tree.town_a.path).values_list("name", flat=True))
    assert names == {"青山镇", "上塘村", "下塘村", "边界村"}


def test_people_of_a_township_in_one_query(tree, django_assert_num_queries):
    PersonFactory.create(region=tree.village_a1, name="甲")
    PersonFactory.create(region=tree.village_a2, name="乙")
    PersonFactory.create(region=tree.village_b1, name="丙")
    with django_assert_num_queries(1):
        names = {p.name for p in people_in(tree.town_a)}
    assert names == {"甲", "乙"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ICU collations are PostgreSQL's")
@pytest.mark.django_db
def test_bounds_hold_under_chinese_collation():
    """Under zh-Hans-CN ICU collation the range still selects exactly the prefix."""
    samples = ["339901100", "339901100201", "339901100999", "339901101", "339901101201"]
    values = ",".join(f"('{s}')" for s in samples)
    upper = path_upper_bound("339901100")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p FROM (VALUES {values}) AS t(p) "  # noqa: S608 (fixed test literals)
            'WHERE p COLLATE "zh-Hans-CN-x-icu" >= %s AND p COLLATE "zh-Hans-CN-x-icu" < %s',
            ["339901100", upper],
        )
        selected = sorted(row[0] for row in cursor.fetchall())
    assert selected == ["339901100", "339901100201", "339901100999"]
