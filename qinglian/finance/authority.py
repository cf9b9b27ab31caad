"""Whether power matters authorise spending: asked of ``powers``, which registers the answer.

``finance`` comes before ``powers`` in the direction of imports (``powers`` reads
finance's thresholds), so it does not import ``powers``: the powers app registers
its check when Django starts (``PowersConfig.ready``). Without it, no matter
authorises anything, and a voucher or contract naming one is refused.

The question is asked for many numbers at once (``matters_authorising``: one
query for all the matters a 100,000-line import names); the single question is
the batch asked for one number.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

# (village id, matter ids) -> those of the ids that are the village's decided or finished matters
MattersCheck = Callable[[int, Collection[int]], set[int]]

# A matter's number is its primary key (a 64-bit integer): a larger number names no
# matter, and is not sent to the database, which could not take it as a parameter.
MAX_MATTER_ID = 2**63 - 1

_check: MattersCheck | None = None


def matters_check_register(check: MattersCheck) -> None:
    global _check
    _check = check


def matters_authorising(village_id: int, matter_ids: Collection[int]) -> set[int]:
    """Those of ``matter_ids`` that are the village's decided or finished matters (one query)."""
    wanted = {matter_id for matter_id in matter_ids if 1 <= matter_id <= MAX_MATTER_ID}
    if _check is None or not wanted:
        return set()
    return _check(village_id, wanted) & wanted


def matter_authorises(village_id: int, matter_id: int) -> bool:
    """Whether the village's matter with that number is decided or finished."""
    return matter_id in matters_authorising(village_id, (matter_id,))
