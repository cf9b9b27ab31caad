"""Reads of the power list: the version in force for a region, its items, their steps."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet

from qinglian.accounts.models import Role
from qinglian.directory.models import Region
from qinglian.directory.versions import versions_in_force
from qinglian.powers.models import (
    SPENDING_STATES,
    Category,
    ItemKind,
    Matter,
    PowerItem,
    PowerList,
    StepRecord,
)
from qinglian.powers.procedure import required_numbers
from qinglian.powers.steps import Step, item_steps


def lists_in_force(regions: Sequence[Region], on: date) -> dict[int, PowerList]:
    """Each region's power list in force on ``on``: the nearest region's, national last."""
    return versions_in_force(PowerList.objects.all(), regions, on)


def list_for(region: Region, on: date) -> PowerList | None:
    """The power list in force for ``region`` on ``on``."""
    return lists_in_force([region], on).get(region.pk)


def is_in_force(power_list: PowerList, on: date) -> bool:
    """Whether the version has taken effect (then it is never changed)."""
    return power_list.effective_from <= on


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


# --- matters ----------------------------------------------------------------------------

# Who records a matter's steps, and who reviews the exceptions (and sees them at once).
MATTER_RECORDERS = frozenset({Role.VILLAGE_CADRE, Role.VILLAGE_ACCOUNTANT})
EXCEPTION_REVIEWERS = frozenset(
    {
        Role.SUPERVISION_COMMITTEE,
        Role.VILLAGE_SUPERVISOR,
        Role.TOWN_DISCIPLINE,
        Role.TOWN_PARTY,
        Role.COUNTY_DISCIPLINE,
        Role.COUNTY_ORGANIZATION,
    }
)


def latest_records(matter: Matter) -> dict[int, StepRecord]:
    """The record that counts for each step of the matter: its latest."""
    latest: dict[int, StepRecord] = {}
    for record in matter.records.order_by("pk"):
        latest[record.number] = record
    return latest


@dataclass
class MatterStep:
    """A step of a matter as the pages show it: its rules, what counts, its history."""

    step: Step
    required: bool
    record: StepRecord | None
    history: list[StepRecord]

    @property
    def status(self) -> str:
        if self.record is None:
            return "pending" if self.required else "not_required"
        if self.record.problems:
            return "exception"
        if not self.record.taken:
            return "not_required"
        if self.record.passed is False:
            return "rejected"
        return "done"


def matter_steps(matter: Matter, limits: dict[str, Any]) -> list[MatterStep]:
    """Every step of the matter's procedure with its latest record and earlier ones."""
    steps = item_steps(matter.item)
    required = required_numbers(steps, matter.amount, limits)
    history: dict[int, list[StepRecord]] = {}
    for record in matter.records.select_related("recorded_by", "review").prefetch_related(
        "documents"
    ):
        history.setdefault(record.number, []).append(record)
    return [
        MatterStep(
            step=step,
            required=step.number in required,
            record=history[step.number][-1] if step.number in history else None,
            history=history.get(step.number, []),
        )
        for step in steps
    ]


def next_step(rows: Sequence[MatterStep]) -> MatterStep | None:
    """The first step without a record after the last recorded one (or the first step)."""
    last = max((row.step.number for row in rows if row.record is not None), default=0)
    return next((row for row in rows if row.step.number > last), None)


def matters_in(matters: QuerySet[Matter], region: Region) -> QuerySet[Matter]:
    """The matters of ``region``'s villages (``matters`` already scoped by the policy)."""
    return (
        matters.filter(village__path__startswith=region.path)
        .select_related("village", "item")
        .order_by("-started_on", "-pk")
    )


def open_exceptions(records: QuerySet[StepRecord]) -> QuerySet[StepRecord]:
    """Exceptions not yet reviewed, oldest first (``records`` already scoped by the policy)."""
    return (
        records.exclude(problems=[])
        .filter(review__isnull=True)
        .select_related("matter", "matter__village", "matter__item", "recorded_by")
        .order_by("recorded_at", "pk")
    )


def reviewed_exceptions(records: QuerySet[StepRecord]) -> QuerySet[StepRecord]:
    """Exceptions already reviewed, the latest review first."""
    return (
        records.exclude(problems=[])
        .filter(review__isnull=False)
        .select_related("matter", "matter__village", "matter__item", "review__reviewed_by")
        .order_by("-review__reviewed_at", "-pk")
    )


def matters_authorising(village_id: int, matter_ids: Collection[int]) -> set[int]:
    """Which of these numbers are the village's decided or finished matters, in one query.

    Finance's batch question (``finance.authority``), registered in ``PowersConfig.ready``;
    """
    matters = Matter.objects.filter(village_id=village_id, state__in=SPENDING_STATES)
    # Up to 500 numbers are asked by number; more are answered from all of the
    # village's authorising matters (a few dozen), so that it stays one query and
    # never exceeds the database's limit on parameters.
    if len(matter_ids) <= 500:
        matters = matters.filter(pk__in=list(matter_ids))
    found = set(matters.values_list("pk", flat=True))
    return found.intersection(matter_ids)
