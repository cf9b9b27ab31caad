"""The access policy: the one place that decides what a user may see.

Two rules, applied to every staff page, API endpoint and admin page:

1. Scope: a role held over a region reaches that region's subtree and nothing
   else. A row is in scope when its region path lies under one of the paths of
   the user's role assignments.
2. Recusal: a record that names a person as its subject is never shown to that
   person, nor to anyone who declared them (or was declared by them) as a close
   relative within ``CLOSE_RELATIVE_MAX_DEGREE``, whatever their role.

Models opt in by declaring ``access_region_path`` (the lookup to a region path,
for example ``"region_path"`` or ``"village__path"``) and, for records about
people, ``access_subject`` (the lookup to the person or people named).
Out-of-scope rows answer 404, never 403, so their existence does not leak.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.http import Http404

from qinglian.accounts.models import RoleAssignment
from qinglian.directory.models import Region, RelativeDeclaration, subtree_q

M = TypeVar("M", bound=models.Model)

_PATHS_CACHE = "_qinglian_region_paths"
_RECUSED_CACHE = "_qinglian_recused_people"


def _minimal_roots(paths: Iterable[str]) -> list[str]:
    """Drop paths that lie under another one: their subtree is already covered."""
    roots: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(root) for root in roots):
            roots.append(path)
    return roots


def region_paths(user: Any, *, roles: Iterable[str] | None = None) -> list[str]:
    """Root paths of the subtrees the user reaches (through ``roles`` if given)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    cached: list[tuple[str, str]] | None = getattr(user, _PATHS_CACHE, None)
    if cached is None:
        cached = list(RoleAssignment.objects.filter(user=user).values_list("role", "region__path"))
        setattr(user, _PATHS_CACHE, cached)
    wanted = set(roles) if roles is not None else None
    return _minimal_roots(path for role, path in cached if wanted is None or role in wanted)


def is_staff_member(user: Any) -> bool:
    return bool(region_paths(user))


def recused_person_ids(user: Any) -> frozenset[int]:
    """The user's own person and their declared close relatives, in both directions."""
    if user is None or not user.is_authenticated or not user.person_id:
        return frozenset()
    cached: frozenset[int] | None = getattr(user, _RECUSED_CACHE, None)
    if cached is None:
        me = user.person_id
        max_degree = settings.CLOSE_RELATIVE_MAX_DEGREE
        pairs = RelativeDeclaration.objects.filter(
            Q(person_id=me) | Q(relative_id=me), degree__lte=max_degree
        ).values_list("person_id", "relative_id")
        cached = frozenset({me, *(pid for pair in pairs for pid in pair)})
        setattr(user, _RECUSED_CACHE, cached)
    return cached


def scope_q(user: Any, region_path_lookup: str, *, roles: Iterable[str] | None = None) -> Q:
    return subtree_q(region_path_lookup, region_paths(user, roles=roles))


def visible(
    user: Any,
    queryset: models.QuerySet[M],
    *,
    roles: Iterable[str] | None = None,
    subject: str | None = None,
) -> models.QuerySet[M]:
    """``queryset`` cut down to what ``user`` may see: scope, then recusal.

    ``subject`` overrides the model's ``access_subject`` lookup (for a query
    that names people through another path).
    """
    model = queryset.model
    region_lookup: str | None = getattr(model, "access_region_path", None)
    if region_lookup is None:
        raise TypeError(f"{model.__name__} does not declare access_region_path")
    queryset = queryset.filter(scope_q(user, region_lookup, roles=roles))
    subject_lookup = subject or getattr(model, "access_subject", None)
    if subject_lookup:
        recused = recused_person_ids(user)
        if recused:
            queryset = queryset.exclude(**{f"{subject_lookup}__in": recused})
    return queryset


def access_region(user: Any, code: str, *, roles: Iterable[str] | None = None) -> Region:
    """The region with ``code`` if the user reaches it, else 404."""
    paths = region_paths(user, roles=roles)
    region = (
        Region.objects.filter(code=code)
        .filter(subtree_q("path", paths))
        .select_related("parent")
        .first()
    )
    if region is None:
        raise Http404
    return region


def access_object(
    user: Any,
    queryset: models.QuerySet[M],
    pk: Any,
    *,
    roles: Iterable[str] | None = None,
) -> M:
    """One protected row by primary key, or 404 for both "missing" and "not yours"."""
    obj = visible(user, queryset, roles=roles).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def can_reach_region(user: Any, region: Region, *, roles: Iterable[str] | None = None) -> bool:
    return any(region.path.startswith(root) for root in region_paths(user, roles=roles))
