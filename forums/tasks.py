"""Forum emails. Tasks take ids only; addresses and words are looked up here, never queued."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from forums.models import Ask
from participation import rls

# How long before its due date an ask's owner is reminded.
REMIND_DAYS_BEFORE = 7


@shared_task
def remind_asks_due() -> int:
    """Daily: queue a reminder for every waiting ask due within a week (or overdue) whose owner
    has not been reminded of this due date. Safe to run any number of times."""
    from django.db.models import F, Q

    soon = timezone.localdate() + timedelta(days=REMIND_DAYS_BEFORE)
    with rls.all_councils("finding forum asks due soon"):
        due = list(
            Ask.objects.filter(
                council__is_active=True,
                status__in=Ask.WAITING,
                due_on__isnull=False,
                due_on__lte=soon,
            )
            .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=F("due_on")))
            .values_list("pk", "council_id")
        )
    queued = 0
    for ask_id, council_id in due:
        send_ask_reminder.delay(ask_id, council_id)
        queued += 1
    return queued


@shared_task
def send_ask_reminder(ask_id: int, council_id: int) -> None:
    from forums.services import ask_reminder_send

    with rls.council_scope(council_id):
        ask = Ask.objects.filter(council=council_id, pk=ask_id).first()
        if ask is not None:
            ask_reminder_send(ask=ask)


def _ask_link(ask: Ask) -> str:
    return settings.SITE_URL + reverse("ask_detail", args=[ask.council.slug, ask.forum_id, ask.pk])


@shared_task
def send_ask_raised(ask_id: int, council_id: int) -> None:
    """Tell the person an ask is addressed to that it is waiting for them."""
    with rls.council_scope(council_id):
        ask = (
            Ask.objects.select_related("council", "forum", "addressed_to")
            .filter(council=council_id, pk=ask_id)
            .first()
        )
        _send_ask_raised(ask)


def _send_ask_raised(ask) -> None:
    if ask is None or ask.addressed_to is None or not ask.addressed_to.is_active:
        return
    send_mail(
        subject=f"{ask.forum.name} has asked you something",
        message=render_to_string(
            "forums/email/ask_raised.txt", {"ask": ask, "link": _ask_link(ask)}
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[ask.addressed_to.email],
    )


@shared_task
def send_ask_answered(ask_id: int, council_id: int) -> None:
    """Tell the officer who recorded the ask that it has an answer to take back to the forum."""
    with rls.council_scope(council_id):
        ask = (
            Ask.objects.select_related("council", "forum", "raised_by")
            .filter(council=council_id, pk=ask_id)
            .first()
        )
        _send_ask_answered(ask)


def _send_ask_answered(ask) -> None:
    if ask is None or ask.raised_by is None or not ask.raised_by.is_active:
        return
    send_mail(
        subject=f"An ask from {ask.forum.name} has been answered",
        message=render_to_string(
            "forums/email/ask_answered.txt", {"ask": ask, "link": _ask_link(ask)}
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[ask.raised_by.email],
    )


@shared_task
def send_consultation_update(request_id: int, council_id: int) -> None:
    """Tell the person who asked to consult a forum what the officer decided, or that the
    forum's views are ready. The email links to Heard; the words stay there."""
    from forums.models import ConsultationRequest

    with rls.council_scope(council_id):
        request = (
            ConsultationRequest.objects.select_related("council", "forum", "requested_by")
            .filter(council=council_id, pk=request_id)
            .first()
        )
        _send_consultation_update(request)


def _send_consultation_update(request) -> None:
    if request is None or request.requested_by is None or not request.requested_by.is_active:
        return
    link = settings.SITE_URL + reverse(
        "consultation_detail", args=[request.council.slug, request.forum_id, request.pk]
    )
    send_mail(
        subject=f"Your request to consult {request.forum.name}: {request.get_status_display()}",
        message=render_to_string(
            "forums/email/consultation_update.txt", {"request": request, "link": link}
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[request.requested_by.email],
    )


@shared_task
def remind_terms_of_reference_reviews() -> int:
    """Daily: when a forum's current terms of reference pass their review date, the officer
    who recorded them hears once (by id; the task re-reads everything)."""
    from forums.selectors import terms_of_reference_overdue
    from participation.models import Council

    today = timezone.localdate()
    queued = 0
    for council in Council.objects.filter(is_active=True):
        with rls.council_scope(council):
            due = list(
                terms_of_reference_overdue(council=council, today=today)
                .filter(review_reminded_on__isnull=True)
                .values_list("pk", flat=True)
            )
        for pk in due:
            send_terms_of_reference_reminder.delay(pk, council.pk)
            queued += 1
    return queued


@shared_task
def send_terms_of_reference_reminder(version_id: int, council_id: int) -> None:
    from forums.models import TermsOfReference

    with rls.council_scope(council_id):
        version = (
            TermsOfReference.objects.select_for_update(of=("self",))
            .select_related("council", "forum", "created_by")
            .filter(council=council_id, pk=version_id, review_reminded_on__isnull=True)
            .first()
        )
        if version is None or version.created_by is None or not version.created_by.is_active:
            return
        version.review_reminded_on = timezone.localdate()
        version.save(update_fields=["review_reminded_on"])
    link = settings.SITE_URL + reverse(
        "terms_of_reference", args=[version.council.slug, version.forum_id]
    )
    send_mail(
        subject=f"{version.forum.name}: terms of reference due for review",
        message=render_to_string("forums/email/tor_review.txt", {"version": version, "link": link}),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[version.created_by.email],
    )
