"""Finance admin: read-only views of the books; thresholds are set here.

Vouchers, months, contracts and registers change only through the services (the
workbench, the import, the API), which keep corrections and history; the admin
shows them. Scoping is added by the policy-bound admin site (accounts).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from qinglian.core.admin import ReadOnlyAdmin
from qinglian.finance.models import (
    Asset,
    AssetChange,
    Contract,
    ContractInstalment,
    FundAccount,
    LedgerMonth,
    Resource,
    ResourceChange,
    Threshold,
    Voucher,
    VoucherLine,
)


class ReadOnlyInline(admin.TabularInline[Any, Any]):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(FundAccount)
class FundAccountAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "village", "bank_name", "number_tail", "opened_on"]
    list_filter = ["kind"]
    list_select_related = ["village"]


@admin.register(LedgerMonth)
class LedgerMonthAdmin(ReadOnlyAdmin):
    list_display = ["village", "month", "status", "revision", "published_revision"]
    list_filter = ["status"]
    list_select_related = ["village"]


class VoucherLineInline(ReadOnlyInline):
    model = VoucherLine
    fields = ["line_no", "summary", "subject", "account", "direction", "amount", "payment_method"]


@admin.register(Voucher)
class VoucherAdmin(ReadOnlyAdmin):
    list_display = ["number", "date", "summary", "village", "superseded_by"]
    list_select_related = ["village", "superseded_by"]
    search_fields = ["summary"]
    inlines = [VoucherLineInline]


@admin.register(Threshold)
class ThresholdAdmin(admin.ModelAdmin[Threshold]):
    list_display = ["key", "value", "region", "effective_from", "source"]
    list_filter = ["key"]
    list_select_related = ["region"]
    raw_id_fields = ["region"]


class InstalmentInline(ReadOnlyInline):
    model = ContractInstalment


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "kind", "village", "starts_on", "ends_on", "amount"]
    list_filter = ["kind", "status"]
    list_select_related = ["village"]
    search_fields = ["number", "title"]
    inlines = [InstalmentInline]


class AssetChangeInline(ReadOnlyInline):
    model = AssetChange


@admin.register(Asset)
class AssetAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "category", "status", "village", "current_value"]
    list_filter = ["category", "status"]
    list_select_related = ["village"]
    inlines = [AssetChangeInline]


class ResourceChangeInline(ReadOnlyInline):
    model = ResourceChange


@admin.register(Resource)
class ResourceAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "status", "area_mu", "village"]
    list_filter = ["kind", "status"]
    list_select_related = ["village"]
    inlines = [ResourceChangeInline]
