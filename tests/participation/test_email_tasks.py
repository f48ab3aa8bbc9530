"""The invitation email: tried again when the mail server fails, never sent twice when its task
is delivered again."""

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from participation import tasks
from participation.celery import app as celery_app
from participation.models import Membership
from participation.services import invitation_create
from tests.mailbackends import FlakyBackend, as_a_worker, run_as_worker  # noqa: F401

pytestmark = pytest.mark.django_db


def _invite(council, admin):
    return invitation_create(
        council=council,
        invited_by=admin.user,
        email="new@example.org",
        role=Membership.Role.MANAGER,
    )


def _deliver(invitation):
    return run_as_worker(
        tasks.send_invitation_email, invitation.pk, council_id=invitation.council_id
    )


@pytest.mark.usefixtures("as_a_worker")
@override_settings(EMAIL_BACKEND="tests.mailbackends.FlakyBackend")
def test_a_failed_invitation_email_is_retried_then_sent_once(council_a, admin_a):
    invitation = _invite(council_a, admin_a)
    FlakyBackend.fail_next(1)
    with pytest.raises(Retry):
        _deliver(invitation)
    assert celery_app.control.purge() == 1  # the retry waits on the broker
    invitation.refresh_from_db()
    assert invitation.email_sent_at is None and mail.outbox == []

    assert _deliver(invitation) is True
    # Redelivered (a worker lost before acknowledging), or queued twice: no second email.
    assert _deliver(invitation) is False
    assert _deliver(invitation) is False
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new@example.org"]
    invitation.refresh_from_db()
    assert invitation.email_sent_at is not None


def test_the_invitation_task_is_acknowledged_late_and_never_gives_up():
    task = tasks.send_invitation_email
    assert task.acks_late is True and task.reject_on_worker_lost is True
    assert task.max_retries is None


def test_a_cancelled_invitation_is_not_emailed_when_its_task_arrives(council_a, admin_a):
    invitation = _invite(council_a, admin_a)
    invitation.revoked_at = timezone.now()
    invitation.save()
    assert _deliver(invitation) is False
    assert mail.outbox == []


def test_a_task_naming_another_council_sends_nothing(council_a, council_b, admin_a):
    invitation = _invite(council_a, admin_a)
    assert tasks.send_invitation_email(invitation.pk, council_id=council_b.pk) is False
    assert mail.outbox == []


def test_creating_an_invitation_queues_ids_only(
    council_a, admin_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(council_a, admin_a)
    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert invitation.email_sent_at is not None
