"""The demo villages' disclosures: every item due is published, with three planted deviations.

The county is built once for this module without books (so the monthly lists are
generated too), inside a transaction rolled back after.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from qinglian.core.models import AuditEvent
from qinglian.demo.builder import DemoBuild, demo_county_build
from qinglian.demo.disclosures import (
    CORRECTED_ITEM,
    DISCLOSURES_AS_OF,
    DISCLOSURES_BUILT_VERB,
    LATE_DAYS,
    LATE_ITEM,
    PlantedDisclosure,
    PlantedKind,
    demo_disclosures_build,
)
from qinglian.directory.models import Person, Region, RegionLevel
from qinglian.disclosures.calendar import Status, calendar
from qinglian.disclosures.masking import mask_name
from qinglian.disclosures.models import (
    CatalogItem,
    ContentKind,
    Disclosure,
    DisclosureVersion,
)
from qinglian.powers.models import Matter
from qinglian.transparency.models import LogEntry
from qinglian.transparency.services import log_reverify

pytestmark = pytest.mark.django_db
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
YEAR_BEFORE = date(2025, 12, 1)  # what the village page's calendar covers (12 months)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[DemoBuild]:
    with (
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield demo_county_build(finance_months=0)
        transaction.set_rollback(True)


def villages() -> list[Region]:
    return list(Region.objects.filter(level=RegionLevel.VILLAGE).order_by("path"))


def planted(demo: DemoBuild, kind: str) -> list[PlantedDisclosure]:
    assert demo.disclosures is not None
    return [row for row in demo.disclosures.planted if row.kind == kind]


def lines_of(village: Region) -> list[Any]:
    return calendar([village], YEAR_BEFORE, DISCLOSURES_AS_OF, today=DISCLOSURES_AS_OF)


def test_every_village_but_the_first_published_everything_due_on_time(demo):
    first, *others = villages()
    for village in others:
        lines = lines_of(village)
        periodic = {line.item.code for line in lines if line.period_key[:1].isdigit()}
        assert {"VA15", "VA20", "PA05", "FA01", "FA03"} <= periodic
        assert {line.status for line in lines} == {Status.PUBLISHED}, village.name
    # The resolutions and the result of its power matters (demo.matters) wait for the
    # supervision committee: due, none overdue.
    from_matters = set(
        Matter.objects.filter(village=first).values_list("resolution_disclosure_id", flat=True)
    ) | set(Matter.objects.filter(village=first).values_list("result_disclosure_id", flat=True))
    lines = lines_of(first)
    waiting = [line for line in lines if line.disclosure and line.disclosure.pk in from_matters]
    assert {line.item.code for line in waiting} == {"VA06", "VA07"}
    assert {line.status for line in waiting} == {Status.DUE}
    statuses = {
        (line.item.code, line.period_key): line.status for line in lines if line not in waiting
    }
    assert statuses.pop(LATE_ITEM[1:]) == Status.LATE
    assert statuses.pop(("VA05", "standing")) == Status.OVERDUE
    assert statuses.pop(("VA22", "2026-10")) == Status.OVERDUE
    assert set(statuses.values()) == {Status.PUBLISHED}


def test_the_catalog_items_are_published_with_their_periods(demo):
    village = villages()[3]
    published = Disclosure.objects.filter(village=village, versions_published__gt=0)
    by_item: dict[str, list[str]] = {}
    for disclosure in published.order_by("period_key"):
        by_item.setdefault(disclosure.item_code, []).append(disclosure.period_key)
    assert by_item["VA15"] == [
        f"{y}-Q{q}"
        for y, q in [(2024, 4), *((2025, q) for q in (1, 2, 3, 4)), (2026, 1), (2026, 2), (2026, 3)]
    ]
    assert len(by_item["VA20"]) == len(by_item["FA01"]) == 24
    assert by_item["VA20"][0] == "2024-11" and by_item["VA20"][-1] == "2026-10"
    assert by_item["PA04"] == ["2024-H2", "2025-H1", "2025-H2", "2026-H1"]
    assert by_item["FA03"] == ["2024", "2025"]
    for code in ("PA01", "VA01", "VA02", "VA04", "VA05"):
        assert by_item[code] == ["standing"]
    assert [key[:1] for key in by_item["VA08"] + by_item["FA10"]] == ["E", "E"]
    for disclosure in published.exclude(period_key="standing"):
        assert disclosure.due_on is not None
        posted = timezone.localdate(disclosure.first_published_at)
        assert disclosure.due_on - timedelta(days=7) <= posted <= disclosure.due_on, disclosure


def test_the_late_item_is_shown_late_on_the_village_page(demo, client):
    [row] = planted(demo, PlantedKind.LATE)
    late = Disclosure.objects.get(
        village__code=row.village, item_code=row.item, period_key=row.period
    )
    assert late.published_late
    assert late.due_on is not None and late.first_published_at is not None
    assert timezone.localdate(late.first_published_at) == late.due_on + timedelta(days=LATE_DAYS)
    page = client.get(f"/v/{row.village}/").content.decode()
    assert f"逾期：应于{late.due_on:%Y-%m-%d}前公开" in page


def test_the_correction_keeps_the_first_version_and_says_why(demo, client):
    [row] = planted(demo, PlantedKind.CORRECTED)
    assert (row.item, row.period) == CORRECTED_ITEM[1:]
    corrected = Disclosure.objects.get(
        village__code=row.village, item_code=row.item, period_key=row.period
    )
    first, second = DisclosureVersion.objects.filter(disclosure=corrected).order_by("number")
    assert second.change_reason and "更正为" in second.change_reason
    assert first.content["table"]["rows"][0] != second.content["table"]["rows"][0]
    assert first.content["table"]["rows"][1:] == second.content["table"]["rows"][1:]
    assert second.published_at > first.published_at
    old = client.get(f"/v/{row.village}/d/{corrected.pk}/?v=1").content.decode()
    assert first.content["table"]["rows"][0][3] in old
    current = client.get(f"/v/{row.village}/d/{corrected.pk}/").content.decode()
    assert second.change_reason in current


def test_the_missing_items_are_listed_as_not_published(demo, client):
    missing = planted(demo, PlantedKind.MISSING)
    assert {(row.item, row.period) for row in missing} == {
        ("VA05", "standing"),
        ("VA22", "2026-10"),
    }
    code = missing[0].village
    assert not Disclosure.objects.filter(
        village__code=code, item_code="VA05", versions_published__gt=0
    ).exists()
    assert not Disclosure.objects.filter(
        village__code=code, item_code="VA22", period_key="2026-10"
    ).exists()
    page = client.get(f"/v/{code}/").content.decode()
    overdue = page[page.index('id="overdue"') : page.index('class="tabs"')]
    for item in ("VA05", "VA22"):
        title = CatalogItem.objects.filter(code=item).values_list("title_zh", flat=True)[0]
        assert title in overdue


def test_lists_of_people_name_villagers_masked(demo):
    village = villages()[2]
    names = set(Person.objects.filter(region=village).values_list("name", flat=True))
    masked = re.compile(r"^.\*+.?$")
    for item, column in (("VA15", 0), ("VA20", 0), ("VA16", 0)):
        versions = DisclosureVersion.objects.filter(
            disclosure__village=village, disclosure__item_code=item
        )
        assert versions
        for version in versions:
            for row in version.content["table"]["rows"]:
                assert masked.match(row[column]), row
                assert row[column] not in names
                assert any(mask_name(n) == row[column] for n in names)  # a villager's


def test_villages_without_books_get_monthly_lists_shaped_like_statements(demo):
    village = villages()[1]
    versions = DisclosureVersion.objects.filter(
        disclosure__village=village, disclosure__item_code="FA01"
    ).order_by("disclosure__period_key")
    assert len(versions) == 24
    closing = None
    for version in versions:
        content = version.content
        assert version.kind == ContentKind.STATEMENT and version.record_type == "disclosure"
        assert set(content) >= {"income", "expense", "income_total", "expense_total", "accounts"}
        for side in ("income", "expense"):
            total = sum(float(g["total"]) for g in content[side])
            assert round(total, 2) == float(content[f"{side}_total"])
        bank = next(a for a in content["accounts"] if a["kind"] == "bank")
        if closing is not None:
            assert bank["opening"] == closing
        closing = bank["closing"]


def test_every_publication_is_in_the_log_and_the_log_reverifies(demo):
    versions = DisclosureVersion.objects.all()
    assert demo.disclosures.counts.versions == versions.count() > 12 * 150
    logged = dict(
        LogEntry.objects.filter(record_type="disclosure").values_list("record_id", "index")
    )
    assert {v.record_id: v.log_index for v in versions} == logged
    assert log_reverify() == []


def test_the_build_is_recorded_and_a_second_run_adds_nothing(demo):
    [event] = AuditEvent.objects.filter(verb=DISCLOSURES_BUILT_VERB)
    assert event.data["versions"] == demo.disclosures.counts.versions
    assert event.data["planted"]
    again = demo_disclosures_build(county=demo.county, seed=event.data["seed"])
    assert again.counts.versions == 0
    assert AuditEvent.objects.filter(verb=DISCLOSURES_BUILT_VERB).count() == 1


def test_the_command_refuses_too_many_disclosure_months():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="disclosure-months"):
        call_command("demo", "--disclosure-months", "61")
