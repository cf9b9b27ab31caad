"""Changing the power list: a region adopts a new version; versions in force never change."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from qinglian.core.audit import audit_record
from qinglian.core.errors import DomainError
from qinglian.directory.models import Region, RegionLevel
from qinglian.powers.models import LibraryStep, PowerItem, PowerList
from qinglian.powers.selectors import list_for


@transaction.atomic
def power_list_adopt(
    *, actor: Any, region: Region, effective_from: date, note: str = ""
) -> PowerList:
    """Start a region's own version of the power list from the one in force for it then.

    The copy (items and step library) is the region's to edit before it takes
    effect; versions already in force are never changed.
    """
    if region.level not in (RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.VILLAGE):
        raise DomainError(
            _("A power list is kept by a county, a township or a village."), field="region"
        )
    source = list_for(region, effective_from)
    if source is None:
        raise DomainError(_("No power list is in force to start from."), field="effective_from")
    if PowerList.objects.filter(region=region, effective_from=effective_from).exists():
        raise DomainError(
            _("This region already has a power list version from %(date)s.")
            % {"date": effective_from.isoformat()},
            field="effective_from",
        )
    last = PowerList.objects.filter(region=region).aggregate(last=Max("version"))["last"] or 0
    power_list = PowerList.objects.create(
        region=region, version=last + 1, effective_from=effective_from, note=note.strip()[:200]
    )
    LibraryStep.objects.bulk_create(
        LibraryStep(
            power_list=power_list,
            code=step.code,
            kind=step.kind,
            title_zh=step.title_zh,
            title_en=step.title_en,
            params=step.params,
        )
        for step in source.steps.order_by("code")
    )
    PowerItem.objects.bulk_create(
        PowerItem(
            power_list=power_list,
            code=item.code,
            kind=item.kind,
            category=item.category,
            power_type=item.power_type,
            title_zh=item.title_zh,
            title_en=item.title_en,
            description_zh=item.description_zh,
            description_en=item.description_en,
            basis=item.basis,
            steps=item.steps,
            order=item.order,
        )
        for item in source.items.order_by("order")
    )
    audit_record(
        actor=actor,
        verb="power_list.adopted",
        target=power_list,
        region_path=region.path,
        data={"from": source.pk, "effective_from": effective_from.isoformat()},
    )
    return power_list
