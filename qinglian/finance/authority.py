"""Whether a power matter authorises spending: asked of ``powers``, which registers the answer.

``finance`` comes before ``powers`` in the direction of imports (``powers`` reads
finance's thresholds), so it does not import ``powers``: the powers app registers
its check when Django starts (``PowersConfig.ready``). Without it, no matter
authorises anything, and a voucher or contract naming one is refused.
"""

from __future__ import annotations

from collections.abc import Callable

MatterCheck = Callable[[int, int], bool]  # (village id, matter id) -> decided or finished

_check: MatterCheck | None = None


def matter_check_register(check: MatterCheck) -> None:
    global _check
    _check = check


def matter_authorises(village_id: int, matter_id: int) -> bool:
    """Whether the village's matter with that number is decided or finished."""
    return _check is not None and _check(village_id, matter_id)
