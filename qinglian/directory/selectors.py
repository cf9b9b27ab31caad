"""Reads from the directory, with their joins done so lists cost a fixed number of queries.

These are building blocks: callers that serve a user pass the result through
``qinglian.accounts.policy.visible`` (the directory does not know about users).
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from qinglian.directory.models import (
    Person,
    Region,
    RegionLevel,
    RelativeDeclaration,
    Term,
    subtree_q,
)


def villages_public() -> QuerySet[Region]:
    """Every village with its township: public facts (code, name, township)."""
    return Region.objects.villages().select_related("parent").order_by("path")


def region_children(region: Region) -> QuerySet[Region]:
    return region.children.annotate(people_count=Count("people")).order_by("path")


def people_in(region: Region, *, search: str = "") -> QuerySet[Person]:
    people = Person.objects.filter(subtree_q("region_path", [region.path])).select_related(
        "region", "household"
    )
    if search:
        people = people.filter(name__contains=search.strip())
    return people.order_by("region_path", "name", "id")


def person_with_relations() -> QuerySet[Person]:
    return Person.objects.select_related("region", "region__parent", "household").prefetch_related(
        Prefetch("terms", queryset=Term.objects.select_related("village")),
        Prefetch("declared", queryset=RelativeDeclaration.objects.select_related("relative")),
        Prefetch("declared_by", queryset=RelativeDeclaration.objects.select_related("person")),
    )


def townships_with_villages() -> QuerySet[Region]:
    return (
        Region.objects.filter(level=RegionLevel.TOWNSHIP)
        .prefetch_related(Prefetch("children", queryset=Region.objects.villages()))
        .order_by("path")
    )
