"""What a database superuser can do behind the application's back, for tamper tests."""

from __future__ import annotations

from django.db import connection


def lift_append_only(table: str) -> None:
    """Disable (PostgreSQL) or drop (SQLite) a table's triggers; the rollback restores them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            return
        triggers = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s"
        cursor.execute(triggers, [table])
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP TRIGGER "{name}"')
