"""The public village page: what a villager sees after scanning the village's code.

Anonymous visitors (nearly all of them) get the page stored by ``pages``: one
query and three string replacements. Signed-in staff, whose header differs, get
it rendered around the body, which is cached per village, language, day and
the village's entries in the log.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from qinglian.appeals.selectors import answers_by_line
from qinglian.directory.models import Region
from qinglian.disclosures import pages, selectors
from qinglian.disclosures.models import Category, ContentKind, DisclosureAttachment
from qinglian.disclosures.visits import visit_record, visits_summary
from qinglian.transparency.models import LogEntry

BODY_SECONDS = 3600
VISITS_SECONDS = 60


def _village(code: str) -> Region:
    village = selectors.village_public(code)
    if village is None:
        raise Http404
    return village


def _anonymous_plain_get(request: HttpRequest) -> bool:
    """A request the stored page fits: no session (so no user, no messages), no query."""
    return (
        request.method in ("GET", "HEAD")
        and not request.GET
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def village_page(request: HttpRequest, code: str) -> HttpResponse:
    language = get_language()
    if _anonymous_plain_get(request):
        found = pages.page_lookup(code, language)
        if found is None:
            raise Http404
        visit_record(found.village_id, request)
        html = found.html
        if html is None:
            html = pages.page_store(_village(code), language)
        return HttpResponse(
            pages.page_fill(html, request, visits=found.visits, visitors=found.visitors)
        )
    village = _village(code)
    visit_record(village.pk, request)
    key = (
        f"village-body:{village.pk}:{language}:{timezone.localdate()}:"
        f"{pages.village_stamp(village)}"
    )
    body = cache.get(key)
    if body is None:
        body = pages.village_body(village)
        cache.set(key, body, BODY_SECONDS)
    visits_key = f"village-visits:{village.pk}"
    visits = cache.get(visits_key)
    if visits is None:
        visits = visits_summary(village.pk)
        cache.set(visits_key, visits, VISITS_SECONDS)
    return render(
        request,
        "disclosures/village_page.html",
        {"village": village, "body": mark_safe(body), "visits": visits},  # noqa: S308 (our own render)
    )


def category_page(request: HttpRequest, code: str, category: str) -> HttpResponse:
    village = _village(code)
    if category not in Category.values:
        raise Http404
    page = Paginator(selectors.published_in_category(village, category), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "disclosures/category.html",
        {"village": village, "category": Category(category).label, "page": page},
    )


def search(request: HttpRequest, code: str) -> HttpResponse:
    village = _village(code)
    query = request.GET.get("q", "").strip()[:100]
    found = selectors.search_published(village, query)[:50] if query else []
    return render(
        request, "disclosures/search.html", {"village": village, "query": query, "found": found}
    )


def disclosure_page(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """One published item: its current version, or an earlier one, and how it changed."""
    village = _village(code)
    disclosure = selectors.disclosure_public(village, pk)
    if disclosure is None:
        raise Http404
    versions = selectors.versions_of(disclosure)
    try:
        number = int(request.GET.get("v", len(versions)))
        version = versions[number - 1]
    except (ValueError, IndexError):
        raise Http404 from None
    latest = version.number == len(versions)
    content = version.content
    if latest and version.kind == ContentKind.STATEMENT:
        # Villagers ask about the current list's lines; the answers show beside them.
        content = selectors.statement_keyed(content, answers_by_line(disclosure.pk))
    return render(
        request,
        "disclosures/disclosure.html",
        {
            "village": village,
            "disclosure": disclosure,
            "version": version,
            "content": content,
            "versions": versions,
            "latest": latest,
            "entry": LogEntry.objects.filter(index=version.log_index).first(),
        },
    )


def attachment_public(request: HttpRequest, code: str, pk: int) -> FileResponse:
    """A published version's attachment (a draft's attachments stay with the staff)."""
    attachment = DisclosureAttachment.objects.filter(
        pk=pk, draft__disclosure__village__code=code, draft__state="published"
    ).first()
    if attachment is None:
        raise Http404
    return FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
