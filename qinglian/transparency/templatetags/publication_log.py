"""Template tags that show where a record stands in the publication log."""

from __future__ import annotations

import base64
from typing import Any

from django import template

from qinglian.transparency.models import Checkpoint, LogEntry

register = template.Library()


@register.inclusion_tag("transparency/stamp.html")
def log_stamp(entry: LogEntry | None) -> dict[str, Any]:
    """The entry's log index and short hash, linked to its record in the log."""
    return {"entry": entry}


@register.inclusion_tag("transparency/checkpoint.html")
def log_checkpoint(checkpoint: Checkpoint | None) -> dict[str, Any]:
    root = base64.b64encode(bytes(checkpoint.root)).decode() if checkpoint else ""
    return {"checkpoint": checkpoint, "root_b64": root}
