"""Time the activity pages, export and import with a council's worth of activities.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/heard_bench \\
        .venv/bin/python bench/activities.py [number of activities]

Creates a throwaway database (Django's test database machinery), fills one council, and prints
milliseconds, queries and peak Python memory (tracemalloc, which itself slows the run) per step.
"""

import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "participation.settings")
os.environ.setdefault("HEARD_TESTING", "true")

import django  # noqa: E402

django.setup()

from datetime import date, timedelta  # noqa: E402

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from bench.signin import sign_in  # noqa: E402
from participation.activities import imports, selectors, services  # noqa: E402
from participation.activities.exports import csv_response, xlsx_response  # noqa: E402
from participation.activities.models import (  # noqa: E402
    Activity,
    ActivityKind,
    Participation,
    YoungPerson,
)
from participation.models import Membership, User  # noqa: E402
from participation.services import council_create  # noqa: E402


class Rollback(Exception):
    pass


def timed(label, func, memory=False):
    if memory:
        tracemalloc.start()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = func()
        elapsed = time.perf_counter() - started
    peak = ""
    if memory:
        peak = f"{tracemalloc.get_traced_memory()[1] / 1024 / 1024:6.1f} MB peak (traced run)"
        tracemalloc.stop()
    print(f"{label:<40} {elapsed * 1000:8.0f} ms  {len(queries):5d} queries  {peak}")
    return result


def main(count: int) -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    print(f"database: {connection.vendor}")
    try:
        with transaction.atomic():
            council = council_create(actor=None, name="Bench council", slug="bench-council-x")
            user = User.objects.create_user(email="bench@example.invalid", full_name="Bench")
            Membership.objects.create(council=council, user=user, role="council_admin")
            kinds = list(ActivityKind.objects.filter(council=council))
            people = YoungPerson.objects.bulk_create(
                YoungPerson(
                    council=council,
                    preferred_name=f"P{i}",
                    reference=f"YP-{i:05d}",
                    age_band="13_15",
                )
                for i in range(400)
            )
            activities = Activity.objects.bulk_create(
                Activity(
                    council=council,
                    title=f"Activity {i}",
                    starts_on=date(2026, 1, 1) - timedelta(days=i % 365),
                    kind=kinds[i % len(kinds)],
                    participation_type="consultation",
                    ladder_rung=5 + i % 4,
                    count_young_people=i % 7,
                    lead_worker=user,
                )
                for i in range(count)
            )
            Participation.objects.bulk_create(
                Participation(council=council, activity=a, young_person=people[(i * 7 + j) % 400])
                for i, a in enumerate(activities)
                for j in range(3)
            )
            print(f"{count} activities, {count * 3} named participations, 400 young people")
            client = Client()
            sign_in(client, user)
            base = f"/c/{council.slug}"
            timed("activity list, first page", lambda: client.get(f"{base}/activities/"))
            timed(
                "activity list, filtered by kind",
                lambda: client.get(f"{base}/activities/?kind={kinds[3].pk}"),
            )
            timed("young people list", lambda: client.get(f"{base}/young-people/"))
            timed("reach, this quarter", lambda: client.get(f"{base}/reach/?quarter=2025-10-01"))
            filters = selectors.ActivityFilters()
            rows = lambda: selectors.activity_export_rows(council=council, filters=filters)  # noqa: E731
            exported = timed("CSV export, all", lambda: csv_response(rows(), council=council))
            timed("Excel export, all", lambda: xlsx_response(rows(), council=council))
            timed("CSV export, all", lambda: csv_response(rows(), council=council), memory=True)
            timed("Excel export, all", lambda: xlsx_response(rows(), council=council), memory=True)
            data = exported.content
            preview = timed(
                "import: read and check the CSV",
                lambda: imports.read(council=council, data=data, filename="a.csv"),
            )
            assert not preview.errors, preview.errors[:3]
            timed(
                "import: save every row",
                lambda: services.activities_import(council=council, actor=user, rows=preview.rows),
            )
            raise Rollback
    except Rollback:
        pass
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
