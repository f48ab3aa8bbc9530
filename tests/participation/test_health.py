"""Celery beat's heartbeat, the warning admins see when it stops, and /health/."""

from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from feedback import tasks as feedback_tasks
from participation.celery import app as celery_app
from participation.models import JobHeartbeat
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

JOB = "feedback-remind-unacknowledged-alerts"
WARNING = 'id="alert-reminders-warning"'


def _beat_ran(ago: timedelta) -> None:
    JobHeartbeat.objects.update_or_create(name=JOB, defaults={"last_run_at": timezone.now() - ago})


def test_each_run_of_the_alert_reminder_job_writes_the_heartbeat():
    assert not JobHeartbeat.objects.exists()
    before = timezone.now()
    feedback_tasks.remind_unacknowledged_alerts()
    assert JobHeartbeat.objects.get(name=JOB).last_run_at >= before


def test_council_admins_are_warned_when_the_reminder_job_has_stopped(admin_a, member_a):
    admin, member = client_for(admin_a), client_for(member_a)
    # Never ran (beat not started): the admin is told; a practitioner is not.
    html = admin.get("/c/council-a/").content.decode()
    assert WARNING in html and "have never run" in html
    assert WARNING not in member.get("/c/council-a/").content.decode()

    # Ran within its 5 minutes plus 10 minutes' grace: no warning.
    _beat_ran(timedelta(minutes=14))
    assert WARNING not in admin.get("/c/council-a/").content.decode()

    # Older than that: beat has stopped.
    _beat_ran(timedelta(minutes=16))
    html = admin.get("/c/council-a/").content.decode()
    assert WARNING in html and "have stopped" in html and "more than 15 minutes ago" in html
    assert WARNING not in member.get("/c/council-a/").content.decode()


def test_council_b_sees_nothing_of_council_a_and_its_own_warning_only_as_admin(
    admin_a, member_b, admin_b
):
    assert client_for(member_b).get("/c/council-a/").status_code == 404
    assert WARNING not in client_for(member_b).get("/c/council-b/").content.decode()
    assert WARNING in client_for(admin_b).get("/c/council-b/").content.decode()


def test_platform_staff_are_warned_on_their_home_and_the_admin_index():
    staff = Client()
    staff.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert WARNING in staff.get("/", follow=True).content.decode()
    assert WARNING in staff.get("/admin/").content.decode()
    _beat_ran(timedelta(minutes=1))
    assert WARNING not in staff.get("/admin/").content.decode()


@override_settings(IN_PROCESS_MODE=True)
def test_the_demo_mode_warning_says_alerts_are_not_sent_again(admin_a):
    html = client_for(admin_a).get("/c/council-a/").content.decode()
    assert WARNING in html and "demo mode" in html


# /health/ ------------------------------------------------------------------------------------


def test_health_without_a_worker_is_503_and_says_only_one_word_to_anyone(member_a):
    _beat_ran(timedelta(minutes=1))
    response = Client().get("/health/")
    # The suite runs no Celery worker: the worker is down, so the whole is down.
    assert response.status_code == 503
    assert response.json() == {"status": "down"}
    assert response["Cache-Control"].startswith("max-age=0")
    # A signed-in member who is not platform staff gets no more.
    assert client_for(member_a).get("/health/").json() == {"status": "down"}


def test_health_details_for_staff_and_the_monitoring_token():
    _beat_ran(timedelta(minutes=1))
    staff = Client()
    staff.force_login(UserFactory(is_staff=True))
    checks = staff.get("/health/").json()["checks"]
    assert checks["database"] == {"status": "ok"}
    assert checks["broker"] == {"status": "ok"}
    assert checks["worker"] == {"status": "down", "workers": 0}
    assert checks["beat"]["status"] == "ok"
    with override_settings(HEALTH_CHECK_TOKEN="t" * 40):
        assert "checks" in Client().get("/health/", HTTP_AUTHORIZATION="Bearer " + "t" * 40).json()
        assert "checks" not in Client().get("/health/", HTTP_AUTHORIZATION="Bearer wrong").json()
    # With no token configured, an empty or made-up one opens nothing.
    assert "checks" not in Client().get("/health/", HTTP_AUTHORIZATION="Bearer ").json()


def test_health_reports_beat_down_when_the_heartbeat_is_old():
    _beat_ran(timedelta(hours=2))
    staff = Client()
    staff.force_login(UserFactory(is_staff=True))
    beat = staff.get("/health/").json()["checks"]["beat"]
    assert beat["status"] == "down" and "alert_reminders_last_ran" in beat


def test_health_reports_the_broker_down_without_its_address():
    staff = Client()
    staff.force_login(UserFactory(is_staff=True))
    with override_settings(CELERY_BROKER_URL="redis://:secret@127.0.0.1:1/0"):
        response = staff.get("/health/")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["broker"]["status"] == "down" and checks["worker"]["status"] == "down"
    assert (
        "secret" not in response.content.decode() and "127.0.0.1" not in response.content.decode()
    )


@pytest.mark.django_db(transaction=True)
def test_health_is_200_with_a_real_worker_running_and_beat_fresh():
    from celery.contrib.testing.worker import start_worker

    _beat_ran(timedelta(minutes=1))
    staff = Client()
    staff.force_login(UserFactory(is_staff=True))
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        eager = celery_app.conf["task_always_eager"]
        try:
            response = staff.get("/health/")
        finally:
            celery_app.conf["task_always_eager"] = eager
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ok" and body["checks"]["worker"]["workers"] >= 1


@override_settings(IN_PROCESS_MODE=True)
def test_health_in_the_demo_mode_says_so_and_is_not_an_outage():
    response = Client().get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "in_process"}


def test_the_workers_are_asked_once_in_the_interval_however_many_ask(monkeypatch):
    from django.core.cache import cache

    from participation import health

    asked = []
    monkeypatch.setattr(celery_app.control, "ping", lambda **kw: asked.append(kw) or [{"w": "ok"}])
    _beat_ran(timedelta(minutes=1))
    for _ in range(5):
        assert Client().get("/health/").status_code == 200
    assert len(asked) == 1
    # When the interval has passed (the cached answer expired), they are asked again.
    cache.delete(health.WORKER_CACHE_KEY)
    Client().get("/health/")
    assert len(asked) == 2


def test_health_takes_only_get():
    assert Client().post("/health/").status_code == 405
