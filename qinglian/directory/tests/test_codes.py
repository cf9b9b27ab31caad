"""Rules without a database: division codes, ID numbers, phones, credit codes."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qinglian.core.errors import DomainError
from qinglian.directory.codes import (
    mask_phone,
    normalise_credit_code,
    normalise_phone,
    parse_id_number,
    region_path,
)
from qinglian.directory.factories import make_id_number

KEY = "test-key"


def test_valid_id_number_is_reduced_to_hash_and_mask():
    number = make_id_number("339901", date(1975, 3, 9), 12)
    identity = parse_id_number(number, key=KEY)
    assert identity.masked == number[:6] + "********" + number[14:]
    assert identity.birth_date_iso == "1975-03-09"
    assert identity.gender == "male"
    assert number not in identity.keyed_hash and len(identity.keyed_hash) == 64


def test_hash_depends_on_the_key():
    number = make_id_number("339901", date(1975, 3, 9), 12)
    assert (
        parse_id_number(number, key="a").keyed_hash != parse_id_number(number, key="b").keyed_hash
    )


def test_lowercase_x_and_spaces_are_accepted():
    number = next(
        make_id_number("110101", date(1990, 1, d), s)
        for d in range(1, 28)
        for s in range(200)
        if make_id_number("110101", date(1990, 1, d), s).endswith("X")
    )
    spaced = f"{number[:6]} {number[6:14]} {number[14:].lower()}"
    assert (
        parse_id_number(spaced, key=KEY).keyed_hash == parse_id_number(number, key=KEY).keyed_hash
    )


@given(st.integers(min_value=0, max_value=999), st.dates(date(1900, 1, 1), date(2020, 12, 31)))
def test_any_wrong_check_digit_is_refused(sequence, born):
    number = make_id_number("330226", born, sequence)
    assert parse_id_number(number, key=KEY)
    for wrong in "0123456789X":
        if wrong != number[-1]:
            with pytest.raises(DomainError) as refused:
                parse_id_number(number[:-1] + wrong, key=KEY)
            assert refused.value.field == "id_number"


@pytest.mark.parametrize(
    ("raw", "message_part"),
    [
        ("12345", "18 characters"),
        ("33990119750309001A", "18 characters"),
        ("993901197503090019", "province"),
        ("339901197502300019", "birth date"),
        ("339901210001010019", "birth date"),
    ],
)
def test_malformed_id_numbers_say_what_is_wrong(raw, message_part, english):
    with pytest.raises(DomainError) as refused:
        parse_id_number(raw, key=KEY)
    assert refused.value.field == "id_number"
    assert message_part in refused.value.message


def test_region_paths_by_level():
    assert region_path("339901000000", "county") == "339901"
    assert region_path("339901100000", "township") == "339901100"
    assert region_path("339901100201", "village") == "339901100201"
    assert region_path("339901100201003", "villager_group") == "339901100201003"


@pytest.mark.parametrize(
    ("code", "level"),
    [("33990110020", "village"), ("3399011002011", "village"), ("339901100201", "township")],
)
def test_bad_division_codes_are_refused(code, level):
    with pytest.raises(DomainError) as refused:
        region_path(code, level)
    assert refused.value.field == "code"


def test_phone_is_normalised_and_masked():
    assert normalise_phone("+86 139-1234-5678") == "13912345678"
    assert mask_phone("13912345678") == "139****5678"
    assert mask_phone("") == ""
    with pytest.raises(DomainError) as refused:
        normalise_phone("12345678901")
    assert refused.value.field == "phone"


def test_credit_code_check_digit():
    assert normalise_credit_code("91330200MA2AE6TG3W")  # a syntactically valid code
    with pytest.raises(DomainError) as refused:
        normalise_credit_code("91330200MA2AE6TG3X")
    assert refused.value.field == "credit_code"


def test_errors_are_in_chinese_by_default():
    with pytest.raises(DomainError) as refused:
        parse_id_number("12345", key=KEY)
    assert refused.value.message == "身份证号码为18位：前17位为数字，最后一位为数字或X。"
