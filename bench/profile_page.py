"""Where one page's time goes: cProfile around repeated requests of it, plus its SQL time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/heard_bench HEARD_TESTING=true \\
        .venv/bin/python bench/profile_page.py "dashboard" [--repeat 20] [--sort tottime]

Takes the page names of `bench/scale_pages.py`. Signs in as the council's admin, warms up, then
profiles `--repeat` requests and prints the top functions, and the share of the time spent
waiting for the database (sum of the captured queries' durations).
"""

import argparse
import cProfile
import io
import pstats
import sys
import time

from django.core import signals  # noqa: E402
from django.db import close_old_connections, connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from scale_pages import pages_for  # noqa: E402  (sets up Django)

from bench.signin import sign_in  # noqa: E402
from participation.models import Council, Membership  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("page")
    parser.add_argument("--council", default="scale-big")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sql", action="store_true", help="print each query's time")
    parser.add_argument("--callers", default="", help="also print the callers of this function")
    args = parser.parse_args()

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    council = Council.objects.get(slug=args.council)
    admin = Membership.objects.filter(council=council, role="council_admin").first().user
    client = Client(HTTP_HOST="localhost")
    sign_in(client, admin)
    url = dict(pages_for(council))[args.page]
    assert client.get(url).status_code == 200

    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        client.get(url)
        total = (time.perf_counter() - start) * 1000
    sql = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
    print(f"{url}: {total:.1f} ms, {len(ctx.captured_queries)} queries, {sql:.1f} ms in SQL")
    if args.sql:
        for q in ctx.captured_queries:
            print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:160]}")

    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.repeat):
        client.get(url)
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
    if args.callers:
        pstats.Stats(profile, stream=out).sort_stats(args.sort).print_callers(args.callers)
    print(out.getvalue())


if __name__ == "__main__":
    sys.exit(main())
