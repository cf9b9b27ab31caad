"""How each step of a matter stands, as its chart says it (staff and public pages)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from qinglian.powers.selectors import MatterStep


def marks(rows: Sequence[MatterStep]) -> dict[int, tuple[str, str]]:
    """How each step of the matter stands, for its chart: status and words with the date."""
    words = {
        "done": _("done %(date)s"),
        "exception": _("exception %(date)s"),
        "rejected": _("not passed %(date)s"),
        "not_required": _("not taken %(date)s"),
    }
    marks: dict[int, tuple[str, str]] = {}
    for row in rows:
        if row.record is not None and row.status in words:
            date = row.record.held_on.isoformat()
            marks[row.step.number] = (row.status, words[row.status] % {"date": date})
        elif row.required:
            marks[row.step.number] = ("pending", _("to do"))
    return marks
