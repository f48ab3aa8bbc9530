from celery import shared_task

from feedback import services


@shared_task
def notify_safeguarding_alert(alert_id: int) -> bool:
    """Takes an id only; the email links to the app and never carries the young person's words."""
    return services.alert_notify(alert_id=alert_id)


@shared_task
def remind_unacknowledged_alerts() -> int:
    """Run by beat every few minutes. Each alert is re-checked under a row lock, so overlapping
    runs send one reminder, not two."""
    sent = 0
    for alert_id in services.alerts_due_for_reminder():
        sent += services.alert_notify(alert_id=alert_id)
    return sent
