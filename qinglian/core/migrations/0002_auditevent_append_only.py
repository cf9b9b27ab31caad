"""Make core_auditevent append-only in the database itself (SQLite and PostgreSQL)."""

from django.db import migrations

from qinglian.core.migration_operations import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [AppendOnly("core_auditevent")]
