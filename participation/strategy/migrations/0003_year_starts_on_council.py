"""The council's year start moves from the strategy settings to the council itself, so every app
reads one value (participation/quarters.py)."""

from django.db import migrations


def copy_to_council(apps, schema_editor):
    StrategySettings = apps.get_model("strategy", "StrategySettings")
    Council = apps.get_model("participation", "Council")
    for council_id, year_starts in StrategySettings.objects.values_list(
        "council_id", "year_starts"
    ):
        Council.objects.filter(pk=council_id).update(year_starts=year_starts)


def copy_back(apps, schema_editor):
    StrategySettings = apps.get_model("strategy", "StrategySettings")
    Council = apps.get_model("participation", "Council")
    StrategySettings.objects.bulk_create(
        StrategySettings(council_id=council_id, year_starts=year_starts)
        for council_id, year_starts in Council.objects.exclude(year_starts=4).values_list(
            "pk", "year_starts"
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0002_council_year_starts"),
        ("strategy", "0002_status_reminders"),
    ]

    operations = [
        migrations.RunPython(copy_to_council, copy_back),
        migrations.DeleteModel(name="StrategySettings"),
    ]
