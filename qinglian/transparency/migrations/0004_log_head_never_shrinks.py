"""The log head's size only ever grows (a trigger refuses a smaller value)."""

from django.db import migrations

from qinglian.core.migration_operations import RunVendorSQL

FORWARD = {
    "sqlite": [
        "CREATE TRIGGER transparency_loghead_never_shrinks BEFORE UPDATE ON transparency_loghead "
        "WHEN NEW.size < OLD.size BEGIN SELECT RAISE(ABORT, 'the log never shrinks'); END",
        "CREATE TRIGGER transparency_loghead_no_delete BEFORE DELETE ON transparency_loghead "
        "BEGIN SELECT RAISE(ABORT, 'the log never shrinks'); END",
    ],
    "postgresql": [
        "CREATE FUNCTION transparency_loghead_refuse_shrink() RETURNS trigger AS $$ BEGIN "
        "IF TG_OP = 'DELETE' OR NEW.size < OLD.size THEN "
        "RAISE EXCEPTION 'the log never shrinks'; END IF; RETURN NEW; END; $$ LANGUAGE plpgsql",
        "CREATE TRIGGER transparency_loghead_never_shrinks BEFORE UPDATE OR DELETE "
        "ON transparency_loghead FOR EACH ROW EXECUTE FUNCTION transparency_loghead_refuse_shrink()",
    ],
}
BACKWARD = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS transparency_loghead_never_shrinks",
        "DROP TRIGGER IF EXISTS transparency_loghead_no_delete",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS transparency_loghead_never_shrinks ON transparency_loghead",
        "DROP FUNCTION IF EXISTS transparency_loghead_refuse_shrink()",
    ],
}



class Migration(migrations.Migration):
    dependencies = [("transparency", "0003_append_only")]
    operations = [RunVendorSQL(FORWARD, BACKWARD)]
