"""Publication timeliness for a county, a township or a village: page, chart and workbook.

Staff over the region only (the policy answers 404 elsewhere); a village's own
staff see their village's items.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from qinglian.accounts.policy import access_region
from qinglian.directory.models import Region
from qinglian.disclosures import charts, reminders
from qinglian.disclosures.timeliness import (
    REPORT_LEVELS,
    VILLAGE_ORDERS,
    overdue_by_village,
    timeliness_report,
    villages_sorted,
    years_offered,
)
from qinglian.disclosures.timeliness_export import timeliness_xlsx

# The page lists what is overdue, and the notices, for this many villages (in the
# table's order, worst first by default), this many lines a village (longest overdue
# or newest first): a county's page stays readable. The workbook has everything.
VILLAGES_SHOWN = 40
LINES_SHOWN = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _region(request: HttpRequest, code: str) -> Region:
    region = access_region(request.user, code)
    if region.level not in REPORT_LEVELS:
        raise Http404
    return region


def _year(request: HttpRequest) -> int:
    """The year asked for (this year if none); 404 for one not offered."""
    offered = years_offered(timezone.localdate())
    text = request.GET.get("year", "")
    if not text:
        return offered[0]
    if not text.isdigit() or int(text) not in offered:
        raise Http404
    return int(text)


def _order(request: HttpRequest) -> str:
    order = request.GET.get("sort", "worst")
    return order if order in VILLAGE_ORDERS else "worst"


@login_required
def timeliness(request: HttpRequest, code: str) -> HttpResponse:
    region = _region(request, code)
    year, order = _year(request), _order(request)
    report = timeliness_report(region, year)
    rows = villages_sorted(report.villages, order)
    chart = charts.timeliness_bars(
        [(row.village.name, row.counts) for row in rows],
        title=_("On-time publication by village, %(year)s") % {"year": year},
    )
    overdue = overdue_by_village(report.overdue, rows, limit=LINES_SHOWN)
    notices = reminders.notices_by_village(
        reminders.notices_for_region(region), [row.village for row in rows], limit=LINES_SHOWN
    )
    return render(
        request,
        "disclosures/work/timeliness.html",
        {
            "region": region,
            "report": report,
            "rows": rows,
            "order": order,
            "years": years_offered(report.today),
            "chart": chart,
            "legend": charts.legend(),
            "overdue": overdue[:VILLAGES_SHOWN],
            "overdue_villages_more": max(len(overdue) - VILLAGES_SHOWN, 0),
            "notices": notices[:VILLAGES_SHOWN],
            "notice_villages_more": max(len(notices) - VILLAGES_SHOWN, 0),
        },
    )


@login_required
def timeliness_workbook(request: HttpRequest, code: str) -> HttpResponse:
    """The same report as an Excel workbook, in the site's language (it goes to the
    township's files and to the county)."""
    region = _region(request, code)
    year, order = _year(request), _order(request)
    with translation.override(settings.LANGUAGE_CODE):
        report = timeliness_report(region, year)
        content = timeliness_xlsx(report, villages_sorted(report.villages, order))
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="timeliness-{region.code}-{year}.xlsx"'
    patch_cache_control(response, private=True, no_cache=True)
    return response
