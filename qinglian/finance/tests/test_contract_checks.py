"""Contract standardisation rules: pure functions, no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from qinglian.finance.contract_checks import (
    ContractFacts,
    ProblemCode,
    add_years,
    contract_problems,
    contract_value,
    counterparty_is_related,
    term_years,
)
from qinglian.finance.models import Contract, ContractDirection, ContractKind

# The shipped national defaults (finance/data/thresholds.csv).
DEFAULTS = {
    "lease_max_years": Decimal("20"),
    "land_contract_max_years": Decimal("30"),
    "rent_norm_per_mu": Decimal("600"),
    "rent_below_norm_ratio": Decimal("0.7"),
    "contract_resolution_min": Decimal("50000"),
}

GOOD = ContractFacts(
    kind=ContractKind.LEASE,
    direction=ContractDirection.RECEIVABLE,
    counterparty_name="张三",
    starts_on=date(2024, 1, 1),
    ends_on=date(2026, 12, 31),
    annual_rent=Decimal("6000"),
    area_mu=Decimal("10"),
)


def codes(facts: ContractFacts, *, related: bool = False, thresholds=DEFAULTS) -> list[str]:
    return [p.code for p in contract_problems(facts, thresholds, related_party=related)]


def test_a_complete_lease_at_the_norm_is_standardised():
    assert contract_problems(GOOD, DEFAULTS, related_party=False) == []


@pytest.mark.parametrize(
    "counterparty",
    [
        {"counterparty_name": "张三"},
        {"counterparty_name": "", "counterparty_person_id": 7},
        {"counterparty_name": "", "counterparty_company_id": 3},
    ],
)
def test_any_named_counterparty_is_a_party(counterparty):
    assert ProblemCode.MISSING_PARTIES not in codes(replace(GOOD, **counterparty))


def test_a_contract_without_counterparty_misses_its_parties(english):
    problems = contract_problems(
        replace(GOOD, counterparty_name="  "), DEFAULTS, related_party=False
    )
    assert [p.code for p in problems] == [ProblemCode.MISSING_PARTIES]
    assert "counterparty" in problems[0].message


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"starts_on": None}, "term"),
        ({"ends_on": None}, "term"),
        ({"annual_rent": None}, "amount"),
    ],
)
def test_missing_term_or_money_is_a_missing_term(english, change, says):
    problems = contract_problems(replace(GOOD, **change), DEFAULTS, related_party=False)
    assert [p.code for p in problems] == [ProblemCode.MISSING_TERMS]
    assert says in problems[0].message


def test_missing_dates_and_money_is_one_problem_naming_both(english):
    facts = replace(GOOD, starts_on=None, ends_on=None, annual_rent=None)
    problems = contract_problems(facts, DEFAULTS, related_party=False)
    assert [p.code for p in problems] == [ProblemCode.MISSING_TERMS]
    assert "term" in problems[0].message
    assert "annual rent" in problems[0].message


def test_an_amount_alone_states_the_money():
    assert codes(replace(GOOD, annual_rent=None, amount=Decimal("1000"))) == []


@pytest.mark.parametrize(
    ("starts", "ends", "years"),
    [
        (date(2020, 1, 1), date(2029, 12, 31), 10),
        (date(2020, 1, 1), date(2030, 1, 1), 10),
        (date(2020, 1, 1), date(2030, 1, 2), 11),
        (date(2020, 3, 1), date(2020, 3, 1), 1),
        (date(2020, 3, 1), date(2020, 9, 30), 1),
        (date(2020, 2, 29), date(2021, 2, 28), 1),
    ],
)
def test_term_years_counts_a_started_year_as_whole(starts, ends, years):
    assert term_years(starts, ends) == years


def test_add_years_moves_29_february_to_28_february():
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)


@pytest.mark.parametrize("kind", [ContractKind.LEASE, ContractKind.ASSET_CONTRACTING])
def test_lease_longer_than_twenty_years_is_flagged(english, kind):
    twenty = replace(
        GOOD,
        kind=kind,
        starts_on=date(2020, 1, 1),
        ends_on=date(2040, 1, 1),
        resolution_reference="决议",
    )
    assert ProblemCode.TERM_TOO_LONG not in codes(twenty)
    longer = replace(twenty, ends_on=date(2040, 1, 2))
    problems = contract_problems(longer, DEFAULTS, related_party=False)
    assert [p.code for p in problems] == [ProblemCode.TERM_TOO_LONG]
    assert "21 years" in problems[0].message
    assert "at most 20 years" in problems[0].message


def test_land_contracting_may_run_thirty_years_but_not_more():
    thirty = replace(
        GOOD,
        kind=ContractKind.LAND_CONTRACTING,
        starts_on=date(2020, 1, 1),
        ends_on=date(2049, 12, 31),
    )
    assert ProblemCode.TERM_TOO_LONG not in codes(thirty)
    assert ProblemCode.TERM_TOO_LONG in codes(replace(thirty, ends_on=date(2050, 6, 30)))


def test_the_term_limit_follows_the_thresholds():
    lease = replace(GOOD, starts_on=date(2020, 1, 1), ends_on=date(2034, 12, 31))
    assert ProblemCode.TERM_TOO_LONG not in codes(lease)
    stricter = DEFAULTS | {"lease_max_years": Decimal("10")}
    assert ProblemCode.TERM_TOO_LONG in codes(lease, thresholds=stricter)


def test_works_and_purchases_have_no_term_limit():
    works = replace(
        GOOD,
        kind=ContractKind.WORKS,
        starts_on=date(2000, 1, 1),
        ends_on=date(2090, 1, 1),
        annual_rent=None,
        amount=Decimal("1000"),
    )
    assert codes(works) == []


def test_rent_below_seventy_percent_of_the_norm_is_flagged(english):
    # Norm 600 yuan per mu, flagged below 70%: below 420 yuan per mu.
    at_floor = replace(GOOD, annual_rent=Decimal("4200"), area_mu=Decimal("10"))
    assert codes(at_floor) == []
    below = replace(at_floor, annual_rent=Decimal("4199"))
    problems = contract_problems(below, DEFAULTS, related_party=False)
    assert [p.code for p in problems] == [ProblemCode.RENT_BELOW_NORM]
    assert "419.90" in problems[0].message
    assert "420.00" in problems[0].message
    assert "70%" in problems[0].message


def test_cheap_land_contracting_is_flagged_too():
    facts = replace(GOOD, kind=ContractKind.LAND_CONTRACTING, annual_rent=Decimal("1000"))
    assert codes(facts) == [ProblemCode.RENT_BELOW_NORM]


@pytest.mark.parametrize(
    "change",
    [
        {"direction": ContractDirection.PAYABLE},  # the collective pays: low rent is its gain
        {"kind": ContractKind.WORKS},
        {"area_mu": None},
    ],
)
def test_rent_is_compared_only_for_land_let_out_by_area(change):
    facts = replace(GOOD, annual_rent=Decimal("100"), **change)
    assert ProblemCode.RENT_BELOW_NORM not in codes(facts)


def test_contract_worth_the_resolution_minimum_needs_a_resolution(english):
    facts = replace(GOOD, annual_rent=None, amount=Decimal("50000"))
    problems = contract_problems(facts, DEFAULTS, related_party=False)
    assert [p.code for p in problems] == [ProblemCode.NO_RESOLUTION]
    assert "50000.00" in problems[0].message
    assert codes(replace(facts, amount=Decimal("49999.99"))) == []


def test_rent_over_the_term_counts_toward_the_resolution_minimum():
    # 5,000 a year for ten years: 50,000.
    facts = replace(
        GOOD,
        annual_rent=Decimal("5000"),
        area_mu=Decimal("5"),
        starts_on=date(2020, 1, 1),
        ends_on=date(2029, 12, 31),
    )
    assert contract_value(facts) == Decimal("50000")
    assert codes(facts) == [ProblemCode.NO_RESOLUTION]
    assert codes(replace(facts, ends_on=date(2028, 12, 31))) == []


def test_contract_value_takes_the_larger_of_amount_and_rent_over_the_term():
    facts = replace(GOOD, amount=Decimal("1000"), annual_rent=Decimal("6000"))
    assert contract_value(facts) == Decimal("18000")
    assert contract_value(replace(facts, amount=Decimal("99999"))) == Decimal("99999")
    assert contract_value(replace(facts, amount=None, annual_rent=None)) is None


@pytest.mark.parametrize(
    "authority",
    [{"resolution_reference": "2024年第3次村民代表会议决议"}, {"power_matter_id": 12}],
)
def test_a_resolution_or_power_matter_authorises_a_large_contract(authority):
    facts = replace(GOOD, annual_rent=None, amount=Decimal("80000"), **authority)
    assert codes(facts) == []


def test_a_blank_resolution_reference_authorises_nothing():
    facts = replace(GOOD, annual_rent=None, amount=Decimal("80000"), resolution_reference="  ")
    assert codes(facts) == [ProblemCode.NO_RESOLUTION]


def test_a_related_counterparty_is_a_problem(english):
    problems = contract_problems(GOOD, DEFAULTS, related_party=True)
    assert [p.code for p in problems] == [ProblemCode.RELATED_PARTY]
    assert "relative" in problems[0].message


def test_without_thresholds_only_the_rules_without_numbers_apply():
    facts = replace(
        GOOD,
        starts_on=date(2000, 1, 1),
        ends_on=date(2090, 1, 1),
        annual_rent=Decimal("1"),
        amount=Decimal("10000000"),
        counterparty_name="",
    )
    assert codes(facts, thresholds={}) == [ProblemCode.MISSING_PARTIES]


def test_every_problem_is_reported_at_once():
    facts = ContractFacts(
        kind=ContractKind.LEASE,
        starts_on=date(2000, 1, 1),
        ends_on=date(2040, 12, 31),
        annual_rent=Decimal("100"),
        area_mu=Decimal("1000"),
        amount=Decimal("60000"),
    )
    assert codes(facts, related=True) == [
        ProblemCode.MISSING_PARTIES,
        ProblemCode.TERM_TOO_LONG,
        ProblemCode.RENT_BELOW_NORM,
        ProblemCode.NO_RESOLUTION,
        ProblemCode.RELATED_PARTY,
    ]


def test_facts_are_read_from_an_unsaved_contract():
    contract = Contract(
        kind=ContractKind.LAND_CONTRACTING,
        direction=ContractDirection.RECEIVABLE,
        counterparty_person_id=5,
        starts_on=date(2024, 1, 1),
        ends_on=date(2030, 12, 31),
        annual_rent=Decimal("3000"),
        area_mu=Decimal("5"),
        resolution_reference="决议",
    )
    facts = ContractFacts.of(contract)
    assert facts.counterparty_person_id == 5
    assert facts.has_counterparty
    assert facts.kind == ContractKind.LAND_CONTRACTING
    assert facts.area_mu == Decimal("5")
    assert facts.resolution_reference == "决议"


@pytest.mark.parametrize(
    ("person_id", "company_people", "related"),
    [
        (1, [], True),
        (2, [], False),
        (None, [9, 1], True),
        (None, [9], False),
        (None, [], False),
    ],
)
def test_counterparty_is_related_through_the_person_or_the_company(
    person_id, company_people, related
):
    assert (
        counterparty_is_related(
            person_id=person_id, company_people=company_people, related_ids={1, 3}
        )
        is related
    )
