"""Thresholds in force: nearest region first, then the latest date; and setting them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from qinglian.core.errors import DomainError
from qinglian.core.models import AuditEvent
from qinglian.directory.factories import region
from qinglian.directory.models import RegionLevel
from qinglian.finance.models import Threshold, ThresholdKey
from qinglian.finance.thresholds import (
    ancestor_paths,
    threshold_set,
    threshold_table,
    threshold_value,
    threshold_values,
)

pytestmark = pytest.mark.django_db

LEASE = ThresholdKey.LEASE_MAX_YEARS
CASH = ThresholdKey.CASH_ON_HAND_LIMIT
ON = date(2025, 6, 1)


def put(area, key, value, effective_from=date(2020, 1, 1)) -> Threshold:
    return Threshold.objects.create(
        region=area, key=key, value=Decimal(value), effective_from=effective_from
    )


def test_ancestor_paths_of_a_village():
    assert ancestor_paths("339901100201") == ["339901", "339901100", "339901100201"]
    assert ancestor_paths("339901") == ["339901"]


def test_a_village_without_settings_gets_every_national_default(tree):
    values = threshold_values(tree.village_a1, ON)
    assert set(values) == set(ThresholdKey.values)
    assert values[LEASE] == Decimal("20")
    assert values[ThresholdKey.RENT_BELOW_NORM_RATIO] == Decimal("0.7")


def test_the_nearest_region_wins(tree):
    put(tree.county, CASH, "4000")
    put(tree.town_a, CASH, "3000")
    assert threshold_value(tree.village_a1, CASH, ON) == Decimal("3000")
    assert threshold_value(tree.village_b1, CASH, ON) == Decimal("4000")
    put(tree.village_a1, CASH, "2000")
    assert threshold_value(tree.village_a1, CASH, ON) == Decimal("2000")
    assert threshold_value(tree.village_a2, CASH, ON) == Decimal("3000")


def test_another_branch_of_the_tree_does_not_apply(tree):
    put(tree.town_b, CASH, "100")
    put(tree.village_a2, CASH, "200")
    assert threshold_value(tree.village_a1, CASH, ON) == Decimal("5000")


def test_the_latest_value_not_after_the_date_wins(tree):
    put(tree.county, CASH, "4000", date(2021, 1, 1))
    put(tree.county, CASH, "3500", date(2025, 1, 1))
    put(tree.county, CASH, "1000", date(2026, 1, 1))
    assert threshold_value(tree.village_a1, CASH, date(2020, 12, 31)) == Decimal("5000")
    assert threshold_value(tree.village_a1, CASH, date(2024, 12, 31)) == Decimal("4000")
    assert threshold_value(tree.village_a1, CASH, date(2025, 1, 1)) == Decimal("3500")
    assert threshold_value(tree.village_a1, CASH, date(2026, 1, 1)) == Decimal("1000")


def test_a_nearer_region_wins_over_a_later_date(tree):
    put(tree.town_a, CASH, "3000", date(2020, 1, 1))
    put(tree.county, CASH, "4000", date(2024, 1, 1))
    assert threshold_value(tree.village_a1, CASH, ON) == Decimal("3000")


def test_every_key_for_a_village_costs_one_query(tree, django_assert_num_queries):
    put(tree.county, CASH, "4000")
    put(tree.town_a, LEASE, "15")
    with django_assert_num_queries(1):
        values = threshold_values(tree.village_a1, ON)
    assert values[CASH] == Decimal("4000")
    assert values[LEASE] == Decimal("15")


def test_a_table_resolves_many_villages_and_dates_from_one_query(tree, django_assert_num_queries):
    put(tree.town_a, LEASE, "15", date(2024, 1, 1))
    with django_assert_num_queries(1):
        table = threshold_table([tree.village_a1, tree.village_b1], ON)
    assert table.values(tree.village_a1, ON)[LEASE] == Decimal("15")
    assert table.values(tree.village_a1, date(2023, 1, 1))[LEASE] == Decimal("20")
    assert table.values(tree.village_b1, ON)[LEASE] == Decimal("20")


def test_no_value_in_force_is_a_lookup_error(tree):
    with pytest.raises(LookupError):
        threshold_value(tree.village_a1, CASH, date(1999, 12, 31))


def test_threshold_set_adds_a_value_and_audits_it(tree, county_officer):
    threshold = threshold_set(
        actor=county_officer,
        region=tree.county,
        key=LEASE,
        value=Decimal("15"),
        effective_from=date(2025, 1, 1),
        source=" 县农经发〔2024〕9号 ",
    )
    assert threshold.source == "县农经发〔2024〕9号"
    assert threshold_value(tree.village_a1, LEASE, ON) == Decimal("15")
    assert threshold_value(tree.village_a1, LEASE, date(2024, 12, 31)) == Decimal("20")
    event = AuditEvent.objects.get(verb="threshold.set")
    assert event.actor == county_officer
    assert event.target_id == str(threshold.pk)
    assert event.region_path == tree.county.path
    assert event.data == {"key": LEASE, "value": "15", "from": "2025-01-01"}


def test_setting_again_on_the_same_date_replaces_and_keeps_the_old_value_in_the_audit(
    tree, county_officer
):
    first = threshold_set(
        actor=county_officer,
        region=tree.county,
        key=CASH,
        value=Decimal("3000"),
        effective_from=date(2025, 1, 1),
    )
    again = threshold_set(
        actor=county_officer,
        region=tree.county,
        key=CASH,
        value=Decimal("3500"),
        effective_from=date(2025, 1, 1),
    )
    assert again.pk == first.pk
    assert Threshold.objects.get(pk=first.pk).value == Decimal("3500")
    assert Threshold.objects.filter(region=tree.county, key=CASH).count() == 1
    latest = AuditEvent.objects.filter(verb="threshold.set").order_by("-id").first()
    assert latest is not None
    assert latest.data["previous"] == "3000.00"


def test_a_national_value_can_be_set(tree, admin_operator):
    threshold_set(
        actor=admin_operator,
        region=None,
        key=CASH,
        value=Decimal("6000"),
        effective_from=date(2025, 1, 1),
    )
    assert threshold_value(tree.village_b1, CASH, ON) == Decimal("6000")
    assert AuditEvent.objects.get(verb="threshold.set").region_path == ""


@pytest.mark.parametrize(
    ("key", "value", "field"),
    [
        ("no_such_key", "1", "key"),
        (CASH, "-1", "value"),
        (LEASE, "0", "value"),
        (LEASE, "20.5", "value"),
        (ThresholdKey.CASH_DEPOSIT_DAYS, "2.5", "value"),
        (ThresholdKey.RENT_BELOW_NORM_RATIO, "70", "value"),
        (ThresholdKey.RENT_BELOW_NORM_RATIO, "0", "value"),
    ],
)
def test_threshold_set_refuses_bad_values_and_writes_nothing(
    tree, county_officer, key, value, field
):
    before = (Threshold.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as refused:
        threshold_set(
            actor=county_officer,
            region=tree.county,
            key=key,
            value=Decimal(value),
            effective_from=date(2025, 1, 1),
        )
    assert refused.value.field == field
    assert (Threshold.objects.count(), AuditEvent.objects.count()) == before


def test_threshold_set_refuses_a_villager_group(tree, village_cadre):
    group = region("339901100201001", "一组", RegionLevel.VILLAGER_GROUP, tree.village_a1)
    with pytest.raises(DomainError) as refused:
        threshold_set(
            actor=village_cadre,
            region=group,
            key=CASH,
            value=Decimal("1000"),
            effective_from=date(2025, 1, 1),
        )
    assert refused.value.field == "region"
    assert not Threshold.objects.filter(region=group).exists()


def test_threshold_set_refuses_an_overlong_source(tree, county_officer):
    with pytest.raises(DomainError) as refused:
        threshold_set(
            actor=county_officer,
            region=tree.county,
            key=CASH,
            value=Decimal("1000"),
            effective_from=date(2025, 1, 1),
            source="x" * 201,
        )
    assert refused.value.field == "source"
