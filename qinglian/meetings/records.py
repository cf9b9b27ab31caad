"""A published sunshine report meeting as a record of the publication log.

The record holds what the meeting said and decided and the results per cadre; a
commitment's later completion is not in it (it is shown beside the record on the
village page), so the record stays equal to the live tables for ever.
"""

from __future__ import annotations

from typing import Any

from qinglian.meetings.models import MeetingState, SunshineMeeting


def meeting_content(meeting: SunshineMeeting) -> dict[str, Any]:
    from qinglian.meetings.selectors import counts_by_cadre

    counts = counts_by_cadre(meeting)
    reports = list(meeting.reports.select_related("cadre").order_by("pk"))
    return {
        "village": meeting.village.code,
        "quarter": meeting.quarter,
        "held_on": meeting.held_on.isoformat(),
        "place": meeting.place,
        "reports": [{"cadre": r.cadre.name, "post": r.post, "text": r.text} for r in reports],
        "inquiries": [
            {
                "question": i.question,
                "answer": i.answer,
                "answered_by": i.answered_by.name if i.answered_by else "",
            }
            for i in meeting.inquiries.select_related("answered_by").order_by("pk")
        ],
        "commitments": [
            {"text": c.text, "owner": c.owner.name, "deadline": c.deadline.isoformat()}
            for c in meeting.commitments.select_related("owner").order_by("pk")
        ],
        "results": [
            {"cadre": r.cadre.name, "counts": dict(counts.get(r.cadre_id, {}))} for r in reports
        ],
    }


def meeting_live_content(record_id: str) -> dict[str, Any] | None:
    meeting = (
        SunshineMeeting.objects.filter(pk=int(record_id), state=MeetingState.PUBLISHED)
        .select_related("village")
        .first()
    )
    return None if meeting is None else meeting_content(meeting)
