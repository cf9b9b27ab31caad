"""Disclosure catalog admin: a region edits its own catalog versions.

The national default (no region) is shipped data and is not shown here.
Scoping is added by the policy-bound admin site (accounts).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from qinglian.core.admin import ReadOnlyAdmin
from qinglian.disclosures.models import Catalog, CatalogItem, Disclosure, DisclosureVersion


class CatalogItemInline(admin.TabularInline[CatalogItem, Catalog]):
    model = CatalogItem
    extra = 0
    fields = [
        "order",
        "code",
        "category",
        "frequency",
        "title_zh",
        "title_en",
        "due_day",
        "event_days",
    ]


@admin.register(Catalog)
class CatalogAdmin(admin.ModelAdmin[Catalog]):
    list_display = ["region", "version", "effective_from", "note"]
    list_select_related = ["region"]
    raw_id_fields = ["region"]
    inlines = [CatalogItemInline]


class DisclosureVersionInline(admin.TabularInline[DisclosureVersion, Disclosure]):
    """Published versions, frozen: shown, never changed (the database refuses it too)."""

    model = DisclosureVersion
    extra = 0
    fields = readonly_fields = (
        "number",
        "kind",
        "published_at",
        "change_reason",
        "record_id",
        "log_index",
    )
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Disclosure)
class DisclosureAdmin(ReadOnlyAdmin):
    """Disclosures change through drafts, the committee's review and publication only."""

    list_display = ["village", "item_code", "period_key", "title", "versions_published"]
    list_filter = ["category", "item_code"]
    list_select_related = ["village"]
    search_fields = ["title", "village__name"]
    inlines = [DisclosureVersionInline]


@admin.register(DisclosureVersion)
class DisclosureVersionAdmin(ReadOnlyAdmin):
    list_display = ["disclosure", "number", "kind", "published_at", "log_index"]
    list_select_related = ["disclosure__village"]
