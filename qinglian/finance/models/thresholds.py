"""Thresholds as configuration: per region, effective from a date."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from qinglian.directory.models import Region


class ThresholdKey(models.TextChoices):
    CASH_ON_HAND_LIMIT = "cash_on_hand_limit", _("cash on hand limit (yuan)")
    CASH_PAYMENT_MAX = "cash_payment_max", _("largest payment allowed in cash (yuan, below)")
    CASH_DEPOSIT_DAYS = "cash_deposit_days", _("days to hand in cash received")
    EXPENSE_TIER_ROUTINE_MAX = "expense_tier_routine_max", _("routine expense up to (yuan)")
    EXPENSE_TIER_JOINT_MEETING_MAX = (
        "expense_tier_joint_meeting_max",
        _("expense decided by the joint meeting up to (yuan)"),
    )
    POWER_MATTER_MIN = (
        "power_matter_min",
        _("payments and contracts from this amount need a finished power matter (yuan)"),
    )
    PROJECT_TWO_COMMITTEE_MAX = (
        "project_two_committee_max",
        _("project decided by the two committees up to (yuan)"),
    )
    PROJECT_QUOTES_MIN = "project_quotes_min", _("project needing three quotes from (yuan)")
    PROJECT_PUBLIC_TENDER_MIN = (
        "project_public_tender_min",
        _("project needing a public tender from (yuan)"),
    )
    MAJOR_MATTER_DISCLOSURE_MIN = (
        "major_matter_disclosure_min",
        _("disclosed as it happens from (yuan)"),
    )
    LEASE_MAX_YEARS = "lease_max_years", _("longest lease term (years)")
    LAND_CONTRACT_MAX_YEARS = "land_contract_max_years", _("longest land contracting term (years)")
    RENT_NORM_PER_MU = "rent_norm_per_mu", _("rent norm for land (yuan per mu per year)")
    RENT_BELOW_NORM_RATIO = (
        "rent_below_norm_ratio",
        _("rent below this share of the norm is flagged"),
    )
    CONTRACT_RESOLUTION_MIN = (
        "contract_resolution_min",
        _("contracts from this amount need an authorising resolution (yuan)"),
    )


class Threshold(models.Model):
    """A value for one key, set by a region (or nationally when ``region`` is empty).

    The value in force for a village on a date is the one set by the nearest
    region on its path (village, township, county, then the national default)
    with the latest ``effective_from`` not after that date.
    """

    access_region_path = "region__path"

    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="finance_thresholds",
    )
    key = models.CharField(_("threshold"), max_length=40, choices=ThresholdKey.choices)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    effective_from = models.DateField(_("effective from"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("threshold")
        verbose_name_plural = _("thresholds")
        ordering = ["key", "region_id", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "key", "effective_from"], name="threshold_once_per_date"
            ),
            models.UniqueConstraint(
                fields=["key", "effective_from"],
                condition=models.Q(region__isnull=True),
                name="national_threshold_once_per_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()} = {self.value}"
