"""Reads for the public village page: only what has been published."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from qinglian.core.calendar import add_months
from qinglian.directory.models import Post, Region, Term
from qinglian.directory.versions import versions_in_force
from qinglian.disclosures.models import (
    Catalog,
    CatalogItem,
    Category,
    ContentKind,
    Disclosure,
    DisclosureDraft,
    DisclosureVersion,
    DraftState,
)
from qinglian.transparency.models import LogEntry
from qinglian.transparency.selectors import entries_for_records

# The catalog item of the monthly financial list (domain.md §15.1).
STATEMENT_ITEM = "FA01"


@dataclass(frozen=True)
class RosterLine:
    term: Term
    log_entry: LogEntry | None


def village_public(code: str) -> Region | None:
    return Region.objects.villages().select_related("parent").filter(code=code).first()


def current_terms(village: Region) -> QuerySet[Term]:
    return (
        Term.objects.filter(village=village, ended_on__isnull=True)
        .select_related("person")
        .order_by("started_on", "pk")
    )


def cadre_roster(village: Region) -> list[RosterLine]:
    """The village's current cadres, each with the log entry that published it.

    A line not (yet) in the log is not published, so it is not shown.
    """
    rank = {post: position for position, post in enumerate(Post.values)}
    terms = sorted(
        current_terms(village), key=lambda t: (rank.get(t.post, len(rank)), t.started_on)
    )
    entries = entries_for_records("cadre_term", [str(t.pk) for t in terms])
    return [RosterLine(term=t, log_entry=entries[str(t.pk)]) for t in terms if str(t.pk) in entries]


def catalogs_in_force(villages: Sequence[Region], on: date) -> dict[int, Catalog]:
    """Each village's catalog in force on ``on``: the nearest region's, national last."""
    return versions_in_force(Catalog.objects.all(), villages, on)


def catalog_for(region: Region, on: date) -> Catalog | None:
    """The catalog in force for ``region`` on ``on``: the nearest region's (national last)."""
    return catalogs_in_force([region], on).get(region.pk)


def catalog_items(catalog: Catalog) -> QuerySet[CatalogItem]:
    return catalog.items.order_by("order")


# --- disclosures ------------------------------------------------------------------------

# The village page and the staff calendar look this far back for what is late or missing.
CALENDAR_MONTHS = 12
LATEST_PER_CATEGORY = 12
# Money first: it is what villagers ask about most.
TAB_ORDER = [Category.FINANCE, Category.VILLAGE, Category.PARTY, Category.GOVERNMENT]


def calendar_start(today: date) -> date:
    return add_months(today.replace(day=1), -CALENDAR_MONTHS)


def items_written_by_hand(village: Region, on: date) -> list[CatalogItem]:
    """Catalog items a village writes itself (the monthly list comes from the books)."""
    catalog = catalog_for(village, on)
    if catalog is None:
        return []
    return list(catalog_items(catalog).exclude(code=STATEMENT_ITEM))


def drafts_open(region: Region) -> QuerySet[DisclosureDraft]:
    return (
        DisclosureDraft.objects.filter(disclosure__village__path__startswith=region.path)
        .exclude(state=DraftState.PUBLISHED)
        .select_related("disclosure__village")
        .order_by("prepared_at")
    )


def published_recently(village: Region, limit: int = 200) -> list[Disclosure]:
    """The village's published disclosures, most recently published first."""
    return list(
        Disclosure.objects.filter(village=village, versions_published__gt=0)
        .defer("search_text")
        .order_by("-last_published_at")[:limit]
    )


@dataclass(frozen=True)
class CategoryTab:
    category: str
    label: str
    disclosures: list[Disclosure]
    more: bool


def latest_by_category(village: Region) -> list[CategoryTab]:
    """Each category's latest published items (one query), in the order of the categories."""
    grouped: dict[str, list[Disclosure]] = {c: [] for c in Category.values}
    counts: dict[str, int] = dict.fromkeys(Category.values, 0)
    for disclosure in published_recently(village, limit=LATEST_PER_CATEGORY * 8):
        counts[disclosure.category] += 1
        if len(grouped[disclosure.category]) < LATEST_PER_CATEGORY:
            grouped[disclosure.category].append(disclosure)
    return [
        CategoryTab(c, str(c.label), grouped[c], counts[c] > LATEST_PER_CATEGORY)
        for c in TAB_ORDER
        if grouped[c] or c != Category.GOVERNMENT
    ]


def published_in_category(village: Region, category: str) -> QuerySet[Disclosure]:
    return Disclosure.objects.filter(
        village=village, category=category, versions_published__gt=0
    ).order_by("-period_end", "-last_published_at")


def search_published(village: Region, query: str) -> QuerySet[Disclosure]:
    """Published disclosures whose title or published text holds every word of ``query``."""
    found = Disclosure.objects.filter(village=village, versions_published__gt=0)
    for word in query.split()[:5]:
        found = found.filter(search_text__icontains=word[:40])
    return found.order_by("-last_published_at")


def disclosure_public(village: Region, pk: int) -> Disclosure | None:
    return Disclosure.objects.filter(village=village, pk=pk, versions_published__gt=0).first()


def versions_of(disclosure: Disclosure) -> list[DisclosureVersion]:
    return list(disclosure.versions.order_by("number"))


# --- lines of a published monthly list ----------------------------------------------------


def statement_line_key(voucher: Any, subject: Any, n: int) -> str:
    """A line's key: the ``id`` its row has on the page (``statement_side.html``).

    ``n`` counts the lines of one subject from 1, in the published order.
    """
    return f"line-{voucher}-{subject}-{n}"


def statement_lines(content: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each line of a published monthly list with its key, income first."""
    for side in ("income", "expense"):
        for group in content.get(side) or []:
            for n, line in enumerate(group.get("lines") or [], start=1):
                yield statement_line_key(line.get("voucher"), group.get("subject"), n), line


def statement_line_label(line: Mapping[str, Any]) -> str:
    """A line as a villager reads it: ``2025-03-12 环境整治费 650.00``."""
    return " ".join(str(line.get(part) or "") for part in ("date", "summary", "amount")).strip()


def statement_keyed(
    content: Mapping[str, Any], notes: Mapping[str, Sequence[Any]]
) -> dict[str, Any]:
    """A copy of a monthly list whose lines carry their ``key`` and ``notes[key]`` (``answers``)."""
    keyed = dict(content)
    for side in ("income", "expense"):
        groups = []
        for group in content.get(side) or []:
            lines = []
            for n, line in enumerate(group.get("lines") or [], start=1):
                key = statement_line_key(line.get("voucher"), group.get("subject"), n)
                lines.append({**line, "key": key, "answers": notes.get(key, ())})
            groups.append({**group, "lines": lines})
        keyed[side] = groups
    return keyed


@dataclass(frozen=True)
class PublishedLine:
    disclosure: Disclosure
    key: str
    label: str


def published_line(village: Region, disclosure_pk: Any, key: str) -> PublishedLine | None:
    """A line of the village's published monthly list, as its latest version shows it."""
    try:
        pk = int(disclosure_pk)
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**63:
        return None
    disclosure = disclosure_public(village, pk)
    if disclosure is None:
        return None
    version = disclosure.versions.order_by("-number").first()
    if version is None or version.kind != ContentKind.STATEMENT:
        return None
    for line_key, line in statement_lines(version.content):
        if line_key == key:
            return PublishedLine(disclosure, key, statement_line_label(line))
    return None
