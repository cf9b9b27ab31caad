"""Is a contract standardised? Rules on a contract's facts, without a database.

A contract is *standardised* (规范) when none of these problems is found: it names
its counterparty; it states its term and its money; its term is within the legal
maximum for its kind; land let out is not rented far below the norm; a contract
worth at least the resolution threshold names the resolution (or power matter)
that authorised it; and it was not signed with a cadre of the village, a cadre's
close relative, or a company such a person represents or holds shares in.

Thresholds come in as the dict of ``finance.thresholds.threshold_values``; a
check whose threshold is missing is skipped.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from django.utils.translation import gettext as _

from qinglian.finance.models.ledger import CENT
from qinglian.finance.models.property import ContractDirection, ContractKind
from qinglian.finance.models.thresholds import ThresholdKey

# Which threshold bounds the term of which kind of contract.
TERM_LIMIT_KEY: dict[str, str] = {
    ContractKind.LEASE: ThresholdKey.LEASE_MAX_YEARS,
    ContractKind.ASSET_CONTRACTING: ThresholdKey.LEASE_MAX_YEARS,
    ContractKind.LAND_CONTRACTING: ThresholdKey.LAND_CONTRACT_MAX_YEARS,
}
# Kinds whose rent per mu is compared with the norm.
RENTED_LAND_KINDS = frozenset({ContractKind.LAND_CONTRACTING, ContractKind.LEASE})


class ProblemCode(StrEnum):
    MISSING_PARTIES = "missing_parties"
    MISSING_TERMS = "missing_terms"
    TERM_TOO_LONG = "term_too_long"
    RENT_BELOW_NORM = "rent_below_norm"
    NO_RESOLUTION = "no_resolution"
    RELATED_PARTY = "related_party"


@dataclass(frozen=True)
class ContractProblem:
    code: ProblemCode
    message: str


class _ContractLike(Protocol):
    kind: str
    direction: str
    counterparty_person_id: int | None
    counterparty_company_id: int | None
    counterparty_name: str
    starts_on: date | None
    ends_on: date | None
    amount: Decimal | None
    annual_rent: Decimal | None
    area_mu: Decimal | None
    resolution_reference: str
    power_matter_id: int | None


@dataclass(frozen=True)
class ContractFacts:
    """What the checks read of a contract."""

    kind: str
    direction: str = ContractDirection.RECEIVABLE
    counterparty_person_id: int | None = None
    counterparty_company_id: int | None = None
    counterparty_name: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    amount: Decimal | None = None
    annual_rent: Decimal | None = None
    area_mu: Decimal | None = None
    resolution_reference: str = ""
    power_matter_id: int | None = None

    @classmethod
    def of(cls, contract: _ContractLike) -> ContractFacts:
        """The facts of a ``Contract`` row (reads its own fields only, no query)."""
        return cls(
            kind=contract.kind,
            direction=contract.direction,
            counterparty_person_id=contract.counterparty_person_id,
            counterparty_company_id=contract.counterparty_company_id,
            counterparty_name=contract.counterparty_name,
            starts_on=contract.starts_on,
            ends_on=contract.ends_on,
            amount=contract.amount,
            annual_rent=contract.annual_rent,
            area_mu=contract.area_mu,
            resolution_reference=contract.resolution_reference,
            power_matter_id=contract.power_matter_id,
        )

    @property
    def has_counterparty(self) -> bool:
        return bool(
            self.counterparty_person_id
            or self.counterparty_company_id
            or self.counterparty_name.strip()
        )


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def term_years(starts_on: date, ends_on: date) -> int:
    """Whole years the term covers, a started year counting as a whole one (at least 1).

    "1 January 2020 to 31 December 2029" and "… to 1 January 2030" are both ten years;
    one day more is eleven.
    """
    years = max(ends_on.year - starts_on.year - 1, 0)
    while add_years(starts_on, years) < ends_on:
        years += 1
    return max(years, 1)


def contract_value(facts: ContractFacts) -> Decimal | None:
    """What the contract is worth: its amount, or its annual rent over the term if larger."""
    values = []
    if facts.amount is not None:
        values.append(facts.amount)
    if facts.annual_rent is not None and facts.starts_on and facts.ends_on:
        values.append(facts.annual_rent * term_years(facts.starts_on, facts.ends_on))
    return max(values) if values else None


def counterparty_is_related(
    *,
    person_id: int | None,
    company_people: Iterable[int],
    related_ids: Collection[int],
) -> bool:
    """Whether the counterparty is, or is a company of, a person in ``related_ids``.

    ``company_people``: the counterparty company's legal representative and shareholders.
    """
    if person_id is not None and person_id in related_ids:
        return True
    return any(pid in related_ids for pid in company_people)


def _money(value: Decimal) -> str:
    return str(value.quantize(CENT))


def contract_problems(
    facts: ContractFacts, thresholds: Mapping[str, Decimal], *, related_party: bool
) -> list[ContractProblem]:
    """Every standardisation problem of a contract; an empty list means standardised."""
    problems: list[ContractProblem] = []
    if not facts.has_counterparty:
        problems.append(
            ContractProblem(
                ProblemCode.MISSING_PARTIES,
                _("The contract does not name its counterparty."),
            )
        )
    no_term = facts.starts_on is None or facts.ends_on is None
    no_money = facts.amount is None and facts.annual_rent is None
    if no_term or no_money:
        if no_term and no_money:
            message = _(
                "The contract states neither its term (start and end dates) "
                "nor its amount or annual rent."
            )
        elif no_term:
            message = _("The contract does not state its term (start and end dates).")
        else:
            message = _("The contract states neither an amount nor an annual rent.")
        problems.append(ContractProblem(ProblemCode.MISSING_TERMS, message))
    problems.extend(_term_problems(facts, thresholds))
    problems.extend(_rent_problems(facts, thresholds))
    problems.extend(_resolution_problems(facts, thresholds))
    if related_party:
        problems.append(
            ContractProblem(
                ProblemCode.RELATED_PARTY,
                _(
                    "The counterparty is a cadre of the village, a cadre's close relative, "
                    "or a company one of them represents or holds shares in."
                ),
            )
        )
    return problems


def _term_problems(
    facts: ContractFacts, thresholds: Mapping[str, Decimal]
) -> list[ContractProblem]:
    limit_key = TERM_LIMIT_KEY.get(facts.kind)
    if limit_key is None or limit_key not in thresholds:
        return []
    if facts.starts_on is None or facts.ends_on is None:
        return []
    max_years = int(thresholds[limit_key])
    years = term_years(facts.starts_on, facts.ends_on)
    if years <= max_years:
        return []
    return [
        ContractProblem(
            ProblemCode.TERM_TOO_LONG,
            _("The term runs %(years)s years; a %(kind)s may run at most %(max)s years.")
            % {"years": years, "kind": ContractKind(facts.kind).label, "max": max_years},
        )
    ]


def _rent_problems(
    facts: ContractFacts, thresholds: Mapping[str, Decimal]
) -> list[ContractProblem]:
    if facts.kind not in RENTED_LAND_KINDS or facts.direction != ContractDirection.RECEIVABLE:
        return []
    norm = thresholds.get(ThresholdKey.RENT_NORM_PER_MU)
    ratio = thresholds.get(ThresholdKey.RENT_BELOW_NORM_RATIO)
    if norm is None or ratio is None:
        return []
    if facts.annual_rent is None or not facts.area_mu or facts.area_mu <= 0:
        return []
    per_mu = facts.annual_rent / facts.area_mu
    floor = norm * ratio
    if per_mu >= floor:
        return []
    return [
        ContractProblem(
            ProblemCode.RENT_BELOW_NORM,
            _(
                "The rent is %(rent)s yuan per mu a year, below %(floor)s "
                "(%(percent)s%% of the norm of %(norm)s yuan per mu)."
            )
            % {
                "rent": _money(per_mu),
                "floor": _money(floor),
                "percent": format((ratio * 100).normalize(), "f"),
                "norm": _money(norm),
            },
        )
    ]


def _resolution_problems(
    facts: ContractFacts, thresholds: Mapping[str, Decimal]
) -> list[ContractProblem]:
    minimum = thresholds.get(ThresholdKey.CONTRACT_RESOLUTION_MIN)
    value = contract_value(facts)
    if minimum is None or value is None or value < minimum:
        return []
    if facts.resolution_reference.strip() or facts.power_matter_id is not None:
        return []
    return [
        ContractProblem(
            ProblemCode.NO_RESOLUTION,
            _(
                "The contract is worth %(value)s yuan (%(minimum)s or more) but names no "
                "authorising resolution or power matter."
            )
            % {"value": _money(value), "minimum": _money(minimum)},
        )
    ]
