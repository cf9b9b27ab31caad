"""Disclosure catalog admin: a region edits its own catalog versions.

The national default (no region) is shipped data and is not shown here.
Scoping is added by the policy-bound admin site (accounts).
"""

from __future__ import annotations

from django.contrib import admin

from qinglian.disclosures.models import Catalog, CatalogItem


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
