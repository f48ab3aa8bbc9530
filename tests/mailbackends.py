"""Mail servers that fail, for the tests of emails that must arrive. Real sending code, a real
exception from smtplib; only the server is missing."""

import smtplib
import threading
import uuid

import pytest
from django.core.mail.backends.locmem import EmailBackend

from participation.celery import app as celery_app


class FlakyBackend(EmailBackend):
    """Refuses the next `failures` sends the way a mail server that went away does, then
    delivers to django.core.mail.outbox like the test backend."""

    failures = 0
    attempts = 0
    _lock = threading.Lock()

    def send_messages(self, messages):
        with FlakyBackend._lock:
            FlakyBackend.attempts += 1
            failing = FlakyBackend.failures > 0
            if failing:
                FlakyBackend.failures -= 1
        if failing:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)

    @classmethod
    def fail_next(cls, count: int) -> None:
        cls.failures, cls.attempts = count, 0


class WorkerDies(BaseException):
    """What a killed worker looks like from inside the task: it stops mid-send, with no chance to
    commit or record anything (not an Exception, so nothing in the task catches it)."""


class DyingBackend(EmailBackend):
    """The worker is killed while talking to the mail server: nothing is delivered."""

    def send_messages(self, messages):
        raise WorkerDies


@pytest.fixture
def as_a_worker():
    """Run tasks as a worker does: a retry goes to the real broker (this run's Redis db) instead
    of running at once in-process. Whatever was queued is purged afterwards."""
    eager = celery_app.conf["task_always_eager"]
    celery_app.conf["task_always_eager"] = False
    yield
    celery_app.conf["task_always_eager"] = eager
    celery_app.control.purge()


def run_as_worker(task, *args, **kwargs):
    """One delivery of a task's message, run as a worker runs it (not called directly, not
    eager), so a retry is published to the broker the way a worker publishes it."""
    task.push_request(
        id=str(uuid.uuid4()),
        args=list(args),
        kwargs=kwargs,
        retries=0,
        called_directly=False,
        is_eager=False,
        delivery_info={"routing_key": "celery"},
    )
    try:
        return task.run(*args, **kwargs)
    finally:
        task.pop_request()
