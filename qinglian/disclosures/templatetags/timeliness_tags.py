"""How the timeliness pages write an on-time rate: 83%, or — when nothing fell due."""

from __future__ import annotations

from django import template

from qinglian.disclosures.calendar import Timeliness
from qinglian.disclosures.charts import rate_text

register = template.Library()


@register.filter
def rate(counts: Timeliness) -> str:
    return rate_text(counts)
