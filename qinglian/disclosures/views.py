"""The public village page: what a villager sees after scanning the village's code."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from qinglian.disclosures import selectors
from qinglian.transparency.selectors import checkpoint_latest


def village_page(request: HttpRequest, code: str) -> HttpResponse:
    village = selectors.village_public(code)
    if village is None:
        raise Http404
    return render(
        request,
        "disclosures/village_page.html",
        {
            "village": village,
            "roster": selectors.cadre_roster(village),
            "checkpoint": checkpoint_latest(),
        },
    )
