"""How long the feedback results page, CSV export and public post take as responses grow.

    DEBUG=true DATABASE_URL=postgres://... .venv/bin/python bench/feedback_results.py

Makes a throwaway council with invented responses, prints timings and query counts, then deletes
the council. Needs a migrated database.
"""

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "participation.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.signin import sign_in  # noqa: E402
from feedback import demo, services  # noqa: E402
from participation.models import Council, Membership, User  # noqa: E402


def timed(fn, repeat=3):
    best = None
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            result = fn()
            elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, len(ctx.captured_queries), result


def main():
    council = Council.objects.create(name="Bench council", slug=f"bench-{random.randint(0, 10**9)}")
    try:
        user = User.objects.create_user(email=f"{council.slug}@bench.example", full_name="Bench")
        Membership.objects.create(
            council=council, user=user, role=Membership.Role.PARTICIPATION_OFFICER
        )
        form = services.form_create_from_template(
            council=council, actor=user, template_key="six_monthly"
        )
        services.form_publish(form=form, actor=user)
        form.refresh_from_db()
        client = Client(HTTP_HOST="localhost")
        sign_in(client, user)
        results_url = reverse("feedback_results", args=[council.slug, form.pk])
        csv_url = reverse("feedback_results_csv", args=[council.slug, form.pk])
        rng = random.Random(1)
        total = 0
        print(f"{'responses':>10} {'results ms':>11} {'queries':>8} {'csv ms':>8} {'csv KB':>7}")
        for size in (100, 1_000, 10_000):
            demo._invent_responses(form, rng, size - total)
            total = size
            seconds, queries, _ = timed(lambda: client.get(results_url))
            csv_seconds, _, response = timed(lambda: client.get(csv_url), repeat=1)
            print(
                f"{size:>10} {seconds * 1000:>11.0f} {queries:>8} {csv_seconds * 1000:>8.0f}"
                f" {len(response.content) / 1024:>7.0f}"
            )
        public = Client(HTTP_HOST="localhost")
        token = form.links.get().token
        page = public.get(reverse("public_form", args=[token])).content.decode()
        import re

        key_re = re.compile(r'name="key" value="([^"]+)"')
        first = services.field_name(form.live_version.questions.order_by("position").first())
        times = []
        for _ in range(50):
            key = key_re.search(public.get(reverse("public_form", args=[token])).content.decode())
            start = time.perf_counter()
            public.post(
                reverse("public_form", args=[token]),
                {"key": key.group(1), first: "4"},
                REMOTE_ADDR=f"10.0.{rng.randint(0, 255)}.{rng.randint(0, 255)}",
            )
            times.append(time.perf_counter() - start)
        times.sort()
        print(f"public POST: median {times[25] * 1000:.0f} ms, slowest {times[-1] * 1000:.0f} ms")
        assert page
    finally:
        council.delete()


if __name__ == "__main__":
    main()
