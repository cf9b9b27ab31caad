"""The mailbox in figures: a village's public figures, the staff's figures of a region,
and the liaison station's monthly performance record (PDF).

The public page counts what ``stats.public_figures`` counts (small counts
suppressed); the staff pages what ``stats.counting_for`` lets the reader count,
through ``policy.access_region`` (404 outside the reader's scope).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control

from qinglian.accounts.policy import access_region
from qinglian.appeals import stats
from qinglian.appeals.performance_record import Record, record_pdf
from qinglian.core.calendar import month_from_key
from qinglian.directory.models import Region, RegionLevel
from qinglian.transparency.selectors import checkpoint_latest

# Months before this are refused: the platform holds no case from before it.
FIRST_MONTH = date(2000, 1, 1)


def public_stats(request: HttpRequest, code: str) -> HttpResponse:
    """A village's mailbox figures for everyone (the same block as on the village page)."""
    village = Region.objects.villages().select_related("parent").filter(code=code).first()
    if village is None:
        raise Http404
    # Not marked for shared caches: the page carries the language form's CSRF token.
    return render(
        request,
        "appeals/public_stats_page.html",
        {"village": village, **stats.public_stats_context(village)},
    )


def _region(request: HttpRequest, code: str) -> Region:
    region = access_region(request.user, code)
    if region.level not in stats.REPORT_LEVELS:
        raise Http404
    return region


def _year(request: HttpRequest, today: date) -> int:
    """The year asked for (this year if none); 404 for one not offered."""
    offered = stats.years_offered(today)
    text = request.GET.get("year", "")
    if not text:
        return offered[0]
    if not text.isdigit() or int(text) not in offered:
        raise Http404
    return int(text)


@login_required
def region_stats(request: HttpRequest, code: str) -> HttpResponse:
    """A county's, township's or village's figures for a year: by township, by village
    (lowest on-time rate first), by category, and against the year before."""
    region = _region(request, code)
    today = timezone.localdate()
    year = _year(request, today)
    report = stats.region_report(request.user, region, year, today=today)
    return render(
        request,
        "appeals/work/stats.html",
        {
            "region": region,
            "report": report,
            "years": stats.years_offered(today),
            "villages": stats.villages_worst_first(report.villages),
            "months": stats.months_of(year, today) if region.is_village else [],
            "is_county": region.level == RegionLevel.COUNTY,
        },
    )


@login_required
def performance_record(request: HttpRequest, code: str, month: str) -> HttpResponse:
    """The liaison station's record of one village and month, printed in the site's
    language (it goes into the station's and the township's files)."""
    village = _region(request, code)
    if not village.is_village:
        raise Http404
    today = timezone.localdate()
    try:
        first = month_from_key(month)
    except ValueError:
        raise Http404 from None
    if not FIRST_MONTH <= first <= today:
        raise Http404
    counting = stats.counting_for(request.user, village)
    figures = stats.month_figures(village, first, counting, today=today)
    checkpoint = checkpoint_latest()
    record = Record(
        village_name=village.name,
        village_code=village.code,
        township_name=village.parent.name if village.parent else "",
        month=first,
        figures=figures.figures,
        all_cases=counting.everything,
        as_of=today,
        checkpoint_size=checkpoint.size if checkpoint else None,
        checkpoint_root=bytes(checkpoint.root) if checkpoint else None,
        checkpoint_url=settings.PUBLIC_BASE_URL + reverse("log:checkpoint"),
        printed_on=today,
    )
    with translation.override(settings.LANGUAGE_CODE):
        content = record_pdf(record)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="record-{village.code}-{month}.pdf"'
    patch_cache_control(response, private=True, no_cache=True)
    return response
