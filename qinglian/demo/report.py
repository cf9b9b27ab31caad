"""Plain-text tables for the demo command's output, aligned for Chinese text too."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from qinglian.demo.accounts import DemoAccountRow
from qinglian.demo.builder import PlantedConflictRow

_COUNT_LABELS = {
    "townships": "townships",
    "villages": "villages",
    "villager_groups": "villager groups",
    "households": "households",
    "people": "people",
    "cadres": "cadres (people holding a post)",
    "terms": "terms of office (current and past)",
    "relatives_declared": "declared relatives",
    "companies": "companies",
    "shareholdings": "shareholdings",
    "planted_conflicts": "planted relatives-of-cadres among companies",
    "published": "cadre roster lines published to the log (/log/)",
}


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Lines of a table with a header rule, each column as wide as its widest cell."""
    widths = [
        max(display_width(cell) for cell in column) for column in zip(headers, *rows, strict=True)
    ]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(_pad(cell, width) for cell, width in zip(cells, widths, strict=True))

    return [
        line(headers).rstrip(),
        "  ".join("-" * width for width in widths),
        *(line(row).rstrip() for row in rows),
    ]


def account_table(rows: Sequence[DemoAccountRow]) -> list[str]:
    return table(
        ("username", "password", "role", "region", "name"),
        [(row.username, row.password, row.role, row.region, row.name) for row in rows],
    )


def counts_table(counts: dict[str, int]) -> list[str]:
    return table(
        ("what", "count"),
        [
            (_COUNT_LABELS.get(key, key), f"{value:,}")
            for key, value in counts.items()
            if key in _COUNT_LABELS
        ],
    )


def planted_table(rows: Sequence[PlantedConflictRow]) -> list[str]:
    return table(
        ("company", "credit code", "village", "cadre", "post", "relative", "relation", "via"),
        [
            (
                row.company,
                row.credit_code,
                row.village,
                row.cadre,
                row.post,
                row.relative,
                row.relation,
                row.route,
            )
            for row in rows
        ],
    )
