"""Counting visits of village pages without keeping personal data.

A visitor is a keyed hash of their address and browser, under a random key made
for the day and deleted once the day is over: after that nobody, the operator
included, can tell whose visit it was. Counts are gathered in the serving
process and written at most every ``FLUSH_SECONDS`` (one small transaction), so
the page stays a read; a process killed in between loses those seconds' counts.
"""

from __future__ import annotations

import atexit
import hashlib
import hmac
import logging
import secrets
import threading
import time
from collections import defaultdict
from datetime import date, timedelta

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Count, Sum
from django.http import HttpRequest
from django.utils import timezone

from qinglian.disclosures.models import VisitDay, VisitorSeen, VisitSalt

logger = logging.getLogger(__name__)
FLUSH_SECONDS = 10.0
FLUSH_VISITS = 2000

_lock = threading.Lock()
_visits: dict[tuple[int, date], int] = defaultdict(int)
_visitors: dict[tuple[int, date], set[str]] = defaultdict(set)
_salts: dict[date, bytes] = {}
_last_flush = time.monotonic()


def _salt(day: date) -> bytes:
    salt = _salts.get(day)
    if salt is None:
        try:
            with transaction.atomic():
                row, _created = VisitSalt.objects.get_or_create(
                    day=day, defaults={"salt": secrets.token_hex(32)}
                )
        except IntegrityError:  # another process made it first
            row = VisitSalt.objects.get(day=day)
        salt = _salts[day] = bytes.fromhex(row.salt)
    return salt


def visitor_hash(request: HttpRequest, day: date) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    agent = request.META.get("HTTP_USER_AGENT", "")[:200]
    message = f"{address}\n{agent}".encode()
    return hmac.new(_salt(day), message, hashlib.sha256).hexdigest()[:32]


def visit_record(village_id: int, request: HttpRequest) -> None:
    day = timezone.localdate()
    visitor = visitor_hash(request, day)
    with _lock:
        _visits[(village_id, day)] += 1
        _visitors[(village_id, day)].add(visitor)
        due = time.monotonic() - _last_flush > FLUSH_SECONDS or len(_visits) > FLUSH_VISITS
    if due:
        try:
            visits_flush()
        except DatabaseError:  # the page must not fail for a count; it is tried again later
            logger.warning("visit counts could not be written now", exc_info=True)


def visits_flush() -> None:
    """Write the gathered counts: visits added, today's visitors counted anew."""
    global _last_flush
    with _lock:
        visits = dict(_visits)
        visitors = {key: set(seen) for key, seen in _visitors.items()}
        _visits.clear()
        _visitors.clear()
        _last_flush = time.monotonic()
    if not visits:
        return
    try:
        _write(visits, visitors)
    except DatabaseError:
        with _lock:  # keep them for the next flush
            for key, count in visits.items():
                _visits[key] += count
                _visitors[key].update(visitors.get(key, ()))
        raise


def _write(visits: dict[tuple[int, date], int], visitors: dict[tuple[int, date], set[str]]) -> None:
    """A few statements whatever the number of villages: the visitors inserted, their
    distinct count read back per day, the day rows added to (insert or increment)."""
    seen_table = connection.ops.quote_name(VisitorSeen._meta.db_table)
    table = connection.ops.quote_name(VisitDay._meta.db_table)
    adapt = connection.ops.adapt_datefield_value
    with transaction.atomic(), connection.cursor() as cursor:
        # Prepared statements, not model instances: a flush may carry thousands of villages.
        # Table names come from the models; values are parameters.
        cursor.executemany(
            f"INSERT INTO {seen_table} (village_id, day, visitor) VALUES (%s, %s, %s) "  # noqa: S608
            "ON CONFLICT (village_id, day, visitor) DO NOTHING",
            [
                (village_id, adapt(day), visitor)
                for (village_id, day), seen in visitors.items()
                for visitor in seen
            ],
        )
        by_day: dict[date, list[int]] = defaultdict(list)
        for village_id, day in visits:
            by_day[day].append(village_id)
        distinct: dict[tuple[int, date], int] = {}
        for day, village_ids in by_day.items():
            for start in range(0, len(village_ids), 500):
                rows = (
                    VisitorSeen.objects.filter(
                        day=day, village_id__in=village_ids[start : start + 500]
                    )
                    .values("village_id")
                    .annotate(n=Count("pk"))
                    .values_list("village_id", "n")
                )
                distinct.update(((village_id, day), n) for village_id, n in rows)
        # One upsert (SQLite 3.24+ and PostgreSQL): a new day's row, or more visits on it.
        cursor.executemany(
            f"INSERT INTO {table} (village_id, day, visits, visitors) VALUES (%s, %s, %s, %s) "  # noqa: S608
            f"ON CONFLICT (village_id, day) DO UPDATE SET visits = {table}.visits + "
            "excluded.visits, visitors = excluded.visitors",
            [
                (village_id, adapt(day), count, distinct.get((village_id, day), 0))
                for (village_id, day), count in visits.items()
            ],
        )


def _flush_at_exit() -> None:
    try:
        visits_flush()
    except Exception:  # the process is ending: say so, do not hide the exit status
        logger.warning("visit counts lost at exit", exc_info=True)


atexit.register(_flush_at_exit)


def visits_discard() -> None:
    """Forget what is gathered and the day's keys held in memory (tests start clean)."""
    with _lock:
        _visits.clear()
        _visitors.clear()
        _salts.clear()


@transaction.atomic
def visits_forget_past_days() -> int:
    """Delete yesterday's and older visitor hashes and their keys (the daily job)."""
    today = timezone.localdate()
    VisitSalt.objects.filter(day__lt=today).delete()
    for day in [d for d in _salts if d < today]:
        _salts.pop(day, None)
    deleted, _ = VisitorSeen.objects.filter(day__lt=today).delete()
    return deleted


def visits_summary(village_id: int, days: int = 30) -> dict[str, int]:
    """Visits and the sum of daily distinct visitors over the last ``days`` days."""
    since = timezone.localdate() - timedelta(days=days - 1)
    totals = VisitDay.objects.filter(village_id=village_id, day__gte=since).aggregate(
        visits=Sum("visits"), visitors=Sum("visitors"), days=Count("pk")
    )
    return {key: value or 0 for key, value in totals.items()}
