"""/health/: is everything that must not stop running? The database, the broker, a worker and
Celery beat (through the alert re-notification job's heartbeat).

Anyone may ask, with no sign-in, so a load balancer or uptime monitor can: they get one word
and the HTTP status (200, or 503 when something is down). Which part is down, and since when,
is for platform staff signed in, or a monitor sending `Authorization: Bearer
<HEALTH_CHECK_TOKEN>`: it tells an attacker when the alert emails are not going. No answer holds
personal data, host names, addresses or error text (which can carry a URL's password)."""

import hmac

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from participation.celery import app as celery_app
from participation.selectors import alert_reminder_job_status

OK, DOWN, IN_PROCESS = "ok", "down", "in_process"
TIMEOUT_SECONDS = 1.0
# Anyone may ask, and a ping is a broadcast every worker answers that may wait a whole second:
# the answer is kept this long, so a flood of requests costs the workers one ping per interval.
WORKER_CHECK_SECONDS = 30
WORKER_CACHE_KEY = "health:worker"


def _database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any failure is "down", whatever the driver raises
        return {"status": DOWN, "error": type(error).__name__}
    return {"status": OK}


def _broker() -> dict:
    if settings.IN_PROCESS_MODE:
        return {"status": IN_PROCESS}
    try:
        client = redis.Redis.from_url(
            settings.CELERY_BROKER_URL,
            socket_connect_timeout=TIMEOUT_SECONDS,
            socket_timeout=TIMEOUT_SECONDS,
        )
        client.ping()
    except Exception as error:
        return {"status": DOWN, "error": type(error).__name__}
    return {"status": OK}


def _worker(broker: dict) -> dict:
    if settings.IN_PROCESS_MODE:
        return {"status": IN_PROCESS}
    if broker["status"] != OK:
        return {"status": DOWN, "error": "no broker"}
    found = cache.get(WORKER_CACHE_KEY)
    if found is None:
        found = _ping_workers()
        cache.set(WORKER_CACHE_KEY, found, WORKER_CHECK_SECONDS)
    return found


def _ping_workers() -> dict:
    try:
        replies = celery_app.control.ping(timeout=TIMEOUT_SECONDS)
    except Exception as error:
        return {"status": DOWN, "error": type(error).__name__}
    if not replies:
        return {"status": DOWN, "workers": 0}
    return {"status": OK, "workers": len(replies)}


def _beat() -> dict:
    job = alert_reminder_job_status()
    status = {"ok": OK, "in_process": IN_PROCESS}.get(job["state"], DOWN)
    found = {"status": status, "allowed_minutes": job["allowed_minutes"]}
    if job["last_run_at"]:
        found["alert_reminders_last_ran"] = job["last_run_at"].isoformat()
    return found


def checks() -> dict:
    broker = _broker()
    return {"database": _database(), "broker": broker, "worker": _worker(broker), "beat": _beat()}


def _may_see_details(request) -> bool:
    if request.user.is_authenticated and request.user.is_staff:
        return True
    token = settings.HEALTH_CHECK_TOKEN
    given = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


@never_cache
@require_GET
def health(request):
    found = checks()
    statuses = {part["status"] for part in found.values()}
    if DOWN in statuses:
        overall = DOWN
    elif IN_PROCESS in statuses:
        overall = IN_PROCESS
    else:
        overall = OK
    body = {"status": overall}
    if _may_see_details(request):
        body["checks"] = found
    return JsonResponse(body, status=503 if overall == DOWN else 200)
