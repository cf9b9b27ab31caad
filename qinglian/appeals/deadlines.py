"""Deadlines in working days, per kind of case and region (nearest region wins).

Defaults follow domain.md §11 and §15.5: a question is answered within 10
working days, a complaint or suggestion within 15; a report is passed on to the
competent body within 5 and its acceptance told to the reporter within 15, its
result within 60 after acceptance. A case more than ``very_overdue_days`` past
due is "very overdue" and escalates a second time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from qinglian.appeals.models import DeadlineRule, Kind
from qinglian.core.calendar import add_working_days, calendar_known
from qinglian.directory.codes import ancestor_paths
from qinglian.directory.models import Region


@dataclass(frozen=True)
class Deadlines:
    first_response_days: int
    result_days: int = 60
    pass_on_days: int = 5
    very_overdue_days: int = 10
    remind_days: int = 2


DEFAULTS: dict[str, Deadlines] = {
    Kind.QUESTION: Deadlines(first_response_days=10),
    Kind.COMPLAINT: Deadlines(first_response_days=15),
    Kind.SUGGESTION: Deadlines(first_response_days=15),
    Kind.REPORT: Deadlines(first_response_days=15),
}


RuleTable = dict[tuple[str, str], Deadlines]  # (region path, kind) → its rule


def _rule_table(rules: Iterable[DeadlineRule]) -> RuleTable:
    return {
        (rule.region.path, rule.kind): Deadlines(
            first_response_days=rule.first_response_days,
            result_days=rule.result_days,
            pass_on_days=rule.pass_on_days,
            very_overdue_days=rule.very_overdue_days,
            remind_days=rule.remind_days,
        )
        for rule in rules
    }


def _nearest(table: RuleTable, village: Region, kind: str) -> Deadlines:
    for path in reversed(ancestor_paths(village.path)):  # the village first, the county last
        rule = table.get((path, kind))
        if rule is not None:
            return rule
    return DEFAULTS[kind]


def deadlines_for(village: Region, kind: str) -> Deadlines:
    """The rule of the nearest region on the village's path, else the default (one query)."""
    rules = DeadlineRule.objects.filter(kind=kind, region__path__in=ancestor_paths(village.path))
    return _nearest(_rule_table(rules.select_related("region")), village, kind)


def deadlines_lookup() -> Callable[[Region, str], Deadlines]:
    """``deadlines_for`` for a job over many cases: every region's rules read once."""
    table = _rule_table(DeadlineRule.objects.select_related("region"))
    return lambda village, kind: _nearest(table, village, kind)


@dataclass(frozen=True)
class Due:
    due_on: date
    very_overdue_on: date
    estimated: bool  # the official holidays of a year it spans are not known yet


def due_after(start: date, days: int, very_overdue_days: int) -> Due:
    due_on = add_working_days(start, days)
    very = add_working_days(due_on, very_overdue_days)
    estimated = not all(calendar_known(year) for year in range(start.year, very.year + 1))
    return Due(due_on=due_on, very_overdue_on=very, estimated=estimated)
