"""Power list endpoints: a village's list in force and one item's procedure. Public.

The same reads as the village's pages (``/v/<code>/powers/``): the version in
force today for the village (its own, its township's or county's, or the
national one), titles in the request's language (``Accept-Language``, as the
pages), and an item's steps resolved against the version's step library, in the
item's order, with their rules in words.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from qinglian.directory.models import Region
from qinglian.disclosures.selectors import village_public
from qinglian.powers import selectors
from qinglian.powers.models import Category, PowerItem, PowerList

router = Router(tags=["powers"])


class ErrorOut(Schema):
    detail: str
    field: str | None = None


class PositiveItemOut(Schema):
    code: str
    category: str
    category_label: str
    title: str
    power_type: str
    step_codes: list[str] = Field(..., description="The procedure's steps in order")


class NegativeItemOut(Schema):
    code: str
    category: str
    category_label: str
    title: str
    basis: str = Field(..., description="The rule that prohibits the conduct")


class PowerListOut(Schema):
    village: str
    version: int
    effective_from: date
    region: str | None = Field(..., description="Code of the region that adopted the version")
    positive: list[PositiveItemOut]
    negative: list[NegativeItemOut]


class StepOut(Schema):
    number: int
    code: str
    kind: str
    title: str
    optional: bool = Field(..., description="Taken only when required")
    params: dict[str, Any] = Field(..., description="The library's rules merged with the item's")
    notes: list[str] = Field(..., description="The rules in words")


class ItemOut(Schema):
    code: str
    kind: str
    category: str
    category_label: str
    title: str
    description: str
    power_type: str
    basis: str
    version: int
    steps: list[StepOut]


def _village(code: str) -> Region:
    village = village_public(code)
    if village is None:
        raise HttpError(404, _("No village has this code."))
    return village


def _list(village: Region) -> PowerList:
    power_list = selectors.list_for(village, timezone.localdate())
    if power_list is None:
        raise HttpError(404, _("No power list is in force for this village."))
    return power_list


def _category_label(item: PowerItem) -> str:
    return str(dict(Category.choices).get(item.category, item.category))


@router.get(
    "/villages/{code}/powers/",
    response={200: PowerListOut, 404: ErrorOut},
    auth=None,
    url_name="village_powers",
)
def village_powers(request: HttpRequest, code: str) -> dict[str, Any]:
    """The village's power list in force today: its powers, each with its procedure's
    step codes, and its prohibited conduct with the basis; each kind in the order the
    village's page shows it (by category, in the list's order within one)."""
    village = _village(code)
    power_list = _list(village)
    groups = {
        kind: [
            item for group in selectors.items_by_category(power_list, kind) for item in group.items
        ]
        for kind in (selectors.POSITIVE, selectors.NEGATIVE)
    }
    return {
        "village": village.code,
        "version": power_list.version,
        "effective_from": power_list.effective_from,
        "region": power_list.region.code if power_list.region else None,
        "positive": [
            {
                "code": item.code,
                "category": item.category,
                "category_label": _category_label(item),
                "title": item.title,
                "power_type": item.power_type,
                "step_codes": item.step_codes,
            }
            for item in groups[selectors.POSITIVE]
        ],
        "negative": [
            {
                "code": item.code,
                "category": item.category,
                "category_label": _category_label(item),
                "title": item.title,
                "basis": item.basis,
            }
            for item in groups[selectors.NEGATIVE]
        ],
    }


@router.get(
    "/villages/{code}/powers/{item_code}/",
    response={200: ItemOut, 404: ErrorOut},
    auth=None,
    url_name="village_power_item",
)
def village_power_item(request: HttpRequest, code: str, item_code: str) -> dict[str, Any]:
    """One item of the village's list in force, with its procedure's steps in order."""
    power_list = _list(_village(code))
    item = selectors.item_in(power_list, item_code)
    if item is None:
        raise HttpError(404, _("The village's power list has no item with this code."))
    return {
        "code": item.code,
        "kind": item.kind,
        "category": item.category,
        "category_label": _category_label(item),
        "title": item.title,
        "description": item.description,
        "power_type": item.power_type,
        "basis": item.basis,
        "version": power_list.version,
        "steps": [
            {
                "number": step.number,
                "code": step.code,
                "kind": step.kind,
                "title": step.title,
                "optional": step.optional,
                "params": step.params,
                "notes": step.notes,
            }
            for step in selectors.item_steps(item)
        ],
    }
