"""Directory admin. Scoping is added by the policy-bound admin site (accounts)."""

from __future__ import annotations

from django.contrib import admin

from qinglian.directory.models import (
    Company,
    Household,
    Person,
    Region,
    RelativeDeclaration,
    Shareholding,
    Term,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    readonly_fields = ["path"]


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin[Household]):
    list_display = ["number", "village", "group", "address"]
    search_fields = ["number", "address"]
    list_select_related = ["village", "group"]
    raw_id_fields = ["village", "group"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    """People are registered through the workbench (ID numbers are hashed there)."""

    list_display = ["name", "gender", "birth_date", "id_masked", "phone_masked", "region"]
    search_fields = ["name"]
    list_select_related = ["region"]
    readonly_fields = ["id_masked", "gender", "birth_date", "region"]
    exclude = ["phone"]
    raw_id_fields = ["household"]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(Term)
class TermAdmin(admin.ModelAdmin[Term]):
    list_display = ["person", "post", "village", "started_on", "ended_on"]
    list_filter = ["post"]
    list_select_related = ["person", "village"]
    raw_id_fields = ["person", "village"]


@admin.register(RelativeDeclaration)
class RelativeDeclarationAdmin(admin.ModelAdmin[RelativeDeclaration]):
    list_display = ["person", "relative", "relation", "degree", "declared_on"]
    list_select_related = ["person", "relative"]
    raw_id_fields = ["person", "relative"]


class ShareholdingInline(admin.TabularInline[Shareholding, Company]):
    model = Shareholding
    raw_id_fields = ["person"]
    extra = 0


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin[Company]):
    list_display = ["name", "credit_code", "legal_representative", "is_contractor", "region"]
    search_fields = ["name", "credit_code"]
    list_select_related = ["legal_representative", "region"]
    raw_id_fields = ["legal_representative", "region"]
    inlines = [ShareholdingInline]
