"""Migration operations shared by apps: SQL per database vendor, append-only tables."""

from __future__ import annotations

from typing import Any

from django.db import migrations

VendorStatements = dict[str, list[str]]  # vendor ("sqlite", "postgresql") -> statements


def RunVendorSQL(forward: VendorStatements, backward: VendorStatements) -> migrations.RunPython:
    """Run the statements written for the connection's vendor (nothing for another vendor)."""

    def run(statements: VendorStatements) -> Any:
        def apply(apps: Any, schema_editor: Any) -> None:
            for statement in statements.get(schema_editor.connection.vendor, []):
                schema_editor.execute(statement)

        return apply

    return migrations.RunPython(run(forward), run(backward))


def AppendOnly(table: str) -> migrations.RunPython:
    """Refuse UPDATE and DELETE on ``table`` (triggers on SQLite and PostgreSQL)."""
    refusal = f"'{table} is append-only'"
    return RunVendorSQL(
        forward={
            "sqlite": [
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, {refusal}); END",
                f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, {refusal}); END",
            ],
            "postgresql": [
                f"CREATE FUNCTION {table}_refuse_change() RETURNS trigger AS $$ "
                f"BEGIN RAISE EXCEPTION {refusal}; END; $$ LANGUAGE plpgsql",
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {table}_refuse_change()",
            ],
        },
        backward={
            "sqlite": [
                f"DROP TRIGGER IF EXISTS {table}_no_update",
                f"DROP TRIGGER IF EXISTS {table}_no_delete",
            ],
            "postgresql": [
                f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
                f"DROP FUNCTION IF EXISTS {table}_refuse_change()",
            ],
        },
    )
