"""The monthly statement as a record of the publication log."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from qinglian.finance.models import LedgerMonth
from qinglian.finance.selectors import monthly_statement, statement_content

_RECORD_ID = re.compile(
    r"^(?P<village>\d{12})/(?P<year>\d{4})-(?P<month>\d{2})/r(?P<revision>\d+)$"
)


def statement_live_content(record_id: str) -> dict[str, Any] | None:
    """The statement of that month as it stood at that revision, from the live tables."""
    match = _RECORD_ID.match(record_id)
    if match is None:
        return None
    ledger_month = (
        LedgerMonth.objects.select_related("village")
        .filter(
            village__code=match["village"],
            month=date(int(match["year"]), int(match["month"]), 1),
        )
        .first()
    )
    revision = int(match["revision"])
    if ledger_month is None or revision > ledger_month.revision:
        return None
    return statement_content(monthly_statement(ledger_month, as_of_revision=revision))
