"""Log entries, nodes, checkpoints and alerts are append-only in the database itself."""

from django.db import migrations

from qinglian.core.migration_operations import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("transparency", "0002_log_head_row")]
    operations = [
        AppendOnly("transparency_logentry"),
        AppendOnly("transparency_lognode"),
        AppendOnly("transparency_checkpoint"),
    ]
