"""An item's procedure resolved: the library's rules merged with the item's, in order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qinglian.powers.models import LibraryStep, PowerItem, PowerList, in_language
from qinglian.powers.rules import step_notes


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
