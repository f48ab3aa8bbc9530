from datetime import date

from django.db import transaction

from participation.models import Membership
from participation.quarters import Quarter
from participation.strategy.models import (
    StatusReminder,
)

# -- Reminders ---------------------------------------------------------------------------------


@transaction.atomic
def owner_reminder_send(*, membership: Membership, quarter_end: date) -> StatusReminder | None:
    """Email one owner the actions they have not updated this quarter, once per quarter.

    The record is written in the same transaction as the email is sent: if sending fails the
    record rolls back and the next run tries again; if it was already sent, nothing happens.
    """
    from django.conf import settings
    from django.core.mail import send_mail
    from django.db import IntegrityError
    from django.template.loader import render_to_string
    from django.urls import reverse

    from participation.strategy.selectors import actions_needing_update

    council = membership.council
    actions = [
        action
        for action in actions_needing_update(council=council, quarter_end=quarter_end)
        if action.owner_id == membership.pk
    ]
    if not actions:
        return None
    try:
        with transaction.atomic():
            reminder = StatusReminder.objects.create(
                council=council,
                membership=membership,
                quarter_end=quarter_end,
                action_count=len(actions),
            )
    except IntegrityError:
        return None  # already reminded about this quarter
    context = {
        "membership": membership,
        "council": council,
        "quarter_end": quarter_end,
        "quarter": Quarter.containing(quarter_end, year_starts=council.year_starts).short_label,
        "actions": [
            (action, settings.SITE_URL + reverse("action_detail", args=[council.slug, action.pk]))
            for action in actions
        ],
    }
    send_mail(
        subject=f"Action plan: please update {len(actions)} action"
        f"{'s' if len(actions) != 1 else ''} by {quarter_end.day} {quarter_end:%B}",
        message=render_to_string("strategy/email/status_reminder.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[membership.user.email],
    )
    return reminder
