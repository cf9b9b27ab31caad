"""Power list admin: a region edits its own versions before they take effect.

A version in force (its ``effective_from`` reached) is shown read-only: a region
changes its list by adopting a new version. The national default (no region) is
shipped data and is not shown. Scoping is added by the policy-bound admin site.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from qinglian.powers.models import LibraryStep, PowerItem, PowerList
from qinglian.powers.rules import params_problems
from qinglian.powers.selectors import is_in_force


def _editable(obj: Any) -> bool:
    return obj is None or not is_in_force(obj, timezone.localdate())


class _VersionInline:
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editable(obj) and super().has_add_permission(request, obj)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editable(obj) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editable(obj) and super().has_delete_permission(request, obj)  # type: ignore[misc]


class LibraryStepForm(forms.ModelForm[LibraryStep]):
    """A step's rules are checked as the engine will read them: a rule it does not know
    would otherwise surface only when a matter reaches the step."""

    def clean_params(self) -> dict[str, Any]:
        params = self.cleaned_data["params"]
        if not isinstance(params, dict):
            raise forms.ValidationError(_("Write the rules as an object of names and values."))
        if problems := params_problems(params):
            raise forms.ValidationError(problems)
        return params


class PowerItemForm(forms.ModelForm[PowerItem]):
    def clean_steps(self) -> list[Any]:
        steps = self.cleaned_data["steps"]
        if not isinstance(steps, list) or not all(
            isinstance(step, dict) and step.get("step") for step in steps
        ):
            raise forms.ValidationError(
                _("Write the procedure as a list of steps, each with its library code.")
            )
        problems = [p for step in steps for p in params_problems(step.get("params") or {})]
        if problems:
            raise forms.ValidationError(problems)
        return steps


class LibraryStepInline(_VersionInline, admin.TabularInline[LibraryStep, PowerList]):
    model = LibraryStep
    form = LibraryStepForm
    fields = ["code", "kind", "title_zh", "title_en", "params"]


class PowerItemInline(_VersionInline, admin.StackedInline[PowerItem, PowerList]):
    model = PowerItem
    form = PowerItemForm
    fields = [
        ("order", "code", "kind", "category", "power_type"),
        ("title_zh", "title_en"),
        ("description_zh", "description_en"),
        "basis",
        "steps",
    ]


@admin.register(PowerList)
class PowerListAdmin(admin.ModelAdmin[PowerList]):
    list_display = ["region", "version", "effective_from", "note"]
    list_select_related = ["region"]
    raw_id_fields = ["region"]
    inlines = [LibraryStepInline, PowerItemInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editable(obj) and super().has_delete_permission(request, obj)
