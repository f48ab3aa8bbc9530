from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from feedback.models import (
    SafeguardingAlert,
    SafeguardingContact,
    SafeguardingSettings,
)
from feedback.selectors import safeguarding_settings
from participation.models import Membership, User
from participation.services import audit

# Safeguarding alerts -----------------------------------------------------------------------


def alert_recipients(*, council_id: int) -> list[str]:
    """Named contacts; if a council has named nobody, its admins and participation officers, so an
    alert always reaches someone."""
    emails = list(
        SafeguardingContact.objects.filter(
            council_id=council_id, membership__is_active=True, membership__user__is_active=True
        ).values_list("membership__user__email", flat=True)
    )
    if not emails:
        emails = list(
            Membership.objects.filter(
                council_id=council_id,
                is_active=True,
                user__is_active=True,
                role__in=[Membership.Role.COUNCIL_ADMIN, Membership.Role.PARTICIPATION_OFFICER],
            ).values_list("user__email", flat=True)
        )
    return sorted(set(emails))


def alert_notify(*, alert_id: int, council_id: int | None = None, now=None) -> bool:
    """Email the contacts about an alert if it is due: never yet notified, or unacknowledged and
    last notified longer ago than the council's reminder time. Safe to call twice.

    The row is locked, and `notified_at` set in the same transaction as the send, so a task that
    is delivered again after it finished finds the alert notified and sends nothing. If the mail
    server fails, the transaction rolls back (the alert still shows "not yet sent"), the failure
    is counted on the alert, and the error is raised for the task to retry."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse

    now = now or timezone.now()
    try:
        with transaction.atomic():
            found = SafeguardingAlert.objects.select_for_update(of=("self",)).select_related(
                "council"
            )
            if council_id is not None:
                found = found.filter(council_id=council_id)
            alert = found.filter(pk=alert_id).first()
            if alert is None or alert.acknowledged_at is not None:
                return False
            if alert.notified_at is not None:
                wait = safeguarding_settings(council=alert.council).renotify_after_minutes
                if alert.notified_at > now - timedelta(minutes=wait):
                    return False
            recipients = alert_recipients(council_id=alert.council_id)
            link = settings.SITE_URL + reverse("alert_detail", args=[alert.council.slug, alert.pk])
            context = {
                "alert": alert,
                "council": alert.council,
                "link": link,
                "reminder": alert.notify_count > 0,
            }
            if recipients:
                send_mail(
                    subject=(
                        f"{'Reminder: ' if alert.notify_count else ''}Safeguarding alert in Heard "
                        f"({alert.council.name})"
                    ),
                    message=render_to_string("feedback/email/alert.txt", context),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=recipients,
                )
            alert.notified_at = now
            alert.notify_count += 1
            alert.save(update_fields=["notified_at", "notify_count"])
    except OSError:  # smtplib's errors, refused or lost connections
        SafeguardingAlert.objects.filter(pk=alert_id).update(
            send_failures=F("send_failures") + 1, last_send_failed_at=now
        )
        raise
    return True


def alerts_due_for_reminder(*, now=None) -> list[tuple[int, int]]:
    """(alert id, council id) of each unacknowledged alert whose email is due. Reads across
    councils on purpose: this is the one job that must reach every council's alerts."""
    now = now or timezone.now()
    due = []
    rows = SafeguardingAlert.objects.filter(acknowledged_at=None).values_list(
        "pk", "council_id", "notified_at"
    )
    waits = dict(SafeguardingSettings.objects.values_list("council_id", "renotify_after_minutes"))
    for pk, council_id, notified_at in rows:
        wait = waits.get(council_id, 60)
        if notified_at is None or notified_at <= now - timedelta(minutes=wait):
            due.append((pk, council_id))
    return due


@transaction.atomic
def alert_acknowledge(*, alert: SafeguardingAlert, actor: User) -> SafeguardingAlert:
    alert = SafeguardingAlert.objects.select_for_update().get(pk=alert.pk)
    if alert.acknowledged_at is not None:
        raise ValidationError("Someone has already acknowledged this alert.")
    alert.acknowledged_at = timezone.now()
    alert.acknowledged_by = actor
    alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
    audit(council=alert.council, actor=actor, verb="acknowledged safeguarding alert", subject=alert)
    return alert


@transaction.atomic
def alert_record_action(
    *, alert: SafeguardingAlert, actor: User, action_taken: str
) -> SafeguardingAlert:
    action_taken = action_taken.strip()
    if not action_taken:
        raise ValidationError({"action_taken": "Write what was done."})
    alert = SafeguardingAlert.objects.select_for_update().get(pk=alert.pk)
    if alert.acknowledged_at is None:
        alert.acknowledged_at = timezone.now()
        alert.acknowledged_by = actor
    alert.action_taken = action_taken
    alert.action_recorded_at = timezone.now()
    alert.save()
    audit(council=alert.council, actor=actor, verb="recorded safeguarding action", subject=alert)
    return alert
