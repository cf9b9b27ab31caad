"""A published answer as a record of the publication log."""

from __future__ import annotations

from typing import Any

from qinglian.appeals.models import PublishedAnswer


def answer_live_content(record_id: str) -> dict[str, Any] | None:
    answer = (
        PublishedAnswer.objects.filter(record_id=record_id)
        .select_related("village", "disclosure")
        .first()
    )
    if answer is None:
        return None
    return {
        "village": answer.village.code,
        "item": answer.disclosure.item_code,
        "period": answer.disclosure.period_key,
        "line": answer.line_key,
        "line_label": answer.line_label,
        "question": answer.question,
        "answer": answer.answer,
        "version": answer.version,
    }
