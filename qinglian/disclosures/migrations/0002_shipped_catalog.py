"""Load the default disclosure catalog (domain.md §15.1) shipped in disclosures/data."""

import csv
from datetime import date
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "catalog.csv"


def load(apps, schema_editor):
    Catalog = apps.get_model("disclosures", "Catalog")
    CatalogItem = apps.get_model("disclosures", "CatalogItem")
    catalog = Catalog.objects.create(
        region=None,
        version=1,
        effective_from=date(2000, 1, 1),
        note="domain.md §15.1",
    )
    with DATA.open(encoding="utf-8") as handle:
        CatalogItem.objects.bulk_create(
            CatalogItem(
                catalog=catalog,
                code=row["code"],
                category=row["category"],
                frequency=row["frequency"],
                title_zh=row["title_zh"],
                title_en=row["title_en"],
                basis=row["basis"],
                order=position,
            )
            for position, row in enumerate(csv.DictReader(handle), start=1)
        )


def unload(apps, schema_editor):
    apps.get_model("disclosures", "Catalog").objects.filter(region__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0001_catalog")]

    operations = [migrations.RunPython(load, unload)]
