"""The log's tables. Rows are only ever inserted (database triggers refuse the rest)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LogHead(models.Model):
    """One row: the log's size. Appends lock it, so that the tree never forks."""

    size = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("log head")
        verbose_name_plural = _("log head")

    def __str__(self) -> str:
        return f"log of {self.size} entries"


class LogEntry(models.Model):
    """One published record, as its canonical bytes were appended."""

    access_region_path = "region_path"

    index = models.BigIntegerField(_("log index"), primary_key=True)
    leaf_hash = models.BinaryField(_("leaf hash"), max_length=32)
    entry = models.BinaryField(_("canonical record"))
    record_type = models.CharField(_("record type"), max_length=40)
    record_id = models.CharField(_("record"), max_length=64)
    region_path = models.CharField(_("region"), max_length=15, db_index=True)
    published_at = models.DateTimeField(_("published at"))

    class Meta:
        verbose_name = _("log entry")
        verbose_name_plural = _("log entries")
        ordering = ["index"]
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def __str__(self) -> str:
        return f"#{self.index} {self.record_type} {self.record_id}"

    @property
    def short_hash(self) -> str:
        return bytes(self.leaf_hash).hex()[:12]


class LogNode(models.Model):
    """A complete subtree: covers leaves [index·2^level, (index+1)·2^level). Never changes."""

    pk = models.CompositePrimaryKey("level", "index")
    level = models.PositiveSmallIntegerField()
    index = models.BigIntegerField()
    hash = models.BinaryField(max_length=32)

    class Meta:
        verbose_name = _("log node")
        verbose_name_plural = _("log nodes")

    def __str__(self) -> str:
        return f"node {self.level}/{self.index}"


class Checkpoint(models.Model):
    """A signed checkpoint of the log at ``size`` entries."""

    size = models.BigIntegerField(_("size"), primary_key=True)
    root = models.BinaryField(_("root hash"), max_length=32)
    note = models.TextField(_("signed note"))
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        ordering = ["-size"]

    def __str__(self) -> str:
        return f"checkpoint {self.size}"


class AlertKind(models.TextChoices):
    CHANGED = "changed", _("a published record was changed")
    REMOVED = "removed", _("a published record was removed")
    HISTORY = "history", _("the log's history was rewritten")


class LogAlert(models.Model):
    """Raised by the re-verification job; shown to the county on the workbench."""

    access_region_path = "region_path"

    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    kind = models.CharField(_("kind"), max_length=16, choices=AlertKind.choices)
    entry_index = models.BigIntegerField(_("log index"), null=True, blank=True)
    region_path = models.CharField(_("region"), max_length=15, db_index=True)
    detail = models.TextField(_("detail"))

    class Meta:
        verbose_name = _("log alert")
        verbose_name_plural = _("log alerts")
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.entry_index}"
