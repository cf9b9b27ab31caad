"""The public village page, rendered once and kept in the database until it goes stale.

A village page is the same for every anonymous visitor but for three things: the
form token of the language switch, the nonce of the script tag and the visit
counts. So it is rendered once per village and language with holes where those
go (``VillagePage``), and each visit costs one query (the village, its stored
page, the number of its entries in the log and its visits of 30 days, together)
and three string replacements. The stored page is stale when the day changes
(what is late depends on the day) or when the village has a new entry in the
publication log (a disclosure, a monthly list, a cadre); then the visit that
finds it so renders and stores it again. ``village_pages_render`` renders every
village's page ahead (after a build, and each night from the job), so that
visitors seldom meet a stale one.

Pages are stored in the database rather than the cache: every web worker (and
the job worker) shares them, they survive a restart, and the local-memory cache
of a server without Redis keeps too few entries for ten thousand villages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Count
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from qinglian.directory.models import Region
from qinglian.disclosures import calendar, selectors
from qinglian.disclosures.models import VillagePage, VisitDay
from qinglian.transparency.models import LogEntry
from qinglian.transparency.selectors import checkpoint_latest

# What differs per request: plain ASCII that no template escapes or could produce.
CSRF_HOLE = "qinglian-hole-csrf-4c1e9a"
NONCE_HOLE = "qinglian-hole-nonce-4c1e9a"
VISITS_HOLE = "qinglian-hole-visits-4c1e9a"
VISITORS_HOLE = "qinglian-hole-visitors-4c1e9a"
VISIT_DAYS = 30


def village_body(village: Region) -> str:
    """The page's body: latest items by category, what is late or missing, the cadres."""
    today = timezone.localdate()
    lines = calendar.calendar([village], selectors.calendar_start(today), today)
    return render_to_string(
        "disclosures/village_body.html",
        {
            "village": village,
            "tabs": selectors.latest_by_category(village),
            "overdue": calendar.overdue_by_item(lines),
            "roster": selectors.cadre_roster(village),
            "checkpoint": checkpoint_latest(),
        },
    )


def village_stamp(village: Region) -> int:
    """The village's entries in the log: grows with every publication the page shows."""
    return LogEntry.objects.filter(region_path=village.path).count()


def page_render(village: Region, language: str) -> str:
    """The whole page as an anonymous visitor gets it, with holes for the per-request parts."""
    path = reverse("disclosures:village_page", args=[village.code])
    with translation.override(language):
        return render_to_string(
            "disclosures/village_page.html",
            {
                "village": village,
                "body": mark_safe(village_body(village)),  # noqa: S308 (our own render)
                "visits": {"visits": VISITS_HOLE, "visitors": VISITORS_HOLE},
                "csrf_token": CSRF_HOLE,
                "csp_nonce": NONCE_HOLE,
                "request": {"get_full_path": path},
                "user": AnonymousUser(),
                "messages": (),
            },
        )


def page_store(village: Region, language: str, *, today: date | None = None) -> str:
    """Render the village's page and keep it; returns it (with its holes)."""
    today = today or timezone.localdate()
    stamp = village_stamp(village)
    html = page_render(village, language)
    VillagePage.objects.update_or_create(
        village=village,
        language=language,
        defaults={"day": today, "stamp": stamp, "html": html, "rendered_at": timezone.now()},
    )
    return html


@dataclass(frozen=True)
class PageLookup:
    village_id: int
    html: str | None  # None when there is none or it is stale
    visits: int
    visitors: int


def _sql() -> str:
    region, page = Region._meta.db_table, VillagePage._meta.db_table
    entry, visit = LogEntry._meta.db_table, VisitDay._meta.db_table
    # Table names come from the models; values travel as parameters.
    return (
        f"SELECT r.id, p.day, p.stamp, p.html,"  # noqa: S608
        f" (SELECT COUNT(*) FROM {entry} e WHERE e.region_path = r.path),"
        f" (SELECT COALESCE(SUM(v.visits), 0) FROM {visit} v"
        f"  WHERE v.village_id = r.id AND v.day >= %s),"
        f" (SELECT COALESCE(SUM(v.visitors), 0) FROM {visit} v"
        f"  WHERE v.village_id = r.id AND v.day >= %s)"
        f" FROM {region} r LEFT JOIN {page} p ON p.village_id = r.id AND p.language = %s"
        f" WHERE r.code = %s AND r.level = 'village'"
    )


def page_lookup(code: str, language: str) -> PageLookup | None:
    """The village's stored page if still fresh, and its visits: one query. None: no village."""
    today = timezone.localdate()
    since = today - timedelta(days=VISIT_DAYS - 1)
    with connection.cursor() as cursor:
        cursor.execute(_sql(), [since, since, language, code])
        row = cursor.fetchone()
    if row is None:
        return None
    village_id, day, stamp, html, entries, visits, visitors = row
    fresh = html is not None and str(day) == today.isoformat() and stamp == entries
    return PageLookup(village_id, html if fresh else None, int(visits), int(visitors))


def page_fill(html: str, request: HttpRequest, *, visits: int, visitors: int) -> str:
    """The stored page for this request: its form token, its script nonce, today's counts."""
    nonce: Any = getattr(request, "csp_nonce", "")
    return (
        html.replace(CSRF_HOLE, get_token(request))
        .replace(NONCE_HOLE, str(nonce))
        .replace(VISITS_HOLE, str(visits))
        .replace(VISITORS_HOLE, str(visitors))
    )


def village_pages_render(*, language: str | None = None, every: bool = False) -> int:
    """Render the page of every village whose stored page is stale or missing (``every``:
    of every village, after a release changed the templates or the static files); how many."""
    language = language or settings.LANGUAGE_CODE
    today = timezone.localdate()
    stored = (
        {}
        if every
        else dict(
            VillagePage.objects.filter(language=language, day=today).values_list(
                "village_id", "stamp"
            )
        )
    )
    entries = dict(
        LogEntry.objects.values("region_path")
        .annotate(n=Count("index"))
        .values_list("region_path", "n")
    )
    rendered = 0
    for village in Region.objects.villages().select_related("parent").order_by("path"):
        if stored.get(village.pk) == entries.get(village.path, 0):
            continue
        page_store(village, language, today=today)
        rendered += 1
    return rendered
