"""Reads for the staff pages of the mailbox: the queue, its notices, the commissions.

Everything here starts from ``selectors.appeals_visible`` (scope by handling
region and body, then recusal), so a page built on it shows nothing the user may
not see, and costs a fixed number of queries however many cases there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import BooleanField, Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qinglian.accounts import policy
from qinglian.accounts.models import RoleAssignment
from qinglian.appeals.models import (
    OPEN_STATES,
    Appeal,
    AppealAttachment,
    AppealEvent,
    AppealNotice,
    Body,
    EventKind,
    Outcome,
    Rating,
    SealingKey,
    State,
)
from qinglian.appeals.selectors import COMMISSION_ROLES, VILLAGE_CASE_ROLES, appeals_visible
from qinglian.directory.models import Region, RegionLevel

NOTICE_DAYS = 30
NOTICES_SHOWN = 10

# Which states each choice of the queue's state filter shows.
STATE_FILTERS: dict[str, tuple[str, ...]] = {
    "open": tuple(OPEN_STATES),
    "answered": (State.ANSWERED,),
    "closed": (State.CLOSED, State.TRANSFERRED),
}

# What an event's ``code`` means, to show beside it.
EVENT_CODES = {
    **dict(Outcome.choices),
    **dict(Rating.choices),
    "overdue": _("past due"),
    "very_overdue": _("very overdue"),
}
# Events the villager makes (they have no actor).
VILLAGER_EVENTS = frozenset(
    {EventKind.RECEIVED, EventKind.MESSAGE_FROM_VILLAGER, EventKind.RATED, EventKind.REOPENED}
)


@dataclass(frozen=True)
class QueueFilters:
    state: str = "all"
    kind: str = ""
    village: str = ""
    overdue: bool = False


def handles_cases(user: Any) -> bool:
    """Whether the user holds any role that sees cases (the queue is theirs)."""
    return bool(policy.region_paths(user, roles=VILLAGE_CASE_ROLES))


def serves_commission(user: Any) -> bool:
    return bool(policy.region_paths(user, roles=COMMISSION_ROLES))


def queue(user: Any, filters: QueueFilters, today: date | None = None) -> QuerySet[Appeal]:
    """The user's cases, most urgent first: overdue, then soonest due; answered and closed after.

    Each row carries ``overdue`` (open and past its due date).
    """
    today = today or timezone.localdate()
    open_ = Q(state__in=OPEN_STATES)
    cases = (
        appeals_visible(user)
        .select_related("village", "assigned_region")
        .annotate(
            overdue=Case(
                When(open_ & Q(due_on__lt=today), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            urgency=Case(
                When(open_ & Q(due_on__isnull=False), then=Value(0)),
                When(open_, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
        )
        .order_by("urgency", "due_on", "-received_at", "pk")
    )
    if filters.state in STATE_FILTERS:
        cases = cases.filter(state__in=STATE_FILTERS[filters.state])
    if filters.kind:
        cases = cases.filter(kind=filters.kind)
    if filters.village:
        cases = cases.filter(village__code=filters.village)
    if filters.overdue:
        cases = cases.filter(open_, due_on__lt=today)
    return cases


def villages_in_reach(user: Any) -> QuerySet[Region]:
    """The villages whose cases the user may see, for the queue's village filter."""
    return (
        Region.objects.filter(level=RegionLevel.VILLAGE)
        .filter(policy.scope_q(user, "path", roles=VILLAGE_CASE_ROLES))
        .select_related("parent")
        .order_by("path")
    )


def notices_recent(user: Any) -> list[AppealNotice]:
    """The latest notices to the user's regions, about cases the user may see.

    A notice to a village's handlers is for those who see the village's cases; a
    notice to a commission is for its officers only. A notice names its case, so
    one whose case the user may no longer see (moved on, or naming a relative) is
    left out.
    """
    since = timezone.now() - timedelta(days=NOTICE_DAYS)
    notices = policy.visible(
        user, AppealNotice.objects.filter(created_at__gte=since), roles=VILLAGE_CASE_ROLES
    )
    notices = notices.filter(
        Q(body=Body.VILLAGE) | policy.scope_q(user, "region__path", roles=COMMISSION_ROLES)
    ).filter(appeal__in=appeals_visible(user))
    return list(
        notices.select_related("appeal", "appeal__village", "region").order_by(
            "-created_at", "-pk"
        )[:NOTICES_SHOWN]
    )


def case_events(appeal: Appeal) -> list[AppealEvent]:
    """Every event of the case, public and internal, with who did it.

    Each carries ``code_label`` (what its code means) and ``by_villager``.
    """
    events = list(appeal.events.select_related("actor", "region").order_by("at", "pk"))
    for event in events:
        event.code_label = EVENT_CODES.get(event.code, event.code)  # type: ignore[attr-defined]
        event.by_villager = event.kind in VILLAGER_EVENTS  # type: ignore[attr-defined]
    return events


def commission_regions(user: Any) -> list[Region]:
    """The townships and counties whose discipline commission the user serves on."""
    return list(
        Region.objects.filter(
            pk__in=RoleAssignment.objects.filter(user=user, role__in=COMMISSION_ROLES).values(
                "region"
            ),
            level__in=(RegionLevel.TOWNSHIP, RegionLevel.COUNTY),
        ).order_by("path")
    )


def commissions_over(user: Any, appeal: Appeal) -> list[Region]:
    """The commissions above the case's village (township, county) within the user's reach."""
    township = appeal.village.parent
    regions = [township, township.parent] if township is not None else []
    return [
        region
        for region in regions
        if region is not None and policy.can_reach_region(user, region, roles=COMMISSION_ROLES)
    ]


def sealing_keys_in_use(user: Any, regions: list[Region]) -> dict[int, SealingKey]:
    """The key in use of each region, by region id (for the commission's own officers)."""
    keys = policy.visible(
        user,
        SealingKey.objects.filter(region__in=regions, retired_at__isnull=True),
        roles=COMMISSION_ROLES,
    ).select_related("created_by")
    return {key.region_id: key for key in keys}


def attachment_for_staff(user: Any, pk: Any) -> AppealAttachment:
    """A case's attachment, for those who may see the case; 404 otherwise."""
    attachment = AppealAttachment.objects.filter(pk=pk, appeal__in=appeals_visible(user)).first()
    if attachment is None:
        raise Http404
    return attachment
