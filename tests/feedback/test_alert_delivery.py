"""An alert email that fails is tried again until it goes, shows as "not yet sent" meanwhile,
and a task delivered twice (a worker lost after it finished, or killed mid-send) emails once."""

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.test import override_settings

from feedback import tasks
from feedback.models import SafeguardingAlert
from participation.celery import app as celery_app
from tests.conftest import client_for
from tests.feedback.factories import make_alert
from tests.mailbackends import (  # noqa: F401 (as_a_worker is a fixture)
    DyingBackend,
    FlakyBackend,
    WorkerDies,
    as_a_worker,
    run_as_worker,
)

pytestmark = pytest.mark.django_db

FLAKY = "tests.mailbackends.FlakyBackend"


def _deliver(alert):
    return run_as_worker(tasks.notify_safeguarding_alert, alert.pk, council_id=alert.council_id)


@pytest.mark.usefixtures("as_a_worker")
@override_settings(EMAIL_BACKEND=FLAKY)
def test_a_failed_send_is_retried_with_backoff_and_the_alert_says_not_yet_sent(
    council_a, admin_a, member_b
):
    alert = make_alert(council_a)
    FlakyBackend.fail_next(1)
    with pytest.raises(Retry) as retry:
        _deliver(alert)
    # Full jitter: somewhere between now and the first backoff step.
    assert 0 <= retry.value.when <= 15
    # ... and the retry is on the broker, waiting for a worker.
    assert celery_app.control.purge() == 1
    alert.refresh_from_db()
    assert alert.notified_at is None and alert.notify_count == 0
    assert alert.send_failures == 1 and alert.last_send_failed_at is not None
    assert mail.outbox == []

    client = client_for(admin_a)
    detail = client.get(f"/c/council-a/feedback/alerts/{alert.pk}/").content.decode()
    assert "Not yet sent" in detail
    assert "The email has failed 1 time" in detail
    queue = client.get("/c/council-a/feedback/alerts/").content.decode()
    assert "Not yet sent" in queue
    # Council B sees none of it.
    assert client_for(member_b).get(f"/c/council-a/feedback/alerts/{alert.pk}/").status_code == 404

    # The retry is delivered: the email goes, once.
    assert _deliver(alert) is True
    assert len(mail.outbox) == 1
    alert.refresh_from_db()
    assert alert.notified_at is not None and alert.notify_count == 1
    detail = client.get(f"/c/council-a/feedback/alerts/{alert.pk}/").content.decode()
    assert "Not yet sent" not in detail and "Sent 1 time" in detail


def test_the_task_is_acknowledged_late_and_handed_back_if_the_worker_dies():
    task = tasks.notify_safeguarding_alert
    assert task.acks_late is True and task.reject_on_worker_lost is True
    assert task.max_retries is None  # never gives up on its own


@pytest.mark.usefixtures("as_a_worker")
@override_settings(EMAIL_BACKEND=FLAKY)
def test_worker_killed_mid_send_then_redelivered_sends_the_alert_exactly_once(council_a, admin_a):
    alert = make_alert(council_a)
    # First delivery: the mail server drops the connection; the task asks to be retried.
    FlakyBackend.fail_next(1)
    with pytest.raises(Retry):
        _deliver(alert)
    # The retry's worker is killed while it talks to the mail server: nothing committed.
    with (
        override_settings(EMAIL_BACKEND="tests.mailbackends.DyingBackend"),
        pytest.raises(WorkerDies),
    ):
        _deliver(alert)
    alert.refresh_from_db()
    assert alert.notified_at is None
    # acks_late: the broker hands the same message to another worker, which sends it.
    assert _deliver(alert) is True
    # That worker is lost after sending, before acknowledging: the message comes round again,
    # and the beat job runs too. Neither emails the contacts a second time.
    assert _deliver(alert) is False
    assert tasks.remind_unacknowledged_alerts() == 0
    assert len(mail.outbox) == 1
    alert.refresh_from_db()
    assert alert.notify_count == 1 and alert.send_failures == 1
    assert DyingBackend  # the backend the killed worker used


@override_settings(EMAIL_BACKEND=FLAKY)
def test_one_failing_alert_does_not_stop_the_beat_job_sending_the_others(
    council_a, council_b, admin_a, admin_b
):
    first, second = make_alert(council_a), make_alert(council_b)
    FlakyBackend.fail_next(1)
    assert tasks.remind_unacknowledged_alerts() == 1
    assert len(mail.outbox) == 1
    failed = SafeguardingAlert.objects.get(notified_at=None)
    assert failed.pk in (first.pk, second.pk) and failed.send_failures == 1
    # The next run sends the one that failed.
    assert tasks.remind_unacknowledged_alerts() == 1
    assert len(mail.outbox) == 2


def test_a_task_naming_another_council_sends_nothing(council_a, council_b, admin_a):
    alert = make_alert(council_a)
    assert tasks.notify_safeguarding_alert(alert.pk, council_id=council_b.pk) is False
    assert mail.outbox == []
    alert.refresh_from_db()
    assert alert.notified_at is None


@override_settings(EMAIL_BACKEND=FLAKY)
def test_in_process_mode_a_failure_does_not_reach_the_young_person(
    council_a, admin_a, django_capture_on_commit_callbacks
):
    """Tests and the demo run tasks in-process: a mail failure after the response is saved must
    not become an error page, and the alert waits for the re-sending job."""
    FlakyBackend.fail_next(1)
    with django_capture_on_commit_callbacks(execute=True):
        alert = make_alert(council_a)
    alert.refresh_from_db()
    assert alert.notified_at is None and alert.send_failures == 1
    assert tasks.remind_unacknowledged_alerts() == 1
    assert len(mail.outbox) == 1
