"""Results of the reviews: counts, shares and the rating they give (no database)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from qinglian.meetings.models import Grade

GRADES: tuple[str, ...] = tuple(Grade.values)  # best first


@dataclass(frozen=True)
class GradeCount:
    grade: str
    label: str
    count: int
    percent: int  # share of all votes for the cadre, rounded to a whole percent


def counts_with_shares(counts: Mapping[str, int]) -> list[GradeCount]:
    total = sum(counts.get(g, 0) for g in GRADES)
    lines = []
    for grade in GRADES:
        n = counts.get(grade, 0)
        percent = round(Fraction(100 * n, total)) if total else 0
        lines.append(GradeCount(grade, str(Grade(grade).label), n, percent))
    return lines


def rating_from_counts(counts: Mapping[str, int]) -> str | None:
    """The rating the votes give, or None without votes.

    "Incompetent" needs more than half of all votes (domain.md §9.3); otherwise the
    grade with the most votes among the other three, the lower one on a tie.
    """
    total = sum(counts.get(g, 0) for g in GRADES)
    if not total:
        return None
    if 2 * counts.get(Grade.INCOMPETENT, 0) > total:
        return str(Grade.INCOMPETENT)
    others = [g for g in GRADES if g != Grade.INCOMPETENT]
    best = max(counts.get(g, 0) for g in others)
    return [g for g in others if counts.get(g, 0) == best][-1]


def satisfied_percent(counts: Mapping[str, int]) -> int | None:
    """Share of votes at "competent" or better, the figure compared with the 85% line."""
    total = sum(counts.get(g, 0) for g in GRADES)
    if not total:
        return None
    good = counts.get(Grade.EXCELLENT, 0) + counts.get(Grade.COMPETENT, 0)
    return round(Fraction(100 * good, total))
