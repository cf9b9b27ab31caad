"""Load the national chart of accounts and the default thresholds shipped in finance/data."""

import csv
from decimal import Decimal
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"
CHART = "2004"


def load(apps, schema_editor):
    Subject = apps.get_model("finance", "Subject")
    Threshold = apps.get_model("finance", "Threshold")
    with (DATA / "chart_2004.csv").open(encoding="utf-8") as handle:
        by_code = {}
        for row in csv.DictReader(handle):
            by_code[row["code"]] = Subject.objects.create(
                chart=CHART,
                code=row["code"],
                name=row["name"],
                category=row["category"],
                kind=row["kind"],
                normal_balance=row["normal_balance"],
                parent=by_code.get(row["parent"]) if row["parent"] else None,
            )
    with (DATA / "thresholds.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            Threshold.objects.create(
                region=None,
                key=row["key"],
                value=Decimal(row["value"]),
                effective_from=row["effective_from"],
                source=row["source"],
            )


def unload(apps, schema_editor):
    apps.get_model("finance", "Threshold").objects.filter(region__isnull=True).delete()
    Subject = apps.get_model("finance", "Subject")
    Subject.objects.filter(region__isnull=True, parent__isnull=False).delete()
    Subject.objects.filter(region__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_ledger_property_thresholds")]

    operations = [migrations.RunPython(load, unload)]
