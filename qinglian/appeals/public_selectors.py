"""Reads for the villager's pages of the mailbox: what a villager may see of a case.

A villager sees their own case only (after giving its receipt and secret), and of
it only the public events: never internal notes, never who handled it by name,
never the name or phone they gave (those are sealed to the commission).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from qinglian.appeals.models import Appeal, Body, EventKind, Outcome, Rating, State
from qinglian.appeals.selectors import cadres_to_name, events_public
from qinglian.directory.models import Post, Region, RegionLevel, Term


def cadre_choices(village: Region) -> list[tuple[int, str]]:
    """The cadres a villager may name, as the village page publishes them: name · post."""
    cadres = cadres_to_name(village)
    if not cadres:
        return []
    today = timezone.localdate()
    posts: dict[int, list[str]] = defaultdict(list)
    for term in Term.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today),
        village=village,
        started_on__lte=today,
        person__in=cadres,
    ).order_by("started_on", "pk"):
        label = str(Post(term.post).label) if term.post in Post.values else term.post
        if label not in posts[term.person_id]:
            posts[term.person_id].append(label)
    return [(person.pk, " · ".join([person.name, *posts.get(person.pk, [])])) for person in cadres]


def handler_name(region: Region | None) -> str:
    """Who handles a case, as villagers say it: 上塘村委会, 青山镇纪委."""
    if region is None:
        return ""
    if region.level == RegionLevel.VILLAGE:
        # Translators: the name comes without its final 村: "%(name)s村委会" gives 上塘村委会.
        return _("%(name)s village committee") % {"name": region.name.removesuffix("村")}
    # Translators: "%(name)s纪委", e.g. 青山镇纪委, 清河县纪委.
    return _("%(name)s discipline commission") % {"name": region.name}


def case_handler(appeal: Appeal) -> str:
    if appeal.body == Body.VILLAGE:
        return handler_name(appeal.village)
    return handler_name(appeal.assigned_region)


@dataclass(frozen=True)
class PublicEvent:
    at: datetime
    kind: str
    title: str
    text: str


def _title(kind: str, code: str, handler: str) -> str:
    titles: dict[str, str] = {
        EventKind.RECEIVED: _("Received"),
        EventKind.ACCEPTED: _("Accepted for handling by %(handler)s"),
        EventKind.ANSWERED: _("Answer from %(handler)s"),
        EventKind.MESSAGE_FROM_VILLAGER: _("You wrote"),
        EventKind.MESSAGE_FROM_HANDLER: _("%(handler)s wrote"),
        EventKind.TRANSFERRED: _("Passed on to the competent body"),
        EventKind.RATED: _("You rated the answer: %(detail)s"),
        EventKind.REOPENED: _("You reopened the case; it goes to %(handler)s"),
    }
    if kind == EventKind.ESCALATED:
        title = (
            _("Very overdue: passed up again, to %(handler)s")
            if code == "very_overdue"
            else _("Overdue: passed up to %(handler)s")
        )
    elif kind == EventKind.CLOSED:
        title = _("Closed: %(detail)s")
    else:
        title = titles.get(kind) or (
            str(EventKind(kind).label) if kind in EventKind.values else kind
        )
    labels = {**dict(Outcome.choices), **dict(Rating.choices)}
    return str(title) % {"handler": handler, "detail": labels.get(code, code)}


def case_events(appeal: Appeal) -> list[PublicEvent]:
    """The case's public events in order, worded for the villager who sent it."""
    return [
        PublicEvent(
            at=event.at,
            kind=event.kind,
            title=_title(event.kind, event.code, handler_name(event.region)),
            text=event.text,
        )
        for event in events_public(appeal).order_by("at", "id")
    ]


def case_for_villager(pk: int) -> Appeal | None:
    return (
        Appeal.objects.filter(pk=pk)
        .select_related("village", "village__parent", "assigned_region")
        .first()
    )


def cases_followed(ids: Sequence[int]) -> list[Appeal]:
    """The cases this browser opened with their receipt and secret, most recent first."""
    if not ids:
        return []
    found = {a.pk: a for a in Appeal.objects.filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def may_write(appeal: Appeal) -> bool:
    return appeal.state not in (State.CLOSED, State.TRANSFERRED)


def may_rate(appeal: Appeal) -> bool:
    """Once, after an answer or a closure."""
    return (
        appeal.first_answered_at is not None
        and not appeal.rating
        and appeal.state in (State.ANSWERED, State.CLOSED)
    )


def may_reopen(appeal: Appeal) -> bool:
    """Once, when answered or closed (not when passed on to another body)."""
    return appeal.reopened_at is None and appeal.state in (State.ANSWERED, State.CLOSED)
