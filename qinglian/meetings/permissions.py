"""Who changes a village's sunshine meetings: the roles the pages and the API both use.

Reading needs any role over the village (``accounts.policy``); changing needs one
of ``WRITERS`` over it. Others, the operator included, get 404 on a change.
"""

from __future__ import annotations

from qinglian.accounts.models import Role

WRITERS = (
    Role.VILLAGE_CADRE,
    Role.SUPERVISION_COMMITTEE,
    Role.VILLAGE_SUPERVISOR,
    Role.TOWN_DISCIPLINE,
    Role.TOWN_PARTY,
    Role.COUNTY_DISCIPLINE,
    Role.COUNTY_ORGANIZATION,
)
