"""Lists kept in versions per region (the disclosure catalog, the power list).

A version belongs to a region, or to no region (the national default), and takes
effect on a date. A region follows the version of the nearest region on its path
that is in force: its own, else its township's, its county's, the national one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, TypeVar

from django.db import models
from django.db.models import Q

from qinglian.directory.codes import ancestor_paths
from qinglian.directory.models import Region

V = TypeVar("V", bound=models.Model)


def versions_in_force(
    versions: models.QuerySet[V], regions: Sequence[Region], on: date
) -> dict[int, V]:
    """Each region's version in force on ``on`` (one query), by region id.

    ``versions`` has a nullable ``region``, an ``effective_from`` and a ``version``;
    among those on a region's path the nearest region's wins, and of one region's,
    the latest to take effect.
    """
    paths = {p for region in regions for p in ancestor_paths(region.path)}
    candidates: list[Any] = list(
        versions.filter(Q(region__isnull=True) | Q(region__path__in=paths), effective_from__lte=on)
        .select_related("region")
        .order_by("-effective_from", "-version")
    )
    chosen: dict[int, V] = {}
    for region in regions:
        best, best_depth = None, -1
        for candidate in candidates:
            path = candidate.region.path if candidate.region else ""
            if path and not region.path.startswith(path):
                continue
            if len(path) > best_depth:
                best, best_depth = candidate, len(path)
        if best is not None:
            chosen[region.pk] = best
    return chosen
