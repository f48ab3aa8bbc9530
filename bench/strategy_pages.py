"""How long the action plan pages take, and how many queries, as a plan grows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/heard_bench \\
        .venv/bin/python bench/strategy_pages.py

Creates a throwaway database, fills one council's strategy with N actions across 6 objectives,
each with 4 status updates spread over the past year, and prints queries and median
milliseconds per page over 10 requests.
"""

import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "participation.settings")
os.environ.setdefault("HEARD_TESTING", "true")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.signin import sign_in  # noqa: E402


def main():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        from participation.models import Council, Membership, User
        from participation.strategy.models import Action, Objective, Status, StatusUpdate, Strategy

        council = Council.objects.create(name="Bench", slug="bench")
        manager = User.objects.create_user(email="m@bench.example", password="x", full_name="M")
        membership = Membership.objects.create(council=council, user=manager, role="manager")
        today = timezone.localdate()
        strategy = Strategy.objects.create(
            council=council,
            title="Bench strategy",
            period_start=today - timedelta(days=700),
            period_end=today + timedelta(days=700),
        )
        objectives = [
            Objective.objects.create(council=council, strategy=strategy, code=f"SP{i}", title="X")
            for i in range(1, 7)
        ]
        pages = [
            "/c/bench/strategy/dashboard/",
            "/c/bench/strategy/actions/",
            "/c/bench/strategy/actions/?moved=down",
            f"/c/bench/strategy/{strategy.pk}/",
            f"/c/bench/strategy/objectives/{objectives[0].pk}/",
            "/c/bench/strategy/actions/export/?format=csv",
        ]
        statuses = list(Status.values)
        client = Client()
        sign_in(client, manager)
        made = 0
        now = timezone.now()
        print(f"database: {connection.vendor}")
        print(f"{'actions':>7}  {'page':<46} {'queries':>7} {'median ms':>10}")
        for size in (100, 1000, 5000):
            actions = Action.objects.bulk_create(
                Action(
                    council=council,
                    objective=objectives[i % 6],
                    title=f"Action {i}",
                    owner=membership if i % 3 == 0 else None,
                    owner_name="" if i % 3 == 0 else "Partner",
                    team=f"Team {i % 5}",
                    due_date=today + timedelta(days=(i % 400) - 100),
                    status=statuses[i % 5],
                )
                for i in range(made, size)
            )
            StatusUpdate.objects.bulk_create(
                StatusUpdate(
                    council=council,
                    action=action,
                    status=statuses[(action.pk + step) % 5],
                    at=now - timedelta(days=90 * step + 1),
                )
                for action in actions
                for step in range(4)
            )
            made = size
            for page in pages:
                client.get(page)  # warm up
                with CaptureQueriesContext(connection) as ctx:
                    client.get(page)
                queries = len(ctx.captured_queries)
                timings = []
                for _ in range(10):
                    start = time.perf_counter()
                    response = client.get(page)
                    timings.append((time.perf_counter() - start) * 1000)
                    assert response.status_code == 200
                print(f"{size:>7}  {page:<46} {queries:>7} {statistics.median(timings):>10.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
