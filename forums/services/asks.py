from django.core.exceptions import ValidationError
from django.db import transaction

from forums.models import (
    Ask,
    AskAnswer,
    Forum,
    Meeting,
)
from participation.activities.services import FIRST_YEAR, local_today
from participation.models import Membership, User
from participation.services import audit

# Asks: "you said" and the answer ---------------------------------------------------------------

ANSWER_STATUSES = (Ask.Status.ANSWERED, Ask.Status.PARTLY_DONE, Ask.Status.NOT_POSSIBLE)


def ask_errors(ask: Ask, *, today) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not ask.you_said.strip():
        errors["you_said"] = ["Enter what the forum asked for."]
    if ask.raised_on is None:
        errors["raised_on"] = ["Enter the date the forum raised it."]
    elif ask.raised_on > today:
        errors["raised_on"] = ["The date it was raised must be today or in the past."]
    elif ask.raised_on.year < FIRST_YEAR:
        errors["raised_on"] = [f"Check the year: enter a date in {FIRST_YEAR} or later."]
    if ask.due_on and ask.raised_on and ask.due_on < ask.raised_on:
        errors["due_on"] = [
            f"The answer cannot be due before the ask was raised ({ask.raised_on:%-d %B %Y})."
        ]
    if not ask.addressed_to_id and not ask.addressed_to_role.strip():
        errors["addressed_to"] = [
            "Choose the person in the council it is for, or enter a role outside Heard."
        ]
    elif ask.addressed_to_id and ask.addressed_to_role.strip():
        errors["addressed_to_role"] = [
            "Choose a person in the council or enter a role outside Heard, not both."
        ]
    elif (
        ask.addressed_to_id
        and not answerer_ids(council_id=ask.council_id).filter(user_id=ask.addressed_to_id).exists()
    ):
        errors["addressed_to"] = [
            "Choose a manager, participation officer or admin of this council."
        ]
    if ask.meeting_id and (
        ask.meeting.forum_id != ask.forum_id or ask.meeting.council_id != ask.council_id
    ):
        errors["meeting"] = ["Choose one of this forum's meetings."]
    return errors


def answerer_ids(*, council_id):
    """Memberships of people who may be asked: those whose role can answer asks."""
    from participation.capabilities import CAPABILITIES

    return Membership.objects.filter(
        council_id=council_id, is_active=True, role__in=CAPABILITIES["asks.answer"]
    )


@transaction.atomic
def ask_create(
    *,
    forum: Forum,
    actor: User,
    you_said: str,
    raised_on,
    addressed_to: User | None = None,
    addressed_to_role: str = "",
    due_on=None,
    meeting: Meeting | None = None,
) -> Ask:
    if forum.is_archived:
        raise ValidationError("This forum is archived. Restore it before recording asks.")
    ask = Ask(
        council=forum.council,
        forum=forum,
        meeting=meeting,
        you_said=you_said.strip(),
        raised_on=raised_on,
        addressed_to=addressed_to,
        addressed_to_role=" ".join(addressed_to_role.split()),
        due_on=due_on,
        raised_by=actor,
    )
    errors = ask_errors(ask, today=local_today())
    if errors:
        raise ValidationError(errors)
    ask.full_clean()
    ask.save()
    audit(council=forum.council, actor=actor, verb="recorded forum ask", subject=ask)
    if ask.addressed_to_id:
        transaction.on_commit(lambda: _queue("send_ask_raised", ask.pk, ask.council_id))
    return ask


def _queue(task_name: str, *ids) -> None:
    """The record's id, then its council's id (the task works in that council's scope)."""
    from forums import tasks

    getattr(tasks, task_name).delay(*ids)


@transaction.atomic
def ask_answer(
    *,
    ask: Ask,
    actor: User,
    status: str,
    response: str,
    make_you_said: bool = False,
    publish: bool = False,
) -> Ask:
    """Answer an ask (again, if need be): the earlier answers stay in its history."""
    ask = Ask.objects.select_for_update().get(council=ask.council_id, pk=ask.pk)
    response = response.strip()
    errors = {}
    if status not in ANSWER_STATUSES:
        errors["status"] = "Choose answered, partly done or not possible."
    if not response:
        errors["response"] = "Enter the answer: what was done, or why it is not possible."
    if errors:
        raise ValidationError(errors)
    AskAnswer.objects.create(
        council=ask.council, ask=ask, status=status, response=response, answered_by=actor
    )
    ask.status = status
    ask.response = response
    ask.answered_on = local_today()
    ask.answered_by = actor
    ask.save(update_fields=["status", "response", "answered_on", "answered_by", "updated_at"])
    audit(council=ask.council, actor=actor, verb="answered forum ask", subject=ask)
    if ask.you_said_entry_id:
        _sync_you_said(ask, actor=actor)
    elif make_you_said:
        ask_to_you_said(ask=ask, actor=actor, publish=publish)
    if ask.raised_by_id and ask.raised_by_id != actor.pk:
        transaction.on_commit(lambda: _queue("send_ask_answered", ask.pk, ask.council_id))
    return ask


YOU_SAID_STATUS = {
    Ask.Status.ANSWERED: "done",
    Ask.Status.PARTLY_DONE: "in_progress",
}


def _sync_you_said(ask: Ask, *, actor: User) -> None:
    from feedback import services as feedback_services

    entry = ask.you_said_entry
    if ask.status not in YOU_SAID_STATUS:
        return  # a "not possible" later keeps what young people were already told
    feedback_services.you_said_update(
        entry=entry, actor=actor, we_did=ask.response, status=YOU_SAID_STATUS[ask.status]
    )


@transaction.atomic
def ask_to_you_said(*, ask: Ask, actor: User, publish: bool = False):
    """Tell young people: the answered ask becomes a "you said, we did" entry, linked both ways.

    The meeting's activity is linked too, so the entry shows where young people said it.
    """
    from feedback import services as feedback_services

    ask = Ask.objects.select_for_update().get(council=ask.council_id, pk=ask.pk)
    if ask.you_said_entry_id:
        raise ValidationError("This ask is already a 'you said, we did' entry.")
    if ask.status not in YOU_SAID_STATUS:
        raise ValidationError(
            "Only an answered or partly done ask can become a 'you said, we did' entry."
        )
    activities = [ask.meeting.activity] if ask.meeting_id else []
    entry = feedback_services.you_said_create(
        council=ask.council,
        actor=actor,
        activities=activities,
        you_said=ask.you_said,
        we_did=ask.response,
        owner=ask.addressed_to or ask.answered_by,
        status=YOU_SAID_STATUS[ask.status],
        date=ask.answered_on or local_today(),
        is_published=publish,
    )
    ask.you_said_entry = entry
    ask.save(update_fields=["you_said_entry", "updated_at"])
    audit(council=ask.council, actor=actor, verb="made ask a you said we did", subject=ask)
    return entry


def ask_reminder_send(*, ask: Ask) -> bool:
    """Email the ask's owner that its answer is due soon; once per due date."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse

    with transaction.atomic():
        ask = (
            Ask.objects.select_for_update(of=("self",))
            .select_related("forum", "council", "addressed_to", "raised_by")
            .get(pk=ask.pk)
        )
        owner = ask.addressed_to or ask.raised_by
        if not ask.is_waiting or ask.due_on is None or ask.reminded_for == ask.due_on:
            return False
        if owner is None or not owner.is_active:
            return False
        ask.reminded_for = ask.due_on
        ask.save(update_fields=["reminded_for"])
    link = settings.SITE_URL + reverse("ask_detail", args=[ask.council.slug, ask.forum_id, ask.pk])
    send_mail(
        subject=f"An ask from {ask.forum.name} is due by {ask.due_on:%-d %B %Y}",
        message=render_to_string("forums/email/ask_reminder.txt", {"ask": ask, "link": link}),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[owner.email],
    )
    return True
