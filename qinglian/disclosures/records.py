"""A published disclosure version as a record of the publication log."""

from __future__ import annotations

from typing import Any

from qinglian.disclosures.models import DisclosureVersion


def disclosure_live_content(record_id: str) -> dict[str, Any] | None:
    """The version's content as stored (the database refuses to change a published version)."""
    version = DisclosureVersion.objects.filter(
        record_type="disclosure", record_id=record_id
    ).first()
    return None if version is None else version.content
