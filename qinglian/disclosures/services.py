"""Writes to the disclosure catalog. Each service is one transaction with one audit event."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from qinglian.core.audit import audit_record
from qinglian.core.errors import DomainError
from qinglian.directory.models import Region, RegionLevel
from qinglian.disclosures.models import Catalog, CatalogItem
from qinglian.disclosures.selectors import catalog_for


@transaction.atomic
def catalog_adopt(*, actor: Any, region: Region, effective_from: date, note: str = "") -> Catalog:
    """Start a region's own catalog version from the one in force for it on that date.

    The copy is the region's to edit (add, drop or retime items) before it takes
    effect; versions already in force are never changed.
    """
    if region.level not in (RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.VILLAGE):
        raise DomainError(
            _("A catalog is kept by a county, a township or a village."), field="region"
        )
    source = catalog_for(region, effective_from)
    if source is None:
        raise DomainError(_("No catalog is in force to start from."), field="effective_from")
    if Catalog.objects.filter(region=region, effective_from=effective_from).exists():
        raise DomainError(
            _("This region already has a catalog version from %(date)s.")
            % {"date": effective_from.isoformat()},
            field="effective_from",
        )
    last = Catalog.objects.filter(region=region).aggregate(last=Max("version"))["last"] or 0
    catalog = Catalog.objects.create(
        region=region, version=last + 1, effective_from=effective_from, note=note.strip()[:200]
    )
    CatalogItem.objects.bulk_create(
        CatalogItem(
            catalog=catalog,
            code=item.code,
            category=item.category,
            frequency=item.frequency,
            title_zh=item.title_zh,
            title_en=item.title_en,
            basis=item.basis,
            due_day=item.due_day,
            event_days=item.event_days,
            order=item.order,
        )
        for item in source.items.order_by("order")
    )
    audit_record(
        actor=actor,
        verb="disclosure_catalog.adopted",
        target=catalog,
        region_path=region.path,
        data={"from": source.pk, "effective_from": effective_from.isoformat()},
    )
    return catalog
