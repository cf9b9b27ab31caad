"""The admin site, bound to the access policy.

Every ModelAdmin registered here, by any app, is wrapped (with its inlines) so
that its querysets, its object lookups and its foreign-key choices go through
``policy.visible``, and every save or delete writes an audit event. Only
operators (``is_staff`` and the ``admin`` role) reach the admin at all, and only
within the regions they hold that role over. Operator accounts are Django
superusers so that model permissions never stand in the way; which rows they
see is decided here, by the policy, never by ``is_superuser``. A model that
declares no ``access_region_path`` cannot be registered: there would be no way
to scope it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from qinglian.accounts import policy
from qinglian.accounts.models import Role
from qinglian.core.audit import audit_record

ADMIN_ROLES = frozenset({Role.ADMIN})
# Registered by Django's own apps, unused here: access comes from roles over regions.
UNUSED_MODELS = frozenset({"auth.group", "auth.user"})


class PolicyAdminMixin:
    """Scopes a ModelAdmin to the requesting operator's regions, with recusal."""

    model: type[models.Model]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        scoped = policy.visible(request.user, queryset, roles=ADMIN_ROLES)
        if "__" in self.model.access_region_path:  # type: ignore[attr-defined]
            scoped = scoped.distinct()
        return scoped

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        related = db_field.related_model
        if "queryset" not in kwargs and hasattr(related, "access_region_path"):
            kwargs["queryset"] = policy.visible(
                request.user, related._default_manager.all(), roles=ADMIN_ROLES
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        verb = "admin.changed" if change else "admin.added"
        changed = sorted(form.changed_data) if form is not None else []
        audit_record(
            actor=request.user,
            verb=verb,
            target=obj,
            region_path=_region_path_of(obj),
            data={"fields": changed},
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit_record(
            actor=request.user, verb="admin.deleted", target=obj, region_path=_region_path_of(obj)
        )
        super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            audit_record(
                actor=request.user,
                verb="admin.deleted",
                target=obj,
                region_path=_region_path_of(obj),
            )
        super().delete_queryset(request, queryset)  # type: ignore[misc]


def _region_path_of(obj: models.Model) -> str:
    """Follow the model's access_region_path to the row's path ("" if it fans out)."""
    value: Any = obj
    for part in type(obj).access_region_path.split("__"):  # type: ignore[attr-defined]
        value = getattr(value, part, None)
        if value is None or hasattr(value, "all"):
            return ""
    return str(value)


class PolicyInlineMixin:
    """Scopes an inline's rows and its foreign-key choices like its parent admin."""

    model: type[models.Model]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        return policy.visible(request.user, queryset, roles=ADMIN_ROLES)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        _scope_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


def _scope_choices(db_field: Any, request: HttpRequest, kwargs: dict[str, Any]) -> None:
    """Offer (and accept) only related rows the operator may see."""
    related = db_field.related_model
    if "queryset" not in kwargs and hasattr(related, "access_region_path"):
        kwargs["queryset"] = policy.visible(
            request.user, related._default_manager.all(), roles=ADMIN_ROLES
        )


class PolicyAdminSite(admin.AdminSite):
    site_header = "Qinglian"
    site_title = "Qinglian"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(
            user.is_active and user.is_staff and policy.region_paths(user, roles=ADMIN_ROLES)
        )

    def register(
        self,
        model_or_iterable: Any,
        admin_class: type[admin.ModelAdmin[Any]] | None = None,
        **options: Any,
    ) -> None:
        models_ = (
            [model_or_iterable] if isinstance(model_or_iterable, type) else list(model_or_iterable)
        )
        base = admin_class or admin.ModelAdmin
        for model in models_:
            if model._meta.label_lower in UNUSED_MODELS:  # type: ignore[attr-defined]
                continue
            if not hasattr(model, "access_region_path"):
                raise TypeError(
                    f"{model.__name__} declares no access_region_path; "
                    "the admin cannot scope it to the operator's regions"
                )
            inlines = [
                type(f"Scoped{inline.__name__}", (PolicyInlineMixin, inline), {})
                for inline in base.inlines
            ]
            scoped = type(f"Scoped{base.__name__}", (PolicyAdminMixin, base), {"inlines": inlines})
            super().register(model, scoped, **options)
