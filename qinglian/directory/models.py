"""Regions, households, people, posts, relatives and companies."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qinglian.directory.codes import mask_phone, path_upper_bound


class RegionLevel(models.TextChoices):
    COUNTY = "county", _("county")
    TOWNSHIP = "township", _("township")
    VILLAGE = "village", _("village")
    VILLAGER_GROUP = "villager_group", _("villager group")


class RegionQuerySet(models.QuerySet["Region"]):
    def subtree(self, path: str) -> RegionQuerySet:
        return self.filter(subtree_q("path", [path]))

    def villages(self) -> RegionQuerySet:
        return self.filter(level=RegionLevel.VILLAGE)


def subtree_q(field: str, paths: list[str]) -> Q:
    """Rows whose ``field`` (a path) lies in any of the subtrees rooted at ``paths``.

    One range condition per root: an index scan on SQLite and PostgreSQL alike.
    No root at all matches nothing.
    """
    condition = Q(pk__in=[])
    for path in paths:
        upper = path_upper_bound(path)
        within = Q(**{f"{field}__gte": path})
        if upper is not None:
            within &= Q(**{f"{field}__lt": upper})
        condition |= within
    return condition


class Region(models.Model):
    access_region_path = "path"

    code = models.CharField(_("division code"), max_length=15, unique=True)
    path = models.CharField(_("path"), max_length=15, unique=True, editable=False)
    level = models.CharField(_("level"), max_length=16, choices=RegionLevel.choices)
    name = models.CharField(_("name"), max_length=60)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    hotline = models.CharField(_("discipline hotline"), max_length=30, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_village(self) -> bool:
        return self.level == RegionLevel.VILLAGE


class Gender(models.TextChoices):
    MALE = "male", _("male")
    FEMALE = "female", _("female")


class Household(models.Model):
    access_region_path = "village__path"

    village = models.ForeignKey(
        Region, verbose_name=_("village"), on_delete=models.PROTECT, related_name="households"
    )
    group = models.ForeignKey(
        Region,
        verbose_name=_("villager group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_households",
    )
    number = models.CharField(_("household number"), max_length=20)
    address = models.CharField(_("address"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "number"], name="household_number_per_village"
            )
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.number}"


class Person(models.Model):
    """A person known to the platform. The ID number itself is never stored."""

    access_region_path = "region_path"

    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="people",
        help_text=_("The village (or villager group) where the person is registered."),
    )
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    is_household_head = models.BooleanField(_("head of household"), default=False)
    name = models.CharField(_("name"), max_length=40)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("date of birth"))
    id_hash = models.CharField(max_length=64, unique=True, editable=False)
    id_masked = models.CharField(_("ID number"), max_length=18, editable=False)
    phone = models.CharField(_("mobile phone"), max_length=11, blank=True)
    is_party_member = models.BooleanField(_("party member"), default=False)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["region_path", "name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class Post(models.TextChoices):
    PARTY_SECRETARY = "party_secretary", _("party branch secretary")
    COMMITTEE_CHAIR = "committee_chair", _("villagers' committee chair")
    DUAL_HEAD = "dual_head", _("party secretary and committee chair (dual head)")
    PARTY_COMMITTEE_MEMBER = "party_committee_member", _("party branch committee member")
    COMMITTEE_MEMBER = "committee_member", _("villagers' committee member")
    SUPERVISION_CHAIR = "supervision_chair", _("supervision committee chair")
    SUPERVISION_MEMBER = "supervision_member", _("supervision committee member")
    BOOKKEEPER = "bookkeeper", _("bookkeeper")
    DISCIPLINE_SUPERVISOR = "discipline_supervisor", _("village discipline supervisor")
    INFO_OFFICER = "info_officer", _("information officer")


class Term(models.Model):
    """A person holding a post in a village from one date until another (or now)."""

    access_region_path = "village__path"

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="terms"
    )
    village = models.ForeignKey(
        Region, verbose_name=_("village"), on_delete=models.PROTECT, related_name="terms"
    )
    post = models.CharField(_("post"), max_length=32, choices=Post.choices)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("term of office")
        verbose_name_plural = _("terms of office")
        ordering = ["village_id", "post", "-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="term_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_post_display()}"


class Relation(models.TextChoices):
    """Kinship as declared; the degree is the count of generations apart (affinity alike)."""

    SPOUSE = "spouse", _("spouse")
    PARENT = "parent", _("parent")
    CHILD = "child", _("child")
    SIBLING = "sibling", _("brother or sister")
    GRANDPARENT = "grandparent", _("grandparent")
    GRANDCHILD = "grandchild", _("grandchild")
    PARENT_IN_LAW = "parent_in_law", _("parent-in-law")
    CHILD_IN_LAW = "child_in_law", _("son- or daughter-in-law")
    SIBLING_IN_LAW = "sibling_in_law", _("brother- or sister-in-law")
    UNCLE_AUNT = "uncle_aunt", _("uncle or aunt")
    NEPHEW_NIECE = "nephew_niece", _("nephew or niece")
    COUSIN = "cousin", pgettext_lazy("kinship", "cousin")


RELATION_DEGREE: dict[str, int] = {
    Relation.SPOUSE: 1,
    Relation.PARENT: 1,
    Relation.CHILD: 1,
    Relation.PARENT_IN_LAW: 1,
    Relation.CHILD_IN_LAW: 1,
    Relation.SIBLING: 2,
    Relation.GRANDPARENT: 2,
    Relation.GRANDCHILD: 2,
    Relation.SIBLING_IN_LAW: 2,
    Relation.UNCLE_AUNT: 3,
    Relation.NEPHEW_NIECE: 3,
    Relation.COUSIN: 4,
}


class RelativeDeclaration(models.Model):
    """``person`` declares ``relative`` as their kin. Kinship counts both ways."""

    access_region_path = "person__region_path"

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="declared"
    )
    relative = models.ForeignKey(
        Person, verbose_name=_("relative"), on_delete=models.PROTECT, related_name="declared_by"
    )
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    degree = models.PositiveSmallIntegerField(_("degree of kinship"), editable=False)
    declared_on = models.DateField(_("declared on"))

    class Meta:
        verbose_name = _("declared relative")
        verbose_name_plural = _("declared relatives")
        constraints = [
            models.UniqueConstraint(fields=["person", "relative"], name="relative_declared_once"),
            models.CheckConstraint(
                condition=~Q(person=models.F("relative")), name="relative_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.relative} ({self.get_relation_display()})"


class Company(models.Model):
    access_region_path = "region_path"

    name = models.CharField(_("name"), max_length=120)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("registered in"),
        on_delete=models.PROTECT,
        related_name="companies",
    )
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    legal_representative = models.ForeignKey(
        Person,
        verbose_name=_("legal representative"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="represented_companies",
    )
    is_contractor = models.BooleanField(_("works contractor"), default=False)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["region_path", "name"]

    def __str__(self) -> str:
        return self.name


class Shareholding(models.Model):
    access_region_path = "company__region_path"

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="shareholdings"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("shareholder"),
        on_delete=models.PROTECT,
        related_name="shareholdings",
    )
    percent = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("shareholding")
        verbose_name_plural = _("shareholdings")
        constraints = [
            models.UniqueConstraint(fields=["company", "person"], name="one_holding_per_person"),
            models.CheckConstraint(
                condition=Q(percent__gt=0) & Q(percent__lte=100), name="share_between_0_and_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.percent}% {self.company}"
