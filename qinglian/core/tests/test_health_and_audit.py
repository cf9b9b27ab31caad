from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.test import Client

from qinglian.core.audit import audit_record
from qinglian.core.calendar import add_working_days, is_working_day
from qinglian.core.models import AuditEvent, WorkerHeartbeat
from qinglian.core.tasks import expired_sessions_clear, worker_heartbeat


def test_healthz_ok(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "worker_last_seen": None}


def test_healthz_reports_the_worker_heartbeat(db):
    with time_machine.travel(datetime(2026, 11, 2, 8, 30, tzinfo=UTC), tick=False):
        worker_heartbeat.call_local()
    assert Client().get("/healthz").json()["worker_last_seen"] == "2026-11-02T08:30:00+00:00"
    worker_heartbeat.call_local()  # idempotent: still one row
    assert WorkerHeartbeat.objects.count() == 1


def test_expired_sessions_are_cleared(db):
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    with time_machine.travel(datetime(2020, 1, 1, tzinfo=UTC)):
        old = SessionStore()
        old.create()
    fresh = SessionStore()
    fresh.create()
    expired_sessions_clear.call_local()
    assert list(Session.objects.values_list("session_key", flat=True)) == [fresh.session_key]


def test_healthz_503_when_database_does_not_answer(db, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    client = Client()
    with monkeypatch.context() as patched:
        patched.setattr(connection, "cursor", broken_cursor)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_audit_needs_the_changes_transaction(tree):
    with pytest.raises(RuntimeError):
        # pytest-django wraps tests in atomic; leave it to see the guard.
        connection.in_atomic_block = False
        try:
            audit_record(actor=None, verb="x", target=tree.county)
        finally:
            connection.in_atomic_block = True


def test_audit_events_cannot_be_changed_or_deleted_even_in_sql(tree):
    with transaction.atomic():
        event = audit_record(actor=None, verb="region.created", target=tree.county)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(verb="forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent")
    event.refresh_from_db()
    assert event.verb == "region.created"


def test_working_days_skip_national_day_and_count_makeup_day(db):
    from datetime import date

    assert not is_working_day(date(2026, 10, 1))
    assert is_working_day(date(2026, 10, 10))  # a Saturday worked in exchange
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)


def test_working_days_beyond_known_calendar_fall_back_to_weekdays(db):
    from datetime import date

    assert add_working_days(date(2027, 3, 5), 1) == date(2027, 3, 8)  # Friday → Monday
