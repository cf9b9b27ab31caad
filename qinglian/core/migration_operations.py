"""Migration operations shared by apps: append-only tables enforced by the database."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def _statements(table: str) -> dict[str, tuple[list[str], list[str]]]:
    return {
        "sqlite": (
            [
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
                f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
            ],
            [
                f"DROP TRIGGER IF EXISTS {table}_no_update",
                f"DROP TRIGGER IF EXISTS {table}_no_delete",
            ],
        ),
        "postgresql": (
            [
                f"CREATE FUNCTION {table}_refuse_change() RETURNS trigger AS $$ "
                f"BEGIN RAISE EXCEPTION '{table} is append-only'; END; $$ LANGUAGE plpgsql",
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {table}_refuse_change()",
            ],
            [
                f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
                f"DROP FUNCTION IF EXISTS {table}_refuse_change()",
            ],
        ),
    }


def AppendOnly(table: str) -> migrations.RunPython:
    """Refuse UPDATE and DELETE on ``table`` (triggers on SQLite and PostgreSQL)."""
    statements = _statements(table)

    def forward(apps: Any, schema_editor: Any) -> None:
        for statement in statements.get(schema_editor.connection.vendor, ([], []))[0]:
            schema_editor.execute(statement)

    def backward(apps: Any, schema_editor: Any) -> None:
        for statement in statements.get(schema_editor.connection.vendor, ([], []))[1]:
            schema_editor.execute(statement)

    return migrations.RunPython(forward, backward)
