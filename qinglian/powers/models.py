"""The power list: versions per region, their items and their step library.

Like the disclosure catalog, a region changes its list by adopting a new
version (``services.power_list_adopt``), never by changing one in force. Each
version carries its own copy of the step library, so a version in force keeps
the procedures it was adopted with.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from qinglian.directory.models import Region


def in_language(zh: str, en: str) -> str:
    language = get_language() or "zh-hans"
    return en if language.startswith("en") and en else zh


class ItemKind(models.TextChoices):
    POSITIVE = "positive", _("power (positive list)")
    NEGATIVE = "negative", _("prohibited conduct (negative list)")


class Category(models.TextChoices):
    # Positive list (domain.md §15.2)
    COLLECTIVE_DECISION = "collective_decision", _("collective decisions")
    PROJECT = "project", _("works projects")
    PROCUREMENT = "procurement", _("procurement")
    FINANCE = "finance", _("finance")
    ASSETS = "assets", _("collective assets and resources")
    LABOUR = "labour", _("village labour")
    LAND = "land", _("land and homesteads")
    WELFARE = "welfare", _("welfare and relief")
    SEAL_CERT = "seal_cert", _("seals and certificates")
    PARTY = "party", _("party affairs")
    ORGANIZATION = "organization", _("village organisation")
    SERVICE = "service", _("services to villagers")
    # Negative list (domain.md §15.3)
    DECISION = "decision", _("decisions")
    PROJECTS = "projects", _("projects")
    SUPERVISION = "supervision", _("supervision")
    DISCLOSURE = "disclosure", _("disclosure")
    CONDUCT = "conduct", _("conduct")
    ELECTION = "election", _("elections")
    DUTY = "duty", _("duty")


class PowerType(models.TextChoices):
    PUBLIC = "public", _("public power")
    SERVICE = "service", _("service to villagers")
    PUBLIC_SERVICE = "public_service", _("public power and service")


class StepKind(models.TextChoices):
    REQUEST = "request", _("request")
    PROPOSAL = "proposal", _("proposal")
    MEETING = "meeting", _("meeting")
    REVIEW = "review", _("review")
    PUBLICITY = "publicity", _("publicity")
    DECISION = "decision", _("decision by a higher level")
    INVESTIGATION = "investigation", _("investigation")
    PROCUREMENT = "procurement", _("procurement")
    CONTRACT = "contract", _("contract")
    IMPLEMENTATION = "implementation", _("implementation")
    ACCEPTANCE = "acceptance", _("acceptance")
    FINANCE = "finance", _("finance")
    RECORD = "record", _("record")
    DISCLOSURE = "disclosure", _("disclosure")
    ARCHIVE = "archive", _("archive")


class PowerList(models.Model):
    """One version of the power list: the national default (no region) or a region's own.

    A village follows the version of the nearest region on its path that has one
    in force (the latest ``effective_from`` not after the date).
    """

    access_region_path = "region__path"

    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="power_lists",
    )
    version = models.PositiveIntegerField(_("version"))
    effective_from = models.DateField(_("effective from"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("power list")
        verbose_name_plural = _("power lists")
        ordering = ["region_id", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["region", "version"], name="power_list_version_once"),
            models.UniqueConstraint(
                fields=["version"],
                condition=Q(region__isnull=True),
                name="national_power_list_version_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region or _('national')} v{self.version}"


class LibraryStep(models.Model):
    """A step of the list's library: what it is and its default rules.

    ``params`` holds the rules an engine enforces: ``body`` (who meets or decides),
    ``quorum`` and ``pass`` (rule names, see ``rules.py``), ``days`` of publicity
    (``working_days`` if counted so), ``min_people``, ``discloses``, ``resolves``.
    """

    access_region_path = "power_list__region__path"

    power_list = models.ForeignKey(
        PowerList, verbose_name=_("power list"), on_delete=models.CASCADE, related_name="steps"
    )
    code = models.CharField(_("step code"), max_length=4)
    kind = models.CharField(_("kind"), max_length=16, choices=StepKind.choices)
    title_zh = models.CharField(_("title (Chinese)"), max_length=60)
    title_en = models.CharField(_("title (English)"), max_length=120)
    params = models.JSONField(_("parameters"), default=dict, blank=True)

    class Meta:
        verbose_name = _("library step")
        verbose_name_plural = _("step library")
        ordering = ["power_list_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["power_list", "code"], name="library_step_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return in_language(self.title_zh, self.title_en)


class PowerItem(models.Model):
    """An item of the list: a power with its procedure, or a prohibited conduct.

    ``steps`` (positive items) is the ordered procedure: ``{"step": code of the
    list's library, "optional": taken only when required, "params": overrides}``.
    """

    access_region_path = "power_list__region__path"

    power_list = models.ForeignKey(
        PowerList, verbose_name=_("power list"), on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField(_("item code"), max_length=8)
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    power_type = models.CharField(
        _("type of power"), max_length=16, choices=PowerType.choices, blank=True
    )
    title_zh = models.CharField(_("title (Chinese)"), max_length=120)
    title_en = models.CharField(_("title (English)"), max_length=200)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    basis = models.CharField(_("basis"), max_length=200, blank=True)
    steps = models.JSONField(_("procedure steps"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        verbose_name = _("power list item")
        verbose_name_plural = _("power list items")
        ordering = ["power_list_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["power_list", "code"], name="power_item_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return in_language(self.title_zh, self.title_en)

    @property
    def description(self) -> str:
        return in_language(self.description_zh, self.description_en)

    @property
    def step_codes(self) -> list[str]:
        steps: list[dict[str, Any]] = self.steps or []
        return [str(step["step"]) for step in steps]
