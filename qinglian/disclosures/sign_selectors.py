"""Reads for the village codes and signs: what a sign shows, gathered in fixed queries."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse

from qinglian.directory.models import Region
from qinglian.disclosures.signs import Sign
from qinglian.transparency.models import Checkpoint


def village_with_ancestors(code: str) -> Region | None:
    """The village with ``code`` (not any other region), its township and county joined."""
    return (
        Region.objects.villages()
        .select_related("parent", "parent__parent")
        .filter(code=code)
        .first()
    )


def township_villages(township: Region) -> QuerySet[Region]:
    """The villages below ``township``, in code order."""
    return (
        Region.objects.villages()
        .subtree(township.path)
        .select_related("parent", "parent__parent")
        .order_by("code")
    )


def village_page_url(village: Region) -> str:
    """The public village page's absolute address, the one its QR code carries."""
    path = reverse("disclosures:village_page", kwargs={"code": village.code})
    return settings.PUBLIC_BASE_URL + path


def hotline_of(village: Region) -> tuple[str, str]:
    """(number, region name) of the township discipline commission's hotline, else the
    county's; ("", "") when neither is set."""
    township = village.parent
    for region in (township, township.parent if township else None):
        if region is not None and region.hotline.strip():
            return region.hotline.strip(), region.name
    return "", ""


def sign_for(village: Region, *, checkpoint: Checkpoint | None, printed_on: date) -> Sign:
    """What the village's sign shows; ``village`` comes with its ancestors joined."""
    hotline, hotline_region = hotline_of(village)
    return Sign(
        village_name=village.name,
        village_code=village.code,
        township_name=village.parent.name if village.parent else "",
        page_url=village_page_url(village),
        hotline=hotline,
        hotline_region=hotline_region,
        checkpoint_size=checkpoint.size if checkpoint else None,
        checkpoint_root=bytes(checkpoint.root) if checkpoint else None,
        checkpoint_url=settings.PUBLIC_BASE_URL + reverse("log:checkpoint"),
        printed_on=printed_on,
    )
