"""Deadlines in working days, per kind of case and region (nearest region wins).

Defaults follow domain.md §11 and §15.5: a question is answered within 10
working days, a complaint or suggestion within 15; a report is passed on to the
competent body within 5 and its acceptance told to the reporter within 15, its
result within 60 after acceptance. A case more than ``very_overdue_days`` past
due is "very overdue" and escalates a second time.
"""

from __future__ import annotations

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


def deadlines_for(village: Region, kind: str) -> Deadlines:
    """The rule of the nearest region on the village's path, else the default."""
    paths = ancestor_paths(village.path)
    rules = {
        rule.region.path: rule
        for rule in DeadlineRule.objects.filter(kind=kind, region__path__in=paths).select_related(
            "region"
        )
    }
    for path in sorted(paths, key=len, reverse=True):
        rule = rules.get(path)
        if rule is not None:
            return Deadlines(
                first_response_days=rule.first_response_days,
                result_days=rule.result_days,
                pass_on_days=rule.pass_on_days,
                very_overdue_days=rule.very_overdue_days,
                remind_days=rule.remind_days,
            )
    return DEFAULTS[kind]


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
