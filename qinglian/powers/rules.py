"""Names of the quorum and pass rules a procedure step may carry, and how to say them.

The procedure engine (a later part of issue 7) reads the same names; domain.md
§3.3 gives the statutory values.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

BODIES = {
    "branch_committee": gettext_lazy("party branch committee"),
    "two_committees": gettext_lazy("joint meeting of the two committees"),
    "supervision_committee": gettext_lazy("village affairs supervision committee"),
    "party_members": gettext_lazy("party members' meeting"),
    "representatives": gettext_lazy("villager representatives' meeting"),
    "assembly": gettext_lazy("villagers' assembly"),
    "villager_group": gettext_lazy("villager group meeting"),
    "members_meeting": gettext_lazy("members' meeting of the collective organisation"),
    "appraisal_panel": gettext_lazy("democratic appraisal meeting"),
    "township": gettext_lazy("township"),
    "township_joint": gettext_lazy("township joint review"),
    "responsible_person": gettext_lazy("person responsible"),
    "seal_holder": gettext_lazy("seal holder"),
}

QUORUMS = {
    "two_thirds_members": gettext_lazy("at least 2/3 of members present"),
    "more_than_half_adults": gettext_lazy(
        "more than half of adult villagers, or 2/3 of households, present"
    ),
}

PASS_RULES = {
    "more_than_half_members": gettext_lazy("passed by more than half of those who should attend"),
    "more_than_half_attendees": gettext_lazy("passed by more than half of attendees"),
    "two_thirds_attendees": gettext_lazy("passed by 2/3 of attendees"),
    "more_than_half_adults": gettext_lazy("elected by more than half of the votes cast"),
}

CADENCES = {
    "monthly": gettext_lazy("monthly"),
    "quarterly": gettext_lazy("quarterly"),
    "semiannual": gettext_lazy("every half year"),
}


def step_notes(params: dict[str, Any], *, optional: bool = False) -> list[str]:
    """The rules of one step in words, one short phrase each, for a flowchart box."""
    notes: list[str] = []
    if body := params.get("body"):
        notes.append(str(BODIES.get(body, body)))
    if quorum := params.get("quorum"):
        notes.append(str(QUORUMS.get(quorum, quorum)))
    if rule := params.get("pass"):
        notes.append(str(PASS_RULES.get(rule, rule)))
    if days := params.get("days"):
        if params.get("working_days"):
            notes.append(_("%(days)d working days") % {"days": days})
        else:
            notes.append(_("%(days)d days") % {"days": days})
    if cadence := params.get("cadence"):
        notes.append(str(CADENCES.get(cadence, cadence)))
    if people := params.get("min_people"):
        notes.append(_("at least %(n)d people") % {"n": people})
    if quotes := params.get("min_quotes"):
        notes.append(_("at least %(n)d quotes") % {"n": quotes})
    if params.get("mode") == "public_bidding":
        notes.append(_("public bidding"))
    if params.get("when") == "above_threshold":
        notes.append(_("above the threshold only"))
    if optional:
        notes.append(_("when required"))
    return notes
