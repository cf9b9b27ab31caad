"""Collective contracts, assets and resources, with their changes over time."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qinglian.directory.models import Company, Person, Region
from qinglian.finance.models.ledger import MONEY


class AssetCategory(models.TextChoices):
    OPERATING = "operating", _("operating asset")
    NON_OPERATING = "non_operating", _("non-operating asset")


class AssetKind(models.TextChoices):
    BUILDING = "building", _("building")
    EQUIPMENT = "equipment", _("equipment")
    VEHICLE = "vehicle", _("vehicle")
    FACILITY = "facility", _("public facility")
    ENERGY = "energy", _("energy installation")
    OTHER = "other", _("other")


class AssetStatus(models.TextChoices):
    IN_USE = "in_use", _("in use")
    LEASED_OUT = "leased_out", _("leased out")
    IDLE = "idle", _("idle")
    IDLE_PENDING_DISPOSAL = "idle_pending_disposal", _("idle, awaiting disposal")
    SCRAPPED = "scrapped", _("scrapped")


class Asset(models.Model):
    access_region_path = "village__path"

    village = models.ForeignKey(
        Region, verbose_name=_("village"), on_delete=models.PROTECT, related_name="assets"
    )
    code = models.CharField(_("asset number"), max_length=30)
    name = models.CharField(_("name"), max_length=120)
    category = models.CharField(_("category"), max_length=16, choices=AssetCategory.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=AssetKind.choices)
    status = models.CharField(_("status"), max_length=24, choices=AssetStatus.choices)
    acquired_on = models.DateField(_("acquired on"))
    original_value = models.DecimalField(_("original value"), **MONEY)
    current_value = models.DecimalField(_("book value"), **MONEY)
    location = models.CharField(_("location"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["village_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["village", "code"], name="asset_code_once"),
            models.CheckConstraint(
                condition=Q(original_value__gte=0), name="asset_value_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ResourceKind(models.TextChoices):
    ARABLE_LAND = "arable_land", _("arable land")
    RESERVE_LAND = "reserve_land", _("reserve land")
    WASTELAND = "wasteland", _("barren hills, gullies, hillocks and beaches")
    FOREST = "forest", _("forest")
    ORCHARD = "orchard", _("orchard")
    WATER = "water", _("water surface")
    CONSTRUCTION_LAND = "construction_land", _("collective construction land for business use")
    OTHER = "other", _("other")


class ResourceStatus(models.TextChoices):
    SELF_OPERATED = "self_operated", _("run by the collective")
    CONTRACTED = "contracted", _("contracted out")
    LEASED = "leased", _("leased out")
    IDLE = "idle", _("idle")


class Resource(models.Model):
    access_region_path = "village__path"

    village = models.ForeignKey(
        Region, verbose_name=_("village"), on_delete=models.PROTECT, related_name="resources"
    )
    code = models.CharField(_("resource number"), max_length=30)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices)
    status = models.CharField(_("status"), max_length=16, choices=ResourceStatus.choices)
    area_mu = models.DecimalField(_("area (mu)"), max_digits=10, decimal_places=2)
    location = models.CharField(_("location"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["village_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["village", "code"], name="resource_code_once"),
            models.CheckConstraint(condition=Q(area_mu__gt=0), name="resource_area_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class PropertyChangeKind(models.TextChoices):
    REGISTERED = "registered", _("registered")
    STATUS = "status", _("status changed")
    REVALUED = "revalued", _("value changed")
    AREA = "area", _("area changed")
    DISPOSED = "disposed", _("disposed of")


class AssetChange(models.Model):
    """One change of an asset; the register's history, never edited."""

    access_region_path = "asset__village__path"

    asset = models.ForeignKey(
        Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="changes"
    )
    changed_on = models.DateField(_("date"))
    kind = models.CharField(_("change"), max_length=12, choices=PropertyChangeKind.choices)
    status = models.CharField(_("status"), max_length=24, choices=AssetStatus.choices)
    value = models.DecimalField(_("book value"), **MONEY)
    note = models.CharField(_("note"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("asset change")
        verbose_name_plural = _("asset changes")
        ordering = ["asset_id", "changed_on", "id"]

    def __str__(self) -> str:
        return f"{self.asset} {self.changed_on} {self.get_kind_display()}"


class ResourceChange(models.Model):
    access_region_path = "resource__village__path"

    resource = models.ForeignKey(
        Resource, verbose_name=_("resource"), on_delete=models.PROTECT, related_name="changes"
    )
    changed_on = models.DateField(_("date"))
    kind = models.CharField(_("change"), max_length=12, choices=PropertyChangeKind.choices)
    status = models.CharField(_("status"), max_length=16, choices=ResourceStatus.choices)
    area_mu = models.DecimalField(_("area (mu)"), max_digits=10, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("resource change")
        verbose_name_plural = _("resource changes")
        ordering = ["resource_id", "changed_on", "id"]

    def __str__(self) -> str:
        return f"{self.resource} {self.changed_on} {self.get_kind_display()}"


class ContractKind(models.TextChoices):
    LEASE = "lease", _("lease")
    LAND_CONTRACTING = "land_contracting", _("contracting of land")
    ASSET_CONTRACTING = "asset_contracting", _("contracting of assets")
    PURCHASE = "purchase", _("purchase")
    WORKS = "works", _("works")
    OTHER = "other", _("other")


class ContractDirection(models.TextChoices):
    RECEIVABLE = "receivable", _("the collective receives")
    PAYABLE = "payable", _("the collective pays")


class ContractStatus(models.TextChoices):
    ACTIVE = "active", _("in force")
    ENDED = "ended", _("ended")
    TERMINATED = "terminated", _("terminated early")


class Contract(models.Model):
    """A collective contract with its parties, term, amount and payment schedule."""

    access_region_path = "village__path"

    village = models.ForeignKey(
        Region, verbose_name=_("village"), on_delete=models.PROTECT, related_name="contracts"
    )
    number = models.CharField(_("contract number"), max_length=40)
    title = models.CharField(_("title"), max_length=160)
    kind = models.CharField(_("kind"), max_length=20, choices=ContractKind.choices)
    direction = models.CharField(_("money"), max_length=12, choices=ContractDirection.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=ContractStatus.choices, default=ContractStatus.ACTIVE
    )
    counterparty_person = models.ForeignKey(
        Person,
        verbose_name=_("counterparty (person)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    counterparty_company = models.ForeignKey(
        Company,
        verbose_name=_("counterparty (company)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    counterparty_name = models.CharField(_("counterparty"), max_length=120, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    starts_on = models.DateField(_("term from"), null=True, blank=True)
    ends_on = models.DateField(_("term until"), null=True, blank=True)
    amount = models.DecimalField(_("total amount"), null=True, blank=True, **MONEY)
    annual_rent = models.DecimalField(_("annual rent"), null=True, blank=True, **MONEY)
    area_mu = models.DecimalField(
        _("area (mu)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    asset = models.ForeignKey(
        Asset,
        verbose_name=_("asset"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    resource = models.ForeignKey(
        Resource,
        verbose_name=_("resource"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    resolution_reference = models.CharField(
        _("authorising resolution"),
        max_length=120,
        blank=True,
        help_text=_("The meeting resolution that decided this contract."),
    )
    power_matter_id = models.BigIntegerField(_("authorising power matter"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["village_id", "-signed_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["village", "number"], name="contract_number_once"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="contract_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def counterparty_label(self) -> str:
        if self.counterparty_company is not None:
            return self.counterparty_company.name
        if self.counterparty_person is not None:
            return self.counterparty_person.name
        return self.counterparty_name


class ContractInstalment(models.Model):
    """What falls due under a contract, and when."""

    access_region_path = "contract__village__path"

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="instalments"
    )
    due_on = models.DateField(_("due on"))
    amount = models.DecimalField(_("amount due"), **MONEY)

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["contract_id", "due_on"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="instalment_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.contract} {self.due_on} {self.amount}"
