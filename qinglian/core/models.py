"""The audit trail: one row per change, written in the change's own transaction."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Who did what to which record, and when. Rows are never updated or deleted.

    The database refuses UPDATE and DELETE on this table (triggers installed by
    migration 0002), so not even a bug or a hand-written query can rewrite it.
    """

    access_region_path = "region_path"

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verb = models.CharField(_("what"), max_length=64, db_index=True)
    target_type = models.CharField(_("target type"), max_length=64)
    target_id = models.CharField(_("target"), max_length=64)
    target_label = models.CharField(_("target label"), max_length=200, blank=True)
    region_path = models.CharField(_("region"), max_length=16, blank=True, db_index=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb} {self.target_type}#{self.target_id}"


class WorkerHeartbeat(models.Model):
    """When a background worker last ran its heartbeat job (shown by /healthz).

    Operational state, not a domain record: it is overwritten in place and not audited.
    """

    name = models.CharField(max_length=40, unique=True)
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.name} {self.seen_at:%Y-%m-%d %H:%M:%S}"


class OfficialDay(models.Model):
    """A day of the State Council's holiday notice, entered before the package knows it.

    Entered with ``qinglian official_calendar`` for a year the `chinesecalendar`
    package does not cover yet; for that year these days override Monday-Friday.
    """

    day = models.DateField(_("day"), unique=True)
    is_working_day = models.BooleanField(
        _("working day"), help_text=_("Off for a holiday, on for a make-up working day.")
    )
    name = models.CharField(_("holiday"), max_length=40, blank=True)
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("official calendar day")
        verbose_name_plural = _("official calendar days")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.name}"
