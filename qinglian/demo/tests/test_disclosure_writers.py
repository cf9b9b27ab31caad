"""The bulk writer of the demo's disclosures stores exactly what the services store."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from qinglian.demo.builder import demo_county_build
from qinglian.demo.disclosures import (
    DISCLOSURES_AS_OF,
    VillageFacts,
    _publish_with_services,
    _write_in_bulk,
    village_plans,
)
from qinglian.directory.models import Person, Region
from qinglian.disclosures.models import (
    Disclosure,
    DisclosureDraft,
    DisclosureVersion,
    Frequency,
)
from qinglian.disclosures.selectors import catalog_for
from qinglian.transparency.models import LogEntry

pytestmark = pytest.mark.django_db
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _stored(village: Region) -> dict[str, Any]:
    disclosures = Disclosure.objects.filter(village=village)
    key = ("item_code", "period_key")
    return {
        "disclosures": sorted(
            disclosures.values_list(
                *key,
                "category",
                "title",
                "period_start",
                "period_end",
                "due_on",
                "first_published_at",
                "last_published_at",
                "versions_published",
                "search_text",
            )
        ),
        "drafts": sorted(
            DisclosureDraft.objects.filter(disclosure__village=village).values_list(
                "disclosure__item_code",
                "disclosure__period_key",
                "state",
                "kind",
                "body",
                "table",
                "change_reason",
                "source",
                "reviewed_at",
                "review_comment",
                "prepared_by",
                "reviewed_by",
            ),
            key=repr,
        ),
        "versions": sorted(
            DisclosureVersion.objects.filter(disclosure__village=village).values_list(
                "disclosure__item_code",
                "disclosure__period_key",
                "number",
                "kind",
                "content",
                "change_reason",
                "published_at",
                "published_by",
                "record_type",
                "record_id",
                "log_index",
            ),
            key=repr,
        ),
        "log": list(
            LogEntry.objects.filter(region_path=village.path, record_type="disclosure")
            .order_by("index")
            .values_list("index", "leaf_hash", "entry", "record_id", "published_at")
        ),
    }


def test_the_bulk_writer_stores_exactly_what_the_services_store():
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        build = demo_county_build(villages=3, finance_months=0, disclosure_months=0)
    village = Region.objects.filter(parent__parent=build.county).order_by("path").first()
    assert village is not None
    facts = VillageFacts(
        region=village,
        ordinal=0,  # the planted village: a late item, a correction, items missing
        villagers=list(Person.objects.filter(region=village).values_list("name", flat=True)),
        cadres=[("party_secretary", "陈建国"), ("supervision_chair", "王秀英")],
        with_books=True,
    )
    catalog = catalog_for(village, DISCLOSURES_AS_OF)
    assert catalog is not None
    plans = village_plans(facts, list(catalog.items.order_by("order")), seed=7, months=5)
    kinds = {plan.item.frequency for plan in plans}
    assert {Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.STANDING, Frequency.EVENT} <= kinds
    assert any(len(plan.versions) == 2 for plan in plans)
    stored = {}
    for name, write in (
        ("services", lambda: [_publish_with_services(plan) for plan in plans]),
        ("bulk", lambda: _write_in_bulk(plans)),
    ):
        with transaction.atomic():
            write()
            stored[name] = _stored(village)
            transaction.set_rollback(True)
    assert stored["bulk"]["log"] and stored["bulk"]["versions"]
    for part in ("disclosures", "drafts", "versions", "log"):
        assert stored["bulk"][part] == stored["services"][part], part
