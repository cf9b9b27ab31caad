"""The villagers' pages of sunshine report meetings: what was published, and scoring.

The scoring page is reached from the QR code on an attendee's slip (the code in
the address's ``t=``; see ``tokens.py`` for why) or by typing the code. One form
scores every cadre who reported; it works without JavaScript on a small phone.
A used or unknown code gets a plain refusal. Scoring posts are rate limited per
connection (``MEETINGS_SCORE_RATE``), set high enough for a hall of attendees
sharing one Wi-Fi and low enough that guessing 10-digit codes is hopeless.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from qinglian.core.errors import DomainError
from qinglian.disclosures.selectors import village_public
from qinglian.meetings import selectors, services
from qinglian.meetings.forms import BallotForm
from qinglian.meetings.models import MeetingState


def _score_rate(group: str, request: HttpRequest) -> str:
    return str(settings.MEETINGS_SCORE_RATE)


def village_meetings(request: HttpRequest, code: str) -> HttpResponse:
    village = village_public(code)
    if village is None:
        raise Http404
    shown = selectors.published_pages(village, limit=selectors.PUBLISHED_SHOWN)
    return render(request, "meetings/public_village.html", {"village": village, "shown": shown})


@never_cache
@ratelimit(group="meetings.score", key="ip", rate=_score_rate, method="POST", block=False)
def score(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    village = village_public(code)
    meeting = selectors.meeting_in_village(village, pk) if village else None
    if meeting is None:
        raise Http404
    cadres = [
        (r.cadre_id, f"{r.cadre.name} · {r.post}")
        for r in meeting.reports.select_related("cadre").order_by("pk")
    ]
    is_open = meeting.state == MeetingState.OPEN
    status = 200
    if request.method == "POST" and is_open:
        form = BallotForm(request.POST, cadres=cadres)
        if getattr(request, "limited", False):
            form.add_error(None, _("Too many tries from this connection. Please wait a minute."))
            status = 429
        elif form.is_valid():
            try:
                services.ballot_cast(
                    meeting=meeting, code=form.cleaned_data["code"], grades=form.grades()
                )
            except DomainError as error:
                form.add_error("code" if error.field == "code" else None, error.message)
                status = 409 if isinstance(error, services.TokenUsed) else 200
            else:
                return render(request, "meetings/score_done.html", {"meeting": meeting})
    else:
        form = BallotForm(initial={"code": request.GET.get("t", "")[:20]}, cadres=cadres)
    return render(
        request,
        "meetings/score.html",
        {"meeting": meeting, "form": form, "is_open": is_open},
        status=status,
    )
