"""Audit events in the admin: read only. No way to add, change or delete one.

``ReadOnlyAdmin`` is the base of every admin that only shows rows written by services.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from qinglian.core.models import AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Shows rows; adds, changes and deletes none (services own those writes)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "verb", "target_type", "target_id", "target_label"]
    list_filter = ["verb", "target_type"]
    list_select_related = ["actor"]
    search_fields = ["target_label", "verb"]
