import logging

from celery import shared_task
from django.conf import settings

from feedback import services
from feedback.models import SafeguardingAlert
from participation import rls
from participation.services import heartbeat_record
from participation.tasks import EMAIL_TASK, SEND_ERRORS, retry_email_later

logger = logging.getLogger(__name__)


@shared_task(**EMAIL_TASK)
def notify_safeguarding_alert(self, alert_id: int, council_id: int | None = None) -> bool:
    """Takes ids only; the email links to the app and never carries the young person's words.

    A failed send is tried again with backoff until it goes (see EMAIL_TASK); the beat job below
    also picks up any alert never notified, in case the broker lost this task altogether."""
    if council_id is None:  # a message queued before tasks carried the council
        council_id = rls.council_of_record(SafeguardingAlert, alert_id)
        if council_id is None:
            return False
    try:
        return _notify_in_scope(alert_id, council_id)
    except SEND_ERRORS as error:
        retry_email_later(self, error)
        return False


def _notify_in_scope(alert_id: int, council_id: int) -> bool:
    """`alert_notify` in the council's scope. A failed send is caught inside the scope, so the
    scope's transaction still commits the failure count the service records, then raised."""
    with rls.council_scope(council_id):
        try:
            return services.alert_notify(alert_id=alert_id, council_id=council_id)
        except SEND_ERRORS as error:
            failure = error
    raise failure


@shared_task
def remind_unacknowledged_alerts() -> int:
    """Run by beat every few minutes. Each alert is re-checked under a row lock, so overlapping
    runs send one reminder, not two. One alert whose email fails does not stop the others, and
    the run ends by writing the heartbeat that admins' home pages and /health/ watch."""
    with rls.all_councils("finding unacknowledged safeguarding alerts"):
        due = services.alerts_due_for_reminder()
    sent = 0
    for alert_id, council_id in due:
        try:
            sent += _notify_in_scope(alert_id, council_id)
        except SEND_ERRORS as error:
            logger.warning("alert %s: reminder not sent (%s)", alert_id, type(error).__name__)
    heartbeat_record(name=settings.ALERT_REMINDER_JOB)
    return sent
