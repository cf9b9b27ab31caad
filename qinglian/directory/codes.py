"""Division codes, ID-card numbers, credit codes and phone numbers: rules, no database.

A statistical division code has 12 digits: province (2), prefecture (2), county (2),
township (3), village (3). A region's *path* is the significant prefix of its code
(6 digits for a county, 9 for a township, 12 for a village); a villager group adds
3 digits to its village's code. All regions below one have paths that start with
its path, which makes a subtree one indexed range scan.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidComponent, ValidationError

from qinglian.core.errors import DomainError

LEVEL_PATH_LENGTH = {"county": 6, "township": 9, "village": 12, "villager_group": 15}
_DIGITS = re.compile(r"^\d+$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def region_path(code: str, level: str) -> str:
    """The significant prefix of ``code`` for a region of ``level``."""
    length = LEVEL_PATH_LENGTH[level]
    if level == "villager_group":
        if len(code) != 15 or not _DIGITS.match(code):
            raise DomainError(_("A villager group code has 15 digits."), field="code")
        return code
    if len(code) != 12 or not _DIGITS.match(code):
        raise DomainError(_("A division code has exactly 12 digits."), field="code")
    if code[length:].strip("0"):
        raise DomainError(
            _("A %(level)s code ends in zeros after digit %(n)s; %(code)s does not.")
            % {"code": code, "n": length, "level": level},
            field="code",
        )
    return code[:length]


_PATH_LENGTHS = sorted(set(LEVEL_PATH_LENGTH.values()))


def ancestor_paths(path: str) -> list[str]:
    """The paths of the region with ``path`` and of every region above it, county first."""
    return [path[:length] for length in _PATH_LENGTHS if length <= len(path)]


def path_upper_bound(path: str) -> str | None:
    """Exclusive upper bound of the digit strings that start with ``path``.

    The bound is ``path`` plus one, as digits of the same width ("339901100" →
    "339901101"), so that the range compares digits with digits only: under a
    locale collation (zh_CN, ICU) punctuation such as ":" may sort before digits,
    digits never sort out of order. A path of all nines has no upper bound.
    """
    if path.strip("9") == "":
        return None
    return str(int(path) + 1).zfill(len(path))


@dataclass(frozen=True)
class IdentityNumber:
    """A validated resident ID-card number, reduced to what may be stored."""

    keyed_hash: str
    masked: str
    birth_date_iso: str
    gender: str  # "male" | "female", from the sequence digit


# Province-level prefixes of GB/T 2260 (the first two digits of any division code).
_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")


def parse_id_number(raw: str, *, key: str, today: date | None = None) -> IdentityNumber:
    """Validate an 18-character ID number (GB 11643) and reduce it to what may be kept.

    Checked: the shape, the province prefix, a real birth date not in the future,
    and the ISO 7064 MOD 11-2 check digit. The county part is not looked up: people
    are registered under codes of counties that have since been merged or renamed.
    """
    number = re.sub(r"[\s-]", "", raw or "").upper()
    if not _ID_SHAPE.match(number):
        raise DomainError(
            _("An ID number has 18 characters: 17 digits and a last digit or X."),
            field="id_number",
        )
    if number[:2] not in _PROVINCES:
        raise DomainError(
            _("The first two digits of the ID number do not name a province."),
            field="id_number",
        )
    try:
        birth = ric.get_birth_date(number)
    except (InvalidComponent, ValueError):
        birth = None
    if birth is None or birth > (today or date.today()) or birth.year < 1880:
        raise DomainError(_("The ID number contains an impossible birth date."), field="id_number")
    if ric.calc_check_digit(number) != number[-1]:
        raise DomainError(
            _("The ID number's last character does not match its check digit; please re-check it."),
            field="id_number",
        )
    digest = hmac.new(key.encode(), number.encode(), hashlib.sha256).hexdigest()
    gender = "male" if int(number[16]) % 2 else "female"
    return IdentityNumber(
        keyed_hash=digest,
        masked=f"{number[:6]}********{number[14:]}",
        birth_date_iso=birth.isoformat(),
        gender=gender,
    )


def normalise_phone(raw: str) -> str:
    phone = re.sub(r"[\s-]", "", raw or "")
    if phone.startswith("+86"):
        phone = phone[3:]
    if phone and not _MOBILE.match(phone):
        raise DomainError(
            _("A mobile number has 11 digits and starts with 13 to 19."), field="phone"
        )
    return phone


def mask_phone(phone: str) -> str:
    """138****5678: the form in which a phone number is ever shown."""
    if not phone:
        return ""
    return f"{phone[:3]}****{phone[-4:]}"


def normalise_credit_code(raw: str) -> str:
    """Validate an 18-character unified social credit code (GB 32100 check digit)."""
    code = (raw or "").strip().upper()
    try:
        return uscc.validate(code)
    except ValidationError:
        raise DomainError(
            _("This is not a valid unified social credit code (18 characters, check digit last)."),
            field="credit_code",
        ) from None
