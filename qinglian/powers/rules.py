"""Names of the quorum and pass rules a procedure step may carry, and how to say them.

The procedure engine (a later part of issue 7) reads the same names; domain.md
§3.3 gives the statutory values.
"""

from __future__ import annotations

from dataclasses import dataclass
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
        notes.append(quorum_words(quorum))
    if rule := params.get("pass"):
        notes.append(pass_words(rule))
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


# --- the rules as arithmetic ----------------------------------------------------------
#
# A rule's name is a share and what it is a share of: ``two_thirds_members`` is "at
# least two thirds of those who should attend". A region that holds its meetings to
# other shares writes them in its own list version (``three_quarters_attendees``);
# the names below are every share and base the engine knows.

SHARES: dict[str, tuple[int, int, bool]] = {
    # name: (numerator, denominator, strictly more than)
    "more_than_half": (1, 2, True),
    "half": (1, 2, False),
    "two_thirds": (2, 3, False),
    "three_quarters": (3, 4, False),
    "four_fifths": (4, 5, False),
}
BASES = ("members", "attendees", "adults")


@dataclass(frozen=True)
class Rule:
    name: str
    numerator: int
    denominator: int
    strict: bool
    base: str  # members (those who should attend), attendees, adults

    def met(self, count: int, of: int) -> bool:
        """Whether ``count`` out of ``of`` reaches the share (integers, no rounding)."""
        if of <= 0:
            return False
        if self.strict:
            return count * self.denominator > of * self.numerator
        return count * self.denominator >= of * self.numerator

    def needed(self, of: int) -> int:
        """The smallest count that meets the rule out of ``of``."""
        if self.strict:
            return of * self.numerator // self.denominator + 1
        return -(-of * self.numerator // self.denominator)


def rule_named(name: str) -> Rule:
    """The rule a name stands for; ``ValueError`` for a name the engine does not know."""
    for share, (numerator, denominator, strict) in SHARES.items():
        prefix = share + "_"
        if name.startswith(prefix) and name[len(prefix) :] in BASES:
            return Rule(name, numerator, denominator, strict, name[len(prefix) :])
    raise ValueError(name)


def quorum_words(name: str) -> str:
    """A quorum rule in words: the shipped phrasing, or one made from its share and base."""
    if name in QUORUMS:
        return str(QUORUMS[name])
    rule = _rule_or_none(name)
    if rule is None:
        return name
    return _("%(share)s of %(base)s present") % {
        "share": _share_words(rule),
        "base": _base_words(rule),
    }


def pass_words(name: str) -> str:
    """A pass rule in words: the shipped phrasing, or one made from its share and base."""
    if name in PASS_RULES:
        return str(PASS_RULES[name])
    rule = _rule_or_none(name)
    if rule is None:
        return name
    return _("passed by %(share)s of %(base)s") % {
        "share": _share_words(rule),
        "base": _base_words(rule),
    }


def _rule_or_none(name: str) -> Rule | None:
    try:
        return rule_named(name)
    except ValueError:
        return None


def _share_words(rule: Rule) -> str:
    share = f"{rule.numerator}/{rule.denominator}"
    if rule.strict:
        return _("more than %(share)s") % {"share": share}
    return _("at least %(share)s") % {"share": share}


def _base_words(rule: Rule) -> str:
    return {
        "members": _("those who should attend"),
        "attendees": _("those present"),
        "adults": _("adult villagers"),
    }[rule.base]


def params_problems(params: dict[str, Any]) -> list[str]:
    """What is wrong with a library step's parameters, for the admin (empty when fine)."""
    problems: list[str] = []
    for key in ("quorum", "pass"):
        name = params.get(key)
        if name is None:
            continue
        try:
            rule_named(str(name))
        except ValueError:
            problems.append(
                _("“%(name)s” is not a rule: write a share (%(shares)s) and a base (%(bases)s).")
                % {"name": name, "shares": ", ".join(SHARES), "bases": ", ".join(BASES)}
            )
    days = params.get("days")
    if days is not None and (not isinstance(days, int) or days < 0):
        problems.append(_("Publicity days must be a whole number."))
    return problems
