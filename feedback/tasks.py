import logging

from celery import shared_task
from django.conf import settings

from feedback import services
from participation.services import heartbeat_record
from participation.tasks import EMAIL_TASK, SEND_ERRORS, retry_email_later

logger = logging.getLogger(__name__)


@shared_task(**EMAIL_TASK)
def notify_safeguarding_alert(self, alert_id: int, council_id: int | None = None) -> bool:
    """Takes ids only; the email links to the app and never carries the young person's words.

    A failed send is tried again with backoff until it goes (see EMAIL_TASK); the beat job below
    also picks up any alert never notified, in case the broker lost this task altogether."""
    try:
        return services.alert_notify(alert_id=alert_id, council_id=council_id)
    except SEND_ERRORS as error:
        retry_email_later(self, error)
        return False


@shared_task
def remind_unacknowledged_alerts() -> int:
    """Run by beat every few minutes. Each alert is re-checked under a row lock, so overlapping
    runs send one reminder, not two. One alert whose email fails does not stop the others, and
    the run ends by writing the heartbeat that admins' home pages and /health/ watch."""
    sent = 0
    for alert_id, council_id in services.alerts_due_for_reminder():
        try:
            sent += services.alert_notify(alert_id=alert_id, council_id=council_id)
        except SEND_ERRORS as error:
            logger.warning("alert %s: reminder not sent (%s)", alert_id, type(error).__name__)
    heartbeat_record(name=settings.ALERT_REMINDER_JOB)
    return sent
