"""The procedure engine: what a step's evidence breaks, and where a matter stands.

Pure functions over an item's steps (``selectors.item_steps``), the latest record
of each step taken so far, the new evidence, the matter's amount and the village's
thresholds. Two kinds of wrong are told apart:

- evidence that cannot be true (more present than should attend, more votes than
  people, a notice that ends before it starts, a date in the future) is refused
  with a ``DomainError``: there is nothing to record;
- evidence that is true but breaks a rule (a step out of order, a meeting without
  its quorum, a notice up one day too few, too few quotes) comes back as
  ``Problem``s: the service refuses it, or records it as an exception when the
  recorder explains why; an exception is never silent.

A vote that does not reach the pass rule is neither: it is the meeting's answer,
recorded as not passed, and the matter stops there (``MatterState.REJECTED``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

from qinglian.core.calendar import working_days_between
from qinglian.core.errors import DomainError
from qinglian.powers.models import MatterState, ProcurementMode, StepKind
from qinglian.powers.rules import quorum_words, rule_named
from qinglian.powers.steps import Step

# Steps that carry a decision out: a matter whose every required step before the
# first of these is recorded is decided, and may be paid for.
CARRY_OUT_KINDS = frozenset(
    {
        StepKind.IMPLEMENTATION,
        StepKind.CONTRACT,
        StepKind.ACCEPTANCE,
        StepKind.FINANCE,
        StepKind.ARCHIVE,
    }
)
DEFAULT_MIN_QUOTES = 3


@dataclass(frozen=True)
class Evidence:
    """What the recorder says happened at a step."""

    number: int
    held_on: date
    taken: bool = True
    expected: int | None = None
    present: int | None = None
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstain: int | None = None
    publicity_start: date | None = None
    publicity_end: date | None = None
    procurement_mode: str = ""
    quotes: int | None = None
    households_expected: int | None = None
    households_present: int | None = None


# A villagers' assembly is quorate with more than half of the adults, or with the
# representatives of two thirds of the households (Organic Law Art. 22).
HOUSEHOLDS_QUORUM = "two_thirds_members"


@dataclass(frozen=True)
class Done:
    """The latest record of a step already taken (or skipped)."""

    number: int
    held_on: date
    taken: bool
    passed: bool | None
    publicity_end: date | None


@dataclass(frozen=True)
class Problem:
    code: str
    message: str


def step_label(step: Step) -> str:
    return _("step %(number)d (%(title)s)") % {"number": step.number, "title": step.title}


def is_meeting(step: Step) -> bool:
    return bool(step.params.get("quorum") or step.params.get("pass"))


def needs_publicity(step: Step) -> bool:
    return step.kind == StepKind.PUBLICITY


def required_numbers(
    steps: Sequence[Step], amount: Decimal | None, limits: Mapping[str, Decimal]
) -> set[int]:
    """The steps the matter must take: every step not marked "when required", and a
    step "above the threshold only" when the amount reaches ``power_matter_min``
    (or when no amount is given)."""
    required: set[int] = set()
    matter_min = limits.get("power_matter_min")
    for step in steps:
        if step.params.get("when") == "above_threshold":
            if amount is None or matter_min is None or amount >= matter_min:
                required.add(step.number)
        elif not step.optional:
            required.add(step.number)
    return required


def evidence_checked(step: Step, evidence: Evidence, *, started_on: date, today: date) -> None:
    """Refuse evidence that cannot be true or is missing, saying which field to fix."""
    if evidence.held_on > today:
        raise DomainError(_("The date cannot be in the future."), field="held_on")
    if evidence.held_on < started_on:
        raise DomainError(_("The date is before the matter started."), field="held_on")
    if not evidence.taken:
        return
    if is_meeting(step) or step.params.get("min_people"):
        _meeting_checked(step, evidence)
    if needs_publicity(step):
        if evidence.publicity_start is None or evidence.publicity_end is None:
            raise DomainError(
                _("Give the first and the last day the notice was up."), field="publicity_start"
            )
        if evidence.publicity_end < evidence.publicity_start:
            raise DomainError(
                _("The last day of the notice is before its first day."), field="publicity_end"
            )
    if step.kind == StepKind.PROCUREMENT:
        if evidence.procurement_mode not in ProcurementMode.values:
            raise DomainError(_("Say how it was bought."), field="procurement_mode")
        if evidence.procurement_mode != ProcurementMode.DIRECT and evidence.quotes is None:
            raise DomainError(_("Give the number of quotes or bids."), field="quotes")


def _meeting_checked(step: Step, evidence: Evidence) -> None:
    if step.params.get("min_people") and not is_meeting(step):
        if evidence.present is None:
            raise DomainError(_("Give the number of people who took part."), field="present")
        return
    if evidence.expected is None or evidence.expected == 0:
        raise DomainError(_("Give the number of people who should attend."), field="expected")
    if evidence.present is None:
        raise DomainError(_("Give the number of people who attended."), field="present")
    if evidence.present > evidence.expected:
        raise DomainError(
            _("More people attended (%(present)d) than should attend (%(expected)d).")
            % {"present": evidence.present, "expected": evidence.expected},
            field="present",
        )
    if (evidence.households_expected is None) != (evidence.households_present is None):
        raise DomainError(
            _("Give both the number of households and the number represented."),
            field="households_present",
        )
    if (
        evidence.households_expected is not None
        and evidence.households_present is not None
        and evidence.households_present > evidence.households_expected
    ):
        raise DomainError(
            _("More households were represented than the village has."),
            field="households_present",
        )
    if step.params.get("pass"):
        if evidence.votes_for is None:
            raise DomainError(_("Give the number of votes in favour."), field="votes_for")
        votes = evidence.votes_for + (evidence.votes_against or 0) + (evidence.votes_abstain or 0)
        if votes > evidence.present:
            raise DomainError(
                _("%(votes)d votes were counted but only %(present)d people attended.")
                % {"votes": votes, "present": evidence.present},
                field="votes_for",
            )


def vote_passed(step: Step, evidence: Evidence) -> bool | None:
    """Whether the vote reached the step's pass rule; None for a step without a vote."""
    name = step.params.get("pass")
    if not name or not evidence.taken or evidence.votes_for is None:
        return None
    rule = rule_named(name)
    of = evidence.expected if rule.base == "members" else evidence.present
    return rule.met(evidence.votes_for, of or 0)


def publicity_days(step: Step, start: date, end: date) -> int:
    """Days the notice was up, first and last day included; working days if the step counts so."""
    if step.params.get("working_days"):
        return working_days_between(start - timedelta(days=1), end)
    return (end - start).days + 1


def step_problems(
    steps: Sequence[Step],
    done: Mapping[int, Done],
    evidence: Evidence,
    *,
    required: set[int],
    amount: Decimal | None,
    limits: Mapping[str, Decimal],
) -> list[Problem]:
    """Every rule the evidence of ``evidence.number`` breaks, given the steps done so far."""
    by_number = {step.number: step for step in steps}
    step = by_number[evidence.number]
    problems = _order_problems(by_number, done, evidence, required)
    if not evidence.taken:
        if step.number in required:
            problems.append(
                Problem(
                    "step_skipped",
                    _("%(step)s is required and was not taken.") % {"step": step_label(step)},
                )
            )
        return problems
    problems += _meeting_problems(step, evidence)
    problems += _publicity_problems(step, evidence)
    problems += _procurement_problems(step, evidence, amount, limits)
    return problems


def _order_problems(
    by_number: Mapping[int, Step], done: Mapping[int, Done], evidence: Evidence, required: set[int]
) -> list[Problem]:
    problems: list[Problem] = []
    number = evidence.number
    for earlier in sorted(n for n in required if n < number and n not in done):
        problems.append(
            Problem(
                "earlier_step_missing",
                _("%(step)s has not been recorded; it comes before this one.")
                % {"step": step_label(by_number[earlier])},
            )
        )
    for later in sorted(n for n in done if n > number):
        problems.append(
            Problem(
                "later_step_recorded",
                _("%(step)s is already recorded; this step comes before it.")
                % {"step": step_label(by_number[later])},
            )
        )
    before = [done[n] for n in sorted(done) if n < number]
    if before:
        last = max(before, key=lambda d: d.held_on)
        if evidence.held_on < last.held_on:
            problems.append(
                Problem(
                    "dated_before_previous",
                    _("This step is dated %(date)s, before %(step)s on %(previous)s.")
                    % {
                        "date": evidence.held_on.isoformat(),
                        "step": step_label(by_number[last.number]),
                        "previous": last.held_on.isoformat(),
                    },
                )
            )
    for earlier_done in before:
        earlier_step = by_number[earlier_done.number]
        if (
            earlier_done.taken
            and earlier_done.publicity_end is not None
            and earlier_step.params.get("days")
            and evidence.held_on <= earlier_done.publicity_end
        ):
            problems.append(
                Problem(
                    "publicity_running",
                    _("The notice of %(step)s is up until %(end)s; this step comes after it.")
                    % {
                        "step": step_label(earlier_step),
                        "end": earlier_done.publicity_end.isoformat(),
                    },
                )
            )
        if earlier_done.passed is False:
            problems.append(
                Problem(
                    "after_rejection",
                    _("%(step)s did not pass; the matter stopped there.")
                    % {"step": step_label(earlier_step)},
                )
            )
    return problems


def _meeting_problems(step: Step, evidence: Evidence) -> list[Problem]:
    problems: list[Problem] = []
    quorum = step.params.get("quorum")
    if quorum and evidence.expected and evidence.present is not None:
        rule = rule_named(quorum)
        if (
            rule.base != "attendees"
            and not rule.met(evidence.present, evidence.expected)
            and not _households_quorate(rule.base, evidence)
        ):
            problems.append(
                Problem(
                    "quorum_not_met",
                    _(
                        "%(present)d of %(expected)d attended; the rule is %(rule)s "
                        "(%(needed)d people)."
                    )
                    % {
                        "present": evidence.present,
                        "expected": evidence.expected,
                        "rule": quorum_words(quorum),
                        "needed": rule.needed(evidence.expected),
                    },
                )
            )
    people = step.params.get("min_people")
    if people and evidence.present is not None and evidence.present < people:
        problems.append(
            Problem(
                "too_few_people",
                _("%(present)d people took part; at least %(needed)d must.")
                % {"present": evidence.present, "needed": people},
            )
        )
    return problems


def _households_quorate(base: str, evidence: Evidence) -> bool:
    """An assembly counted by households: two thirds of them represented."""
    if base != "adults" or not evidence.households_expected or evidence.households_present is None:
        return False
    return rule_named(HOUSEHOLDS_QUORUM).met(
        evidence.households_present, evidence.households_expected
    )


def _publicity_problems(step: Step, evidence: Evidence) -> list[Problem]:
    days = step.params.get("days")
    start, end = evidence.publicity_start, evidence.publicity_end
    if not needs_publicity(step) or not days or start is None or end is None:
        return []
    posted = publicity_days(step, start, end)
    if posted >= days:
        return []
    if step.params.get("working_days"):
        message = _(
            "The notice was up %(posted)d working days (%(start)s to %(end)s); "
            "it must be up %(days)d."
        )
    else:
        message = _(
            "The notice was up %(posted)d days (%(start)s to %(end)s); it must be up %(days)d."
        )
    return [
        Problem(
            "publicity_short",
            message
            % {"posted": posted, "start": start.isoformat(), "end": end.isoformat(), "days": days},
        )
    ]


def _procurement_problems(
    step: Step, evidence: Evidence, amount: Decimal | None, limits: Mapping[str, Decimal]
) -> list[Problem]:
    if step.kind != StepKind.PROCUREMENT:
        return []
    problems: list[Problem] = []
    tender_min = limits.get("project_public_tender_min")
    quotes_min = limits.get("project_quotes_min")
    tender_needed = step.params.get("mode") == "public_bidding" or (
        amount is not None and tender_min is not None and amount >= tender_min
    )
    if tender_needed and evidence.procurement_mode != ProcurementMode.PUBLIC_TENDER:
        problems.append(
            Problem(
                "tender_required",
                _("This must go to public tender; it was bought by %(mode)s.")
                % {"mode": ProcurementMode(evidence.procurement_mode).label},
            )
        )
    quotes_needed = step.params.get("min_quotes") or (
        DEFAULT_MIN_QUOTES
        if tender_needed or (amount is not None and quotes_min is not None and amount >= quotes_min)
        else 0
    )
    if quotes_needed and (evidence.quotes or 0) < quotes_needed:
        problems.append(
            Problem(
                "too_few_quotes",
                _("%(quotes)d quotes or bids were received; at least %(needed)d are needed.")
                % {"quotes": evidence.quotes or 0, "needed": quotes_needed},
            )
        )
    return problems


@dataclass(frozen=True)
class Standing:
    state: str
    decided_on: date | None
    finished_on: date | None


def matter_standing(
    steps: Sequence[Step], done: Mapping[int, Done], required: set[int]
) -> Standing:
    """Where the matter stands after its records: not passed, finished, decided or open."""
    if not done:
        return Standing(MatterState.OPEN, None, None)
    if any(record.passed is False for record in done.values()):
        return Standing(MatterState.REJECTED, None, None)
    carry_out = next(
        (step.number for step in steps if step.kind in CARRY_OUT_KINDS), len(steps) + 1
    )
    before = {n for n in required if n < carry_out}
    dates = [record.held_on for record in done.values()]
    if required <= done.keys():
        last = max(dates) if dates else None
        decided = max((done[n].held_on for n in before), default=last)
        return Standing(MatterState.FINISHED, decided, last)
    if before <= done.keys():
        decided = max((done[n].held_on for n in before), default=None)
        return Standing(MatterState.DECIDED, decided, None)
    return Standing(MatterState.OPEN, None, None)
