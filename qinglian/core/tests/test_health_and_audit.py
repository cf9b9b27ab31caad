from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client

from qinglian.core.audit import audit_record
from qinglian.core.calendar import add_working_days, is_working_day
from qinglian.core.models import AuditEvent


def test_healthz_ok(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


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


def test_working_days_skip_national_day_and_count_makeup_day():
    from datetime import date

    assert not is_working_day(date(2026, 10, 1))
    assert is_working_day(date(2026, 10, 10))  # a Saturday worked in exchange
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)


def test_working_days_beyond_known_calendar_fall_back_to_weekdays():
    from datetime import date

    assert add_working_days(date(2027, 3, 5), 1) == date(2027, 3, 8)  # Friday → Monday
