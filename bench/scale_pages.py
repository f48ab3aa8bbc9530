"""Every main page of one council, as a ratio to a trivial signed-in view measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/heard_bench HEARD_TESTING=true \\
        .venv/bin/python bench/scale_pages.py --label big10k-150 [--council scale-big]

Needs a database filled by `manage.py generate_scale`. Signs in as the council's admin, requests
each page once to warm up, counts its queries on a second request, then takes `--repeat` timed
requests of the page, each right after one of the floor (`bench/floor_urls.py`), so both see the
same machine load. Prints queries, page size, median milliseconds and the ratio of the page's
median to the floor's; writes the same figures to var/bench/<label>.json for
`bench/scale_compare.py`.
"""

import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "participation.settings")
os.environ.setdefault("HEARD_TESTING", "true")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

django.setup()

from bench.signin import sign_in  # noqa: E402

settings.ROOT_URLCONF = "bench.floor_urls"

from django.core import signals  # noqa: E402
from django.db import close_old_connections, connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from feedback import services as feedback_services  # noqa: E402
from feedback.models import FeedbackForm, FormLink  # noqa: E402
from forums.models import Forum  # noqa: E402
from participation.activities.models import ActivityKind, Participation  # noqa: E402
from participation.models import Council, Membership  # noqa: E402

KEY_RE = re.compile(r'name="key" value="([^"]+)"')


def pages_for(council: Council) -> list[tuple[str, str]]:
    slug = council.slug
    busiest_activity = (
        Participation.objects.filter(council=council)
        .values("activity_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()["activity_id"]
    )
    busiest_person = (
        Participation.objects.filter(council=council)
        .values("young_person_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()["young_person_id"]
    )
    kind = ActivityKind.objects.filter(council=council).order_by("position").first()
    form = FeedbackForm.objects.filter(council=council).exclude(live_version=None).first()
    forum = Forum.objects.filter(council=council).order_by("pk").first()
    c = f"/c/{slug}"
    return [
        ("council home", f"{c}/"),
        ("dashboard", f"{c}/strategy/dashboard/"),
        ("action list", f"{c}/strategy/actions/"),
        ("activity list", f"{c}/activities/"),
        ("activity list p.50", f"{c}/activities/?page=50"),
        ("activity list filtered", f"{c}/activities/?kind={kind.pk}&status=done&lundy=voice"),
        ("activity list searched", f"{c}/activities/?q=housing"),
        ("activity detail", f"{c}/activities/{busiest_activity}/"),
        ("young people list", f"{c}/young-people/"),
        ("young person (busiest)", f"{c}/young-people/{busiest_person}/"),
        ("reach", f"{c}/reach/"),
        ("results", f"{c}/feedback/{form.pk}/results/"),
        ("text answers", f"{c}/feedback/{form.pk}/answers/"),
        ("scorecard", f"{c}/feedback/scorecard/"),
        ("alert queue", f"{c}/feedback/alerts/"),
        ("forums", f"{c}/forums/"),
        ("forum detail", f"{c}/forums/{forum.pk}/"),
    ]


def timed(client, url, **kwargs):
    start = time.perf_counter()
    response = client.get(url, **kwargs) if not kwargs.get("data") else client.post(url, **kwargs)
    elapsed = (time.perf_counter() - start) * 1000
    return elapsed, response


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--council", default="scale-big")
    parser.add_argument("--label", default="run")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", default="", help="comma-separated page names")
    args = parser.parse_args()

    # As Django's test runner does: keep one connection for the run instead of reconnecting per
    # request (the deployment keeps connections too), so queries can be counted.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    council = Council.objects.get(slug=args.council)
    admin = Membership.objects.filter(council=council, role="council_admin").first().user
    client = Client(HTTP_HOST="localhost")
    sign_in(client, admin)
    floor_url = f"/bench-floor/{council.slug}/"
    pages = pages_for(council)
    if args.only:
        wanted = {name.strip() for name in args.only.split(",")}
        pages = [(name, url) for name, url in pages if name in wanted]
    councils = Council.objects.count()
    print(f"database: {connection.vendor}, councils: {councils}, council: {council.slug}")
    print(f"{'page':<26} {'queries':>7} {'KB':>6} {'p50 ms':>8} {'floor ms':>8} {'ratio':>6}")
    results = {}

    def report(name, queries, size, page_times, floor_times):
        p50, f50 = statistics.median(page_times), statistics.median(floor_times)
        results[name] = {
            "queries": queries,
            "kb": round(size / 1024, 1),
            "p50_ms": round(p50, 1),
            "floor_ms": round(f50, 1),
            "ratio": round(p50 / f50, 1),
        }
        print(
            f"{name:<26} {queries:>7} {size / 1024:>6.0f} {p50:>8.1f} {f50:>8.1f} {p50 / f50:>6.1f}"
        )
        sys.stdout.flush()

    client.get(floor_url)
    for name, url in pages:
        response = client.get(url)  # warm up
        assert response.status_code == 200, (name, url, response.status_code)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        queries = len(ctx.captured_queries)  # now: the next request clears the log
        page_times, floor_times = [], []
        for _ in range(args.repeat):
            floor_times.append(timed(client, floor_url)[0])
            page_times.append(timed(client, url)[0])
        report(name, queries, len(response.content), page_times, floor_times)

    if not args.only or "public form GET" in args.only or "public form POST" in args.only:
        form = FeedbackForm.objects.filter(council=council).exclude(live_version=None).first()
        token = FormLink.objects.filter(form=form, revoked_at=None).first().token
        public = Client(HTTP_HOST="localhost")
        url = f"/f/{token}/"
        public.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = public.get(url)
        queries = len(ctx.captured_queries)
        page_times, floor_times = [], []
        for _ in range(args.repeat):
            floor_times.append(timed(client, floor_url)[0])
            page_times.append(timed(public, url)[0])
        report("public form GET", queries, len(response.content), page_times, floor_times)

        question = form.live_version.questions.order_by("position").first()
        field = feedback_services.field_name(question)
        page_times, floor_times = [], []
        queries = 0
        for i in range(args.repeat + 1):
            key = KEY_RE.search(public.get(url).content.decode()).group(1)
            data = {"key": key, field: "4"}
            extra = {"REMOTE_ADDR": f"10.9.{i // 250}.{i % 250}"}
            floor_times.append(timed(client, floor_url)[0])
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = public.post(url, data, **extra)
                elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code in (200, 302), response.status_code
            if i:  # the first is the warm-up
                page_times.append(elapsed)
                queries = len(ctx.captured_queries)
        report("public form POST", queries, len(response.content), page_times, floor_times[1:])

    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{args.label}.json").write_text(
        json.dumps({"councils": councils, "council": council.slug, "pages": results}, indent=1)
    )
    print(f"written var/bench/{args.label}.json")


if __name__ == "__main__":
    main()
