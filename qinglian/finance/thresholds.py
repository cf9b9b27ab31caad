"""Thresholds in force: the nearest region's value, the latest one not after the date.

A value is set nationally (``region`` empty) or by a county, township or village;
for a village on a date the value set by the nearest region on its path wins
(village, township, county, national), and among that region's values the one
with the latest ``effective_from`` not after the date. Reading every key for a
village costs one query; ``threshold_table`` reads many villages and dates in one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from qinglian.core.audit import audit_record
from qinglian.core.errors import DomainError
from qinglian.directory.codes import ancestor_paths
from qinglian.directory.models import Region, RegionLevel
from qinglian.finance.models import Threshold, ThresholdKey

# Keys counted in whole units (years, days): a fraction makes no sense for them.
WHOLE_NUMBER_KEYS = frozenset(
    {
        ThresholdKey.LEASE_MAX_YEARS,
        ThresholdKey.LAND_CONTRACT_MAX_YEARS,
        ThresholdKey.CASH_DEPOSIT_DAYS,
    }
)
# Keys that are a share of something: above 0, at most 1.
RATIO_KEYS = frozenset({ThresholdKey.RENT_BELOW_NORM_RATIO})


@dataclass(frozen=True)
class _Setting:
    key: str
    path: str  # "" for the national default
    effective_from: date
    value: Decimal


class ThresholdTable:
    """Threshold rows for a set of villages, resolved in memory for any village and date."""

    def __init__(self, settings: Iterable[_Setting]) -> None:
        self._settings = list(settings)

    def values(self, village: Region, on: date) -> dict[str, Decimal]:
        best: dict[str, tuple[int, date, Decimal]] = {}
        for setting in self._settings:
            if setting.effective_from > on or not village.path.startswith(setting.path):
                continue
            rank = (len(setting.path), setting.effective_from)
            current = best.get(setting.key)
            if current is None or rank > current[:2]:
                best[setting.key] = (*rank, setting.value)
        return {key: value for key, (_length, _from, value) in best.items()}


def threshold_table(villages: Iterable[Region], latest: date) -> ThresholdTable:
    """One query: every value that may be in force for ``villages`` up to ``latest``."""
    paths = sorted({path for village in villages for path in ancestor_paths(village.path)})
    rows = Threshold.objects.filter(
        Q(region__isnull=True) | Q(region__path__in=paths), effective_from__lte=latest
    ).values_list("key", "region__path", "effective_from", "value")
    return ThresholdTable(
        _Setting(key=key, path=path or "", effective_from=effective_from, value=value)
        for key, path, effective_from, value in rows
    )


def threshold_values(village: Region, on: date) -> dict[str, Decimal]:
    """Every threshold in force for ``village`` on ``on``, by key (one query)."""
    return threshold_table([village], on).values(village, on)


def threshold_value(village: Region, key: str, on: date) -> Decimal:
    """One threshold in force for ``village`` on ``on``; LookupError when none is set."""
    values = threshold_values(village, on)
    if key not in values:
        raise LookupError(f"no value of threshold {key!r} is in force for {village.path} on {on}")
    return values[key]


@transaction.atomic
def threshold_set(
    *,
    actor: Any,
    region: Region | None,
    key: str,
    value: Decimal,
    effective_from: date,
    source: str = "",
) -> Threshold:
    """Set ``key`` for ``region`` (nationally when None) from ``effective_from``.

    Setting a value again for the same region, key and date replaces it (the
    audit event keeps the previous value); earlier values stay as history.
    """
    if key not in ThresholdKey.values:
        raise DomainError(_("Unknown threshold."), field="key")
    if region is not None and region.level == RegionLevel.VILLAGER_GROUP:
        raise DomainError(
            _("Thresholds are set for a county, township or village, not a villager group."),
            field="region",
        )
    if value < 0:
        raise DomainError(_("A threshold cannot be negative."), field="value")
    if key in WHOLE_NUMBER_KEYS and (value < 1 or value != value.to_integral_value()):
        raise DomainError(
            _("%(threshold)s is a whole number of at least 1.")
            % {"threshold": ThresholdKey(key).label},
            field="value",
        )
    if key in RATIO_KEYS and not Decimal(0) < value <= Decimal(1):
        raise DomainError(
            _("%(threshold)s is a share: more than 0 and at most 1 (0.7 means 70%%).")
            % {"threshold": ThresholdKey(key).label},
            field="value",
        )
    source = source.strip()
    if len(source) > 200:
        raise DomainError(_("The source has at most 200 characters."), field="source")
    existing = Threshold.objects.filter(
        region=region, key=key, effective_from=effective_from
    ).first()
    data: dict[str, Any] = {"key": key, "value": str(value), "from": effective_from.isoformat()}
    if existing is None:
        threshold = Threshold.objects.create(
            region=region, key=key, value=value, effective_from=effective_from, source=source
        )
    else:
        data["previous"] = str(existing.value)
        existing.value = value
        existing.source = source
        existing.save(update_fields=["value", "source"])
        threshold = existing
    audit_record(
        actor=actor,
        verb="threshold.set",
        target=threshold,
        region_path=region.path if region is not None else "",
        data=data,
    )
    return threshold
