"""How the mailbox's staff figures are written: 83%, 2.5, or — when there is nothing to count."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{round(rate * 100)}%"


@register.filter
def days(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


@register.filter
def count_of(counter: dict[str, int], key: str) -> int:
    """``counter[key]`` in a template (0 when absent)."""
    return counter.get(key, 0)
