"""Reading cases: what staff may see (through the access policy), and what is public."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from qinglian.accounts import policy
from qinglian.accounts.models import Role
from qinglian.appeals.models import (
    Appeal,
    AppealEvent,
    Body,
    PublishedAnswer,
    SealingKey,
)
from qinglian.directory.models import Person, Region

# Who handles (and sees) a case the village handles: the village's cadres,
# bookkeeper and supervisors, and the township and county above them.
VILLAGE_CASE_ROLES = frozenset(
    {
        Role.VILLAGE_CADRE,
        Role.VILLAGE_ACCOUNTANT,
        Role.SUPERVISION_COMMITTEE,
        Role.VILLAGE_SUPERVISOR,
        Role.TOWN_PARTY,
        Role.TOWN_DISCIPLINE,
        Role.COUNTY_DISCIPLINE,
    }
)
# A case the commission handles (every report, and anything naming a cadre) is
# seen by discipline commission officers only: no village account, no operator.
COMMISSION_ROLES = frozenset({Role.TOWN_DISCIPLINE, Role.COUNTY_DISCIPLINE})
# Roles that may answer, close and write to villagers on a village case.
VILLAGE_ANSWER_ROLES = frozenset(
    {Role.VILLAGE_CADRE, Role.VILLAGE_ACCOUNTANT, Role.TOWN_PARTY, *COMMISSION_ROLES}
)


def appeals_visible(user: Any) -> QuerySet[Appeal]:
    """Cases the user may see: scope by handling region and body, then recusal."""
    scope = Q(body=Body.VILLAGE) & policy.scope_q(
        user, "assigned_region__path", roles=VILLAGE_CASE_ROLES
    )
    scope |= Q(body=Body.COMMISSION) & policy.scope_q(
        user, "assigned_region__path", roles=COMMISSION_ROLES
    )
    cases = Appeal.objects.filter(scope)
    recused = policy.recused_person_ids(user)
    if recused:
        cases = cases.exclude(subjects__in=recused)
    return cases


def appeal_for_staff(user: Any, pk: Any) -> Appeal:
    """One case the user may see, or 404 (for missing and for not theirs alike)."""
    appeal = (
        appeals_visible(user)
        .filter(pk=pk)
        .select_related("village", "village__parent", "assigned_region", "disclosure")
        .first()
    )
    if appeal is None:
        raise Http404
    return appeal


def may_answer(user: Any, appeal: Appeal) -> bool:
    roles = COMMISSION_ROLES if appeal.body == Body.COMMISSION else VILLAGE_ANSWER_ROLES
    return policy.can_reach_region(user, appeal.assigned_region, roles=roles)


def may_direct(user: Any, appeal: Appeal) -> bool:
    """Reassign or transfer: a commission officer over the case's handling region."""
    return policy.can_reach_region(user, appeal.assigned_region, roles=COMMISSION_ROLES)


def sealing_keys_for(village: Region) -> list[SealingKey]:
    """The keys in use of the commissions above the village (township and county)."""
    return list(
        SealingKey.objects.filter(
            retired_at__isnull=True, region__path__in=_ancestors(village)
        ).select_related("region")
    )


def _ancestors(village: Region) -> list[str]:
    from qinglian.directory.codes import ancestor_paths

    return [p for p in ancestor_paths(village.path) if p != village.path]


def keys_user_can_open(user: Any, appeal: Appeal) -> list[SealingKey]:
    """Keys of the case's sealed identities that belong to a commission the user serves on."""
    keys = [identity.key for identity in appeal.identities.select_related("key__region")]
    return [k for k in keys if policy.can_reach_region(user, k.region, roles=COMMISSION_ROLES)]


def events_public(appeal: Appeal) -> QuerySet[AppealEvent]:
    return appeal.events.filter(public=True).select_related("region")


def events_all(appeal: Appeal) -> QuerySet[AppealEvent]:
    return appeal.events.select_related("actor", "region")


def cadres_to_name(village: Region) -> list[Person]:
    """The village's cadres in office today, as published on its page: who may be named."""
    today = timezone.localdate()
    return list(
        Person.objects.filter(
            Q(terms__ended_on__isnull=True) | Q(terms__ended_on__gte=today),
            terms__village=village,
            terms__started_on__lte=today,
        )
        .distinct()
        .order_by("name", "pk")
    )


def answers_by_line(disclosure_id: int) -> dict[str, list[PublishedAnswer]]:
    """Published answers about the lines of one item: the latest version of each case."""
    latest: dict[int, PublishedAnswer] = {}
    for answer in PublishedAnswer.objects.filter(disclosure_id=disclosure_id).order_by(
        "appeal_id", "version"
    ):
        latest[answer.appeal_id] = answer
    lines: dict[str, list[PublishedAnswer]] = defaultdict(list)
    for answer in sorted(latest.values(), key=lambda a: a.published_at):
        lines[answer.line_key].append(answer)
    return dict(lines)
