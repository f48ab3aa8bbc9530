"""Covering indexes for two hot reads (PostgreSQL only), so they read an index and not the table.

- The participation rollup, (council, month, young person) with `times`: the young people
  list's quarters and the reach page sum `times` and count young people over a year of the
  council's rows (35,000 for the bench's large council). Through the unique index each row was
  a heap visit (22 ms of a 35 ms query); from this index alone, 11 ms.
- Activities, (council, id) with `starts_on`: a young person's quarter table looks up the date
  of each of their activities (3,384 for the busiest); without it PostgreSQL hashed all the
  council's 100,000 activities (21 ms), with it one index probe each (12 ms).

SQLite, the demo's database, has no INCLUDE and needs none at its sizes, so these are not in
the models' Meta (Django would warn there).
"""

from django.db import migrations

INDEXES = {
    "participationmonth_covering": (
        "activities_participationmonth (council_id, month, young_person_id) INCLUDE (times)"
    ),
    "activity_council_id_date": "activities_activity (council_id, id) INCLUDE (starts_on)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, definition in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("activities", "0005_participation_month")]

    operations = [migrations.RunPython(create, drop)]
