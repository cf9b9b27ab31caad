"""Load the default power list (domain.md §15.2–15.3) and its step library from powers/data."""

from datetime import date

from django.db import migrations

from qinglian.powers import shipped


def load(apps, schema_editor):
    PowerList = apps.get_model("powers", "PowerList")
    LibraryStep = apps.get_model("powers", "LibraryStep")
    PowerItem = apps.get_model("powers", "PowerItem")
    power_list = PowerList.objects.create(
        region=None, version=1, effective_from=date(2000, 1, 1), note="domain.md §15.2–15.3"
    )
    LibraryStep.objects.bulk_create(
        LibraryStep(
            power_list=power_list,
            code=row["code"],
            kind=row["kind"],
            title_zh=row["title_zh"],
            title_en=row["title_en"],
            params=row["params"],
        )
        for row in shipped.library_rows()
    )
    positive = [
        PowerItem(
            power_list=power_list,
            code=row["code"],
            kind="positive",
            category=row["category"],
            power_type=row["power_type"],
            title_zh=row["title_zh"],
            title_en=row["title_en"],
            description_zh=row["description_zh"],
            description_en=row["description_en"],
            basis=row["basis"],
            steps=row["steps"],
            order=position,
        )
        for position, row in enumerate(shipped.positive_rows(), start=1)
    ]
    negative = [
        PowerItem(
            power_list=power_list,
            code=row["code"],
            kind="negative",
            category=row["category"],
            title_zh=row["title_zh"],
            title_en=row["title_en"],
            basis=row["basis"],
            order=position,
        )
        for position, row in enumerate(shipped.negative_rows(), start=len(positive) + 1)
    ]
    PowerItem.objects.bulk_create(positive + negative)


def unload(apps, schema_editor):
    apps.get_model("powers", "PowerList").objects.filter(region__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("powers", "0001_power_list")]

    operations = [migrations.RunPython(load, unload)]
