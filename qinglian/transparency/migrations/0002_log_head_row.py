"""The one LogHead row that appends lock (data, kept apart from the schema)."""

from django.db import migrations


def create_head(apps, schema_editor):
    apps.get_model("transparency", "LogHead").objects.get_or_create(pk=1, defaults={"size": 0})


class Migration(migrations.Migration):
    dependencies = [("transparency", "0001_log_tables")]
    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]
