"""How periods read on the village page: 2025年3月, 2025年第1季度, 长期公开."""

from __future__ import annotations

import re

from django import template
from django.utils.translation import gettext as _

register = template.Library()

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_HALF = re.compile(r"^(\d{4})-H([12])$")
_EVENT = re.compile(r"^[EP](\d{4}-\d{2}-\d{2})-\d+$")


@register.filter
def period_label(key: str) -> str:
    if match := _MONTH.match(key):
        return _("%(year)s-%(month)s") % {"year": match[1], "month": int(match[2])}
    if match := _QUARTER.match(key):
        return _("%(year)s, quarter %(quarter)s") % {"year": match[1], "quarter": match[2]}
    if match := _HALF.match(key):
        if match[2] == "1":
            return _("%(year)s, first half") % {"year": match[1]}
        return _("%(year)s, second half") % {"year": match[1]}
    if match := _EVENT.match(key):
        return match[1]
    if key == "standing":
        return _("standing")
    if re.fullmatch(r"\d{4}", key):
        return _("year %(year)s") % {"year": key}
    return key
