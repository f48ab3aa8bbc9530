from celery import shared_task

from feedback import services
from feedback.models import SafeguardingAlert
from participation import rls


@shared_task
def notify_safeguarding_alert(alert_id: int, council_id: int) -> bool:
    """Takes ids only; the email links to the app and never carries the young person's words."""
    with rls.council_scope(council_id):
        return services.alert_notify(alert_id=alert_id)


@shared_task
def remind_unacknowledged_alerts() -> int:
    """Run by beat every few minutes. Each alert is re-checked under a row lock, so overlapping
    runs send one reminder, not two. Finding the alerts reads every council; each reminder is
    then sent in its own council's scope."""
    with rls.all_councils("finding unacknowledged safeguarding alerts"):
        due = services.alerts_due_for_reminder()
        council_of = dict(
            SafeguardingAlert.objects.filter(pk__in=due).values_list("pk", "council_id")
        )
    sent = 0
    for alert_id in due:
        with rls.council_scope(council_of[alert_id]):
            sent += services.alert_notify(alert_id=alert_id)
    return sent
