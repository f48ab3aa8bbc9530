from datetime import date

from celery import shared_task
from django.utils import timezone

from participation import rls
from participation.models import Council, Membership


@shared_task
def send_status_reminders() -> int:
    """Daily: in a quarter's last two weeks, queue one reminder per owner with actions not
    updated this quarter. Safe to run any number of times: each owner hears once a quarter."""
    from participation.strategy.selectors import actions_needing_update, reminder_quarter

    today = timezone.localdate()
    queued = 0
    for council in Council.objects.filter(is_active=True):
        quarter_end = reminder_quarter(council=council, today=today)
        if quarter_end is None:
            continue
        with rls.council_scope(council):
            owners = list(
                actions_needing_update(council=council, quarter_end=quarter_end)
                .values_list("owner_id", flat=True)
                .distinct()
                .order_by()
            )
        for owner_id in owners:
            send_status_reminder.delay(owner_id, quarter_end.isoformat(), council.pk)
            queued += 1
    return queued


@shared_task
def send_status_reminder(membership_id: int, quarter_end: str, council_id: int) -> None:
    """Ids and a date only in the message: the address is looked up here, never queued."""
    from participation.strategy.services import owner_reminder_send

    with rls.council_scope(council_id):
        membership = (
            Membership.objects.select_related("council", "user")
            .filter(council=council_id, pk=membership_id, is_active=True, council__is_active=True)
            .first()
        )
        if membership is None:
            return
        owner_reminder_send(membership=membership, quarter_end=date.fromisoformat(quarter_end))
