from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from qinglian.core.errors import DomainError
from qinglian.core.models import AuditEvent
from qinglian.disclosures.models import Catalog, CatalogItem, Category
from qinglian.disclosures.selectors import catalog_for
from qinglian.disclosures.services import catalog_adopt


def test_the_default_catalog_ships_with_every_category(db):
    catalog = Catalog.objects.get(region__isnull=True)
    items = list(catalog.items.order_by("order"))
    assert len(items) == 47
    assert {item.category for item in items} == {Category.PARTY, Category.VILLAGE, Category.FINANCE}
    monthly_list = catalog.items.get(code="FA01")
    assert monthly_list.frequency == "monthly"
    assert "月度财务收支明细" in monthly_list.title_zh


def test_titles_follow_the_language_of_the_page(db):
    item = CatalogItem.objects.get(catalog__region__isnull=True, code="FA01")
    with translation.override("zh-hans"):
        assert item.title == item.title_zh
    with translation.override("en"):
        assert item.title == item.title_en


def test_a_village_follows_the_nearest_catalog_in_force(tree, township_commission):
    national = Catalog.objects.get(region__isnull=True)
    assert catalog_for(tree.village_a1, date(2025, 1, 1)) == national
    township = catalog_adopt(
        actor=township_commission, region=tree.town_a, effective_from=date(2025, 7, 1)
    )
    township.items.filter(code="FA01").update(due_day=5)
    assert catalog_for(tree.village_a1, date(2025, 6, 30)) == national
    assert catalog_for(tree.village_a1, date(2025, 7, 1)) == township
    assert catalog_for(tree.village_b1, date(2025, 7, 1)) == national  # another township
    assert township.items.count() == 47
    assert national.items.get(code="FA01").due_day is None  # the shipped catalog is untouched
    assert AuditEvent.objects.filter(verb="disclosure_catalog.adopted").count() == 1


def test_a_second_version_on_the_same_date_is_refused(tree, township_commission):
    catalog_adopt(actor=township_commission, region=tree.town_a, effective_from=date(2025, 7, 1))
    with pytest.raises(DomainError) as refused:
        catalog_adopt(
            actor=township_commission, region=tree.town_a, effective_from=date(2025, 7, 1)
        )
    assert refused.value.field == "effective_from"
    later = catalog_adopt(
        actor=township_commission, region=tree.town_a, effective_from=date(2026, 1, 1)
    )
    assert later.version == 2
