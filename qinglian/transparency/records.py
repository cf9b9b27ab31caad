"""What each type of published record looks like in the log.

A publishing app registers, for its record type, a function giving the record's
content from the live tables (None when the row is gone). The log stores the
content as it was at publication; re-verification compares it with what the
function gives now. Content is public by nature: never put in it personal data
that is not published anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import rfc8785
from django.conf import settings

from qinglian.directory.models import Term

LiveContent = Callable[[str], dict[str, Any] | None]
ENVELOPE_VERSION = 1

_REGISTRY: dict[str, LiveContent] = {}


def register(record_type: str, live_content: LiveContent) -> None:
    _REGISTRY[record_type] = live_content


def live_content(record_type: str, record_id: str) -> dict[str, Any] | None:
    """The record's content as the live tables give it now; None if it is gone."""
    try:
        loader = _REGISTRY[record_type]
    except KeyError:
        raise LookupError(f"no publisher registered record type {record_type!r}") from None
    return loader(record_id)


def envelope(
    *,
    index: int,
    record_type: str,
    record_id: str,
    region_path: str,
    published_at: datetime,
    content: dict[str, Any],
) -> dict[str, Any]:
    """The record as it is hashed into the log (see docs/transparency-api.md)."""
    return {
        "v": ENVELOPE_VERSION,
        "origin": settings.TRANSPARENCY_ORIGIN,
        "index": index,
        "type": record_type,
        "id": record_id,
        "region": region_path,
        "published_at": published_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "content": content,
    }


def canonical_bytes(record: dict[str, Any]) -> bytes:
    """RFC 8785 canonical JSON."""
    return rfc8785.dumps(record)


def live_record(
    *, index: int, record_type: str, record_id: str, region_path: str, published_at: datetime
) -> dict[str, Any] | None:
    """A logged record rebuilt from the live tables now; None if its row is gone."""
    content = live_content(record_type, record_id)
    if content is None:
        return None
    return envelope(
        index=index,
        record_type=record_type,
        record_id=record_id,
        region_path=region_path,
        published_at=published_at,
        content=content,
    )


def cadre_term_line(term: Term) -> dict[str, Any]:
    """A cadre taking office: the village's published roster line (term with person, village)."""
    return {
        "village": term.village.code,
        "village_name": term.village.name,
        "post": term.post,
        "name": term.person.name,
        "started_on": term.started_on.isoformat(),
    }


def cadre_term_content(record_id: str) -> dict[str, Any] | None:
    term = Term.objects.select_related("person", "village").filter(pk=record_id).first()
    return None if term is None else cadre_term_line(term)


def register_builtin() -> None:
    register("cadre_term", cadre_term_content)
