"""Plain-text tables for the demo command's output, aligned for Chinese text too."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from django.utils.translation import gettext_lazy, pgettext

from qinglian.demo.accounts import DemoAccountRow
from qinglian.demo.appeals import PlantedCase, SealingKeyRow
from qinglian.demo.builder import PlantedConflictRow
from qinglian.demo.disclosures import PlantedDisclosure
from qinglian.demo.finance import PlantedFinance

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
_FINANCE_LABELS = {
    "villages": gettext_lazy("villages given books"),
    "fund_accounts": gettext_lazy("fund accounts (cash, bank, village card)"),
    "assets": gettext_lazy("assets"),
    "resources": gettext_lazy("resources (land, forest, water)"),
    "contracts": gettext_lazy("contracts"),
    "instalments": gettext_lazy("contract instalments"),
    "ledger_months": gettext_lazy("ledger months"),
    "vouchers": gettext_lazy("vouchers"),
    "voucher_lines": gettext_lazy("voucher lines"),
    "months_closed": gettext_lazy("months closed"),
    "statements_published": gettext_lazy("monthly statements published to the log"),
    "signoffs": gettext_lazy("joint sign-off signatures"),
    "planted_finance": gettext_lazy("planted finance irregularities"),
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


def finance_counts_table(counts: dict[str, int]) -> list[str]:
    return table(
        (pgettext("demo report", "what"), pgettext("demo report", "count")),
        [
            (str(label), f"{counts[key]:,}")
            for key, label in _FINANCE_LABELS.items()
            if key in counts
        ],
    )


def planted_finance_table(rows: Sequence[PlantedFinance]) -> list[str]:
    return table(
        (
            pgettext("demo report", "irregularity"),
            pgettext("demo report", "village"),
            pgettext("demo report", "code"),
            pgettext("demo report", "where"),
            pgettext("demo report", "what"),
        ),
        [
            (
                row.kind,
                row.village_name,
                row.village,
                row.contract_number or (f"{row.month:%Y-%m}" if row.month else ""),
                row.detail,
            )
            for row in rows
        ],
    )


_DISCLOSURE_LABELS = {
    "villages": gettext_lazy("villages"),
    "disclosures": gettext_lazy("items published"),
    "versions": gettext_lazy("versions published (in the log)"),
    "corrections": gettext_lazy("corrections"),
    "statements_generated": gettext_lazy("monthly lists generated without books"),
}


def disclosure_counts_table(counts: dict[str, int]) -> list[str]:
    return table(
        (pgettext("demo report", "what"), pgettext("demo report", "count")),
        [(str(label), f"{counts[key]:,}") for key, label in _DISCLOSURE_LABELS.items()],
    )


def planted_disclosure_table(rows: Sequence[PlantedDisclosure]) -> list[str]:
    return table(
        (
            pgettext("demo report", "deviation"),
            pgettext("demo report", "code"),
            pgettext("demo report", "item"),
            pgettext("demo report", "period"),
        ),
        [(row.kind, row.village, row.item, row.period) for row in rows],
    )


_APPEALS_LABELS = {
    "cases": gettext_lazy("cases"),
    "steps": gettext_lazy("steps taken by handlers and villagers"),
    "escalations": gettext_lazy("escalations for lateness"),
    "published_answers": gettext_lazy("answers published beside a line (in the log)"),
    "sealing_keys": gettext_lazy("commission sealing keys"),
}


def appeals_counts_table(counts: dict[str, int], by_state: dict[str, int]) -> list[str]:
    from qinglian.appeals.models import State

    rows = [(str(label), f"{counts[key]:,}") for key, label in _APPEALS_LABELS.items()]
    rows += [
        (str(pgettext("demo report", "now %(state)s") % {"state": label}), f"{by_state[value]:,}")
        for value, label in State.choices
        if by_state.get(value)
    ]
    return table((pgettext("demo report", "what"), pgettext("demo report", "count")), rows)


def planted_appeals_table(rows: Sequence[PlantedCase]) -> list[str]:
    return table(
        (
            pgettext("demo report", "case"),
            pgettext("demo report", "village"),
            pgettext("demo report", "receipt"),
            pgettext("demo report", "secret"),
        ),
        [(row.kind, row.village, row.receipt, row.secret) for row in rows],
    )


def sealing_key_table(rows: Sequence[SealingKeyRow], passphrase: str) -> list[str]:
    if not rows:
        return []
    return table(
        (
            pgettext("demo report", "commission"),
            pgettext("demo report", "key fingerprint"),
            pgettext("demo report", "passphrase"),
        ),
        [(row.region, row.fingerprint, passphrase) for row in rows],
    )
