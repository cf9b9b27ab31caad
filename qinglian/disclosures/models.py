"""The disclosure catalog: what each village must disclose, and how often."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from qinglian.directory.models import Region


class Category(models.TextChoices):
    PARTY = "party", _("party affairs")
    VILLAGE = "village", _("village affairs")
    FINANCE = "finance", _("financial affairs")
    GOVERNMENT = "government", _("government affairs")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    SEMIANNUAL = "semiannual", _("every half year")
    ANNUAL = "annual", _("yearly")
    EVENT = "event", _("as it happens")
    STANDING = "standing", _("standing, updated on change")
    PRE_DECISION = "pre_decision", _("before the decision")


class Catalog(models.Model):
    """One version of the catalog: the national default (``region`` empty) or a region's own.

    A village follows the catalog of the nearest region on its path that has one
    in force (the latest ``effective_from`` not after the date); a region edits
    its catalog by adopting a new version, never by changing one in force.
    """

    access_region_path = "region__path"

    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disclosure_catalogs",
    )
    version = models.PositiveIntegerField(_("version"))
    effective_from = models.DateField(_("effective from"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("disclosure catalog")
        verbose_name_plural = _("disclosure catalogs")
        ordering = ["region_id", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["region", "version"], name="catalog_version_once"),
            models.UniqueConstraint(
                fields=["version"],
                condition=Q(region__isnull=True),
                name="national_catalog_version_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region or _('national')} v{self.version}"


class CatalogItem(models.Model):
    access_region_path = "catalog__region__path"

    catalog = models.ForeignKey(
        Catalog, verbose_name=_("catalog"), on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField(_("item code"), max_length=8)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    frequency = models.CharField(_("frequency"), max_length=16, choices=Frequency.choices)
    title_zh = models.CharField(_("title (Chinese)"), max_length=120)
    title_en = models.CharField(_("title (English)"), max_length=160)
    basis = models.CharField(_("basis"), max_length=200, blank=True)
    due_day = models.PositiveSmallIntegerField(
        _("due day"),
        null=True,
        blank=True,
        help_text=_(
            "Day of the month by which a periodic item is due after its period ends "
            "(empty: the catalog's default for the frequency)."
        ),
    )
    event_days = models.PositiveSmallIntegerField(
        _("days after the event"),
        null=True,
        blank=True,
        help_text=_("For items published as things happen: days allowed (empty: the default)."),
    )
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        verbose_name = _("catalog item")
        verbose_name_plural = _("catalog items")
        ordering = ["catalog_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["catalog", "code"], name="catalog_item_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        """The item's title in the language of the page (Chinese unless English is asked for)."""
        language = get_language() or "zh-hans"
        return self.title_en if language.startswith("en") else self.title_zh
