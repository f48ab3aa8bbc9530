"""A bounded load test on loopback: the floor, the dashboard and the public form POST, each with
16 clients against gunicorn, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/heard_bench_150c \\
        .venv/bin/python bench/load.py [--clients 16] [--seconds 15] [--workers 2]

Starts gunicorn on 127.0.0.1 (the bench URLconf, so the floor exists), signs in as the large
council's admin, then for each target runs `--clients` threads for `--seconds` (and at most
`--max-requests` requests) with http.client, and prints throughput, p50/p95 and errors. For the
public form every client first GETs the form for its one-time key, then POSTs one answer; after
the run the stored responses are counted against the POSTs the server accepted (none may be lost).
Only ever talks to 127.0.0.1.
"""

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "participation.settings")
os.environ.setdefault("HEARD_TESTING", "true")

import django  # noqa: E402

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402

from bench.signin import second_step_session  # noqa: E402
from feedback import services as feedback_services  # noqa: E402
from feedback.models import FeedbackForm, FormLink, Response  # noqa: E402
from participation.models import Council, Membership  # noqa: E402

HOST, PORT = "127.0.0.1", 8765
KEY_RE = re.compile(r'name="key" value="([^"]+)"')
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def session_cookie(user) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    second_step_session(store, user)
    store.create()
    return store.session_key


def run(name, work, *, clients, seconds, max_requests):
    """`work(conn)` makes one request and returns (ok, seconds); the threads share a budget."""
    lock = threading.Lock()
    done = {"n": 0}
    times, errors = [], []
    deadline = time.monotonic() + seconds

    def client():
        conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                if done["n"] >= max_requests:
                    return
                done["n"] += 1
            try:
                ok, elapsed = work(conn)
            except (OSError, http.client.HTTPException) as error:
                conn.close()
                conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
                ok, elapsed = False, 0.0
                errors.append(type(error).__name__)
            with lock:
                (times if ok else errors).append(elapsed if ok else "status")

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    ok = len(times)
    times.sort()
    p50 = statistics.median(times) * 1000 if times else 0
    p95 = times[int(len(times) * 0.95) - 1] * 1000 if times else 0
    rate = ok / wall
    print(f"{name:<20} {ok:>6} {len(errors):>6} {rate:>8.1f} {p50:>8.0f} {p95:>8.0f}")
    sys.stdout.flush()
    return {"ok": ok, "errors": len(errors), "rate": rate, "p50": p50, "p95": p95}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--max-requests", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--council", default="scale-big")
    args = parser.parse_args()

    council = Council.objects.get(slug=args.council)
    user = Membership.objects.filter(council=council, role="council_admin").first().user
    form = FeedbackForm.objects.filter(council=council).exclude(live_version=None).first()
    token = FormLink.objects.filter(form=form, revoked_at=None).first().token
    question = form.live_version.questions.order_by("position").first()
    field = feedback_services.field_name(question)
    cookie = f"sessionid={session_cookie(user)}"

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "participation.settings"}
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "bench.floor_wsgi:application",
            f"--bind={HOST}:{PORT}",
            f"--workers={args.workers}",
            "--threads=4",
            "--log-level=warning",
        ],
        cwd=ROOT,
        # The rate limits would refuse a load test from one address: this measures capacity.
        env={**env, "FEEDBACK_RATE_PER_IP": "1000000", "FEEDBACK_RATE_PER_LINK": "1000000"},
    )
    try:
        for _ in range(100):
            try:
                probe = http.client.HTTPConnection(HOST, PORT, timeout=2)
                probe.request("GET", f"/bench-floor/{council.slug}/", headers={"Cookie": cookie})
                if probe.getresponse().status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            raise SystemExit("gunicorn did not answer the floor with 200")

        def get(path):
            def work(conn):
                start = time.perf_counter()
                conn.request("GET", path, headers={"Cookie": cookie, "Host": "localhost"})
                response = conn.getresponse()
                response.read()
                return response.status == 200, time.perf_counter() - start

            return work

        accepted = {"n": 0}
        lock = threading.Lock()

        def post_form(conn):
            path = f"/f/{token}/"
            conn.request("GET", path, headers={"Host": "localhost"})
            response = conn.getresponse()
            page = response.read().decode()
            csrf_cookie = next(
                (
                    c.split(";")[0]
                    for c in response.headers.get_all("Set-Cookie") or []
                    if c.startswith("csrftoken=")
                ),
                "",
            )
            body = {"key": KEY_RE.search(page).group(1), field: "4"}
            token_match = CSRF_RE.search(page)
            if token_match:
                body["csrfmiddlewaretoken"] = token_match.group(1)
            start = time.perf_counter()
            conn.request(
                "POST",
                path,
                body=urlencode(body),
                headers={
                    "Host": "localhost",
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": csrf_cookie,
                    "Referer": f"http://localhost{path}",
                },
            )
            response = conn.getresponse()
            response.read()
            ok = response.status in (200, 302)
            if ok:
                with lock:
                    accepted["n"] += 1
            return ok, time.perf_counter() - start

        before = Response.objects.filter(form=form).count()
        print(f"{args.clients} clients, {args.seconds:.0f} s or {args.max_requests} requests each")
        print(f"{'target':<20} {'ok':>6} {'errors':>6} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}")
        bounds = {
            "clients": args.clients,
            "seconds": args.seconds,
            "max_requests": args.max_requests,
        }
        floor = run("floor", get(f"/bench-floor/{council.slug}/"), **bounds)
        run("dashboard", get(f"/c/{council.slug}/strategy/dashboard/"), **bounds)
        public = run("public form POST", post_form, **bounds)
        stored = Response.objects.filter(form=form).count() - before
        print(
            f"public form POST: {public['rate'] / floor['rate']:.0%} of the floor's throughput; "
            f"accepted {accepted['n']}, stored {stored}, lost {accepted['n'] - stored}"
        )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
