"""Reads of the power list: the version in force for a region, its items, their steps."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from qinglian.directory.models import Region
from qinglian.directory.versions import versions_in_force
from qinglian.powers.models import (
    Category,
    ItemKind,
    LibraryStep,
    PowerItem,
    PowerList,
    in_language,
)
from qinglian.powers.rules import step_notes


def lists_in_force(regions: Sequence[Region], on: date) -> dict[int, PowerList]:
    """Each region's power list in force on ``on``: the nearest region's, national last."""
    return versions_in_force(PowerList.objects.all(), regions, on)


def list_for(region: Region, on: date) -> PowerList | None:
    """The power list in force for ``region`` on ``on``."""
    return lists_in_force([region], on).get(region.pk)


def is_in_force(power_list: PowerList, on: date) -> bool:
    """Whether the version has taken effect (then it is never changed)."""
    return power_list.effective_from <= on


@dataclass(frozen=True)
class Step:
    """One step of an item's procedure, the library's rules merged with the item's."""

    number: int
    code: str
    kind: str
    title_zh: str
    title_en: str
    optional: bool
    params: dict[str, Any]

    @property
    def title(self) -> str:
        return in_language(self.title_zh, self.title_en)

    @property
    def notes(self) -> list[str]:
        return step_notes(self.params, optional=self.optional)


def library(power_list: PowerList) -> dict[str, LibraryStep]:
    return {step.code: step for step in power_list.steps.all()}


def item_steps(item: PowerItem, steps: dict[str, LibraryStep] | None = None) -> list[Step]:
    """The item's procedure in order; a code missing from the library raises ``KeyError``."""
    steps = library(item.power_list) if steps is None else steps
    resolved: list[Step] = []
    for number, entry in enumerate(item.steps or [], start=1):
        known = steps[entry["step"]]
        resolved.append(
            Step(
                number=number,
                code=known.code,
                kind=known.kind,
                title_zh=known.title_zh,
                title_en=known.title_en,
                optional=bool(entry.get("optional")),
                params={**known.params, **entry.get("params", {})},
            )
        )
    return resolved


@dataclass
class Group:
    category: str
    label: str
    items: list[PowerItem] = field(default_factory=list)


def items_by_category(power_list: PowerList, kind: str) -> list[Group]:
    """The list's items of one kind, grouped by category in the list's order."""
    labels = dict(Category.choices)
    groups: dict[str, Group] = {}
    for item in power_list.items.filter(kind=kind).order_by("order"):
        group = groups.setdefault(
            item.category, Group(item.category, str(labels.get(item.category, item.category)))
        )
        group.items.append(item)
    return list(groups.values())


def item_in(power_list: PowerList, code: str) -> PowerItem | None:
    return power_list.items.filter(code=code).select_related("power_list").first()


POSITIVE = ItemKind.POSITIVE.value
NEGATIVE = ItemKind.NEGATIVE.value
