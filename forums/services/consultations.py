from django.core.exceptions import ValidationError
from django.db import transaction

from forums.models import (
    ConsultationRequest,
    Forum,
    Meeting,
)
from forums.services.asks import _queue
from participation.activities.services import local_today
from participation.models import User
from participation.services import audit

# Requests to consult a forum -------------------------------------------------------------------


@transaction.atomic
def consultation_request_create(
    *, forum: Forum, actor: User, topic: str, reason: str, needed_by, format: str
) -> ConsultationRequest:
    errors = {}
    topic, reason = " ".join(topic.split()), reason.strip()
    if not topic:
        errors["topic"] = "Enter what you want to consult the forum about."
    if not reason:
        errors["reason"] = "Enter why, and what will change because of what they say."
    if needed_by is None:
        errors["needed_by"] = "Enter the date you need their views by."
    elif needed_by < local_today():
        errors["needed_by"] = "The date you need their views by must be today or later."
    if format not in ConsultationRequest.Format.values:
        errors["format"] = "Choose how you would like to consult them."
    if forum.is_archived:
        errors["__all__"] = "This forum is archived and is not taking requests."
    if errors:
        raise ValidationError(errors)
    request = ConsultationRequest.objects.create(
        council=forum.council,
        forum=forum,
        requested_by=actor,
        topic=topic,
        reason=reason,
        needed_by=needed_by,
        format=format,
    )
    audit(council=forum.council, actor=actor, verb="asked to consult forum", subject=request)
    return request


DECISIONS = {
    "accept": ConsultationRequest.Status.ACCEPTED,
    "decline": ConsultationRequest.Status.DECLINED,
    "schedule": ConsultationRequest.Status.SCHEDULED,
}


@transaction.atomic
def consultation_decide(
    *,
    request: ConsultationRequest,
    actor: User,
    decision: str,
    decline_reason: str = "",
    meeting: Meeting | None = None,
) -> ConsultationRequest:
    """Accept, decline (saying why) or schedule into a coming meeting; the requester is told."""
    request = ConsultationRequest.objects.select_for_update().get(
        council=request.council_id, pk=request.pk
    )
    open_states = (ConsultationRequest.Status.SUBMITTED, ConsultationRequest.Status.ACCEPTED)
    if request.status not in open_states and not (
        request.status == ConsultationRequest.Status.SCHEDULED and decision == "schedule"
    ):
        raise ValidationError(
            f"This request is already {request.get_status_display().lower()}, so it cannot change."
        )
    if decision not in DECISIONS:
        raise ValidationError({"decision": "Choose accept, decline or schedule into a meeting."})
    decline_reason = decline_reason.strip()
    if decision == "decline" and not decline_reason:
        raise ValidationError(
            {"decline_reason": "Enter why you are declining: the person who asked will see it."}
        )
    if decision == "schedule":
        if meeting is None:
            raise ValidationError({"meeting": "Choose the meeting to schedule it into."})
        if meeting.council_id != request.council_id or meeting.forum_id != request.forum_id:
            raise ValidationError({"meeting": "Choose one of this forum's meetings."})
        if meeting.date < local_today():
            raise ValidationError(
                {"meeting": "That meeting has already happened. Choose a meeting still to come."}
            )
    request.status = DECISIONS[decision]
    request.decline_reason = decline_reason if decision == "decline" else ""
    request.meeting = meeting if decision == "schedule" else None
    request.decided_by = actor
    request.decided_on = local_today()
    request.save()
    audit(
        council=request.council,
        actor=actor,
        verb=f"{request.get_status_display().split(' ')[0].lower()} consultation request",
        subject=request,
    )
    transaction.on_commit(
        lambda: _queue("send_consultation_update", request.pk, request.council_id)
    )
    return request


@transaction.atomic
def consultation_record_outcome(
    *, request: ConsultationRequest, actor: User, forum_said: str
) -> ConsultationRequest:
    """What the forum said, sent back to the person who asked."""
    request = ConsultationRequest.objects.select_for_update().get(
        council=request.council_id, pk=request.pk
    )
    if request.status not in (
        ConsultationRequest.Status.ACCEPTED,
        ConsultationRequest.Status.SCHEDULED,
        ConsultationRequest.Status.DONE,
    ):
        raise ValidationError("Accept or schedule the request before recording what was said.")
    forum_said = forum_said.strip()
    if not forum_said:
        raise ValidationError({"forum_said": "Enter what the forum said."})
    request.forum_said = forum_said
    request.status = ConsultationRequest.Status.DONE
    request.responded_on = local_today()
    request.save()
    audit(council=request.council, actor=actor, verb="recorded consultation", subject=request)
    transaction.on_commit(
        lambda: _queue("send_consultation_update", request.pk, request.council_id)
    )
    return request
