"""Reads for the public village page: only what has been published."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from qinglian.directory.codes import ancestor_paths
from qinglian.directory.models import Post, Region, Term
from qinglian.disclosures.models import Catalog, CatalogItem
from qinglian.transparency.models import LogEntry
from qinglian.transparency.selectors import entries_for_records


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


def catalog_for(region: Region, on: date) -> Catalog | None:
    """The catalog in force for ``region`` on ``on``: the nearest region's (national last)."""
    candidates = (
        Catalog.objects.filter(
            Q(region__isnull=True) | Q(region__path__in=ancestor_paths(region.path)),
            effective_from__lte=on,
        )
        .select_related("region")
        .order_by("-effective_from", "-version")
    )
    best: Catalog | None = None
    for catalog in candidates:
        depth = len(catalog.region.path) if catalog.region else 0
        if best is None or depth > (len(best.region.path) if best.region else 0):
            best = catalog
    return best


def catalog_items(catalog: Catalog) -> QuerySet[CatalogItem]:
    return catalog.items.order_by("order")
