"""The public village page shows what is published, stamped with its place in the log."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import transaction
from django.test import Client

from qinglian.directory.factories import PersonFactory
from qinglian.directory.models import Term
from qinglian.transparency.records import cadre_term_content
from qinglian.transparency.services import checkpoint_sign, log_append


def appoint(tree, name: str, *, publish: bool) -> Term:
    person = PersonFactory.create(region=tree.village_a1, name=name)
    term = Term.objects.create(
        person=person, village=tree.village_a1, post="party_secretary", started_on=date(2021, 3, 1)
    )
    if publish:
        with transaction.atomic():
            log_append(
                record_type="cadre_term",
                record_id=str(term.pk),
                region_path=tree.village_a1.path,
                content=cadre_term_content(str(term.pk)) or {},
                published_at=datetime(2021, 3, 2, tzinfo=UTC),
            )
    return term


def test_published_roster_lines_show_their_log_stamp(tree):
    appoint(tree, "张书记", publish=True)
    appoint(tree, "无名氏", publish=False)
    checkpoint_sign()
    response = Client().get(f"/v/{tree.village_a1.code}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "张书记" in text and "村党组织书记" in text
    assert "无名氏" not in text  # not in the log, so not published
    assert "#0 · " in text and 'href="/log/entries/0"' in text
    assert 'id="log-checkpoint"' in text and 'href="/log/checkpoint"' in text


def test_village_page_works_before_anything_is_published(tree):
    text = Client().get(f"/v/{tree.village_a1.code}/").content.decode()
    assert "尚未公布" in text or "not published" in text


def test_unknown_village_is_404(tree):
    assert Client().get("/v/339901100299/").status_code == 404
    assert Client().get(f"/v/{tree.town_a.code}/").status_code == 404  # not a village


@pytest.mark.parametrize("cadres", [1, 8])
def test_village_page_costs_fixed_queries(tree, cadres, django_assert_num_queries):
    for n in range(cadres):
        appoint(tree, f"干部{n}", publish=True)
    Client().get(f"/v/{tree.village_a2.code}/")  # makes the day's visitor key
    # the village with its stored page (none yet), its log entries and visits; the
    # village, its log entries; the body: catalogs, items, disclosures, latest,
    # roster, their log entries, checkpoint; the page kept (update_or_create: two
    # savepoints, a read, an insert, two releases)
    with django_assert_num_queries(16):
        assert Client().get(f"/v/{tree.village_a1.code}/").status_code == 200
    with django_assert_num_queries(1):  # the stored page, fresh
        assert Client().get(f"/v/{tree.village_a1.code}/").status_code == 200


def test_village_page_is_light_for_a_cheap_phone(tree):
    for n in range(12):
        appoint(tree, f"干部{n}", publish=True)
    html = Client().get(f"/v/{tree.village_a1.code}/").content
    from pathlib import Path

    css = (
        Path(__file__).resolve().parents[2] / "core" / "static" / "core" / "site.css"
    ).read_bytes()
    assert len(html) + len(css) < 100_000


def test_roster_follows_the_order_of_posts(tree):
    bookkeeper = appoint(tree, "记账员", publish=False)
    bookkeeper.post = "bookkeeper"
    bookkeeper.save(update_fields=["post"])
    with transaction.atomic():
        log_append(
            record_type="cadre_term",
            record_id=str(bookkeeper.pk),
            region_path=tree.village_a1.path,
            content={},
            published_at=datetime(2021, 3, 2, tzinfo=UTC),
        )
    appoint(tree, "书记", publish=True)
    text = Client().get(f"/v/{tree.village_a1.code}/").content.decode()
    assert text.index("书记") < text.index("记账员")
