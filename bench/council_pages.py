"""How long the foundation's council pages take, and how many queries, as the data grows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/heard_bench \\
        .venv/bin/python bench/council_pages.py

Creates a throwaway database (Django's test database machinery), fills one council with N forums
and N members, and prints queries and median milliseconds per page over 20 requests.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "participation.settings")
os.environ.setdefault("HEARD_TESTING", "true")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from bench.signin import sign_in  # noqa: E402

PAGES = ["/c/bench/", "/c/bench/forums/", "/c/bench/people/", "/c/bench/forums/?q=99"]


def main():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        from forums.models import Forum
        from participation.models import Council, Membership, User

        council = Council.objects.create(name="Bench", slug="bench")
        admin = User.objects.create_user(email="admin@bench.example", password="x", full_name="A")
        Membership.objects.create(council=council, user=admin, role="council_admin")
        client = Client()
        sign_in(client, admin)
        made = 0
        print(f"database: {connection.vendor}")
        print(f"{'rows':>6}  {'page':<24} {'queries':>7} {'median ms':>10}")
        for size in (10, 1000):
            Forum.objects.bulk_create(
                Forum(council=council, name=f"Forum {i}", audience="young_people")
                for i in range(made, size)
            )
            users = User.objects.bulk_create(
                User(email=f"p{i}@bench.example", full_name=f"Person {i}")
                for i in range(made, size)
            )
            Membership.objects.bulk_create(
                Membership(council=council, user=u, role="practitioner") for u in users
            )
            made = size
            for page in PAGES:
                client.get(page)  # warm up
                with CaptureQueriesContext(connection) as ctx:
                    client.get(page)
                queries = len(ctx.captured_queries)
                timings = []
                for _ in range(20):
                    start = time.perf_counter()
                    response = client.get(page)
                    timings.append((time.perf_counter() - start) * 1000)
                    assert response.status_code == 200
                print(f"{size:>6}  {page:<24} {queries:>7} {statistics.median(timings):>10.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
