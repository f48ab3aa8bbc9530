from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from forums.models import (
    DEFAULT_BOARD,
    Ask,
    AskAnswer,
    Attendance,
    CalendarLink,
    ConsultationRequest,
    Forum,
    ForumAdult,
    ForumMember,
    Meeting,
    MeetingGuest,
    TermsOfReference,
    WorkItem,
)
from participation.activities import services as activity_services
from participation.activities.models import (
    Activity,
    LadderRung,
    Method,
    ParticipationType,
    YoungPerson,
)
from participation.activities.services import FIRST_YEAR, local_today
from participation.models import Council, Membership, User
from participation.services import audit

# Terms of reference change through terms_of_reference_add, which keeps each version.
EDITABLE = ("name", "audience", "meets", "purpose", "min_age", "max_age")


def _check_ages(forum: Forum) -> None:
    for field in ("min_age", "max_age"):
        age = getattr(forum, field)
        if age is not None and not 0 <= age <= 25:
            raise ValidationError({field: "Enter an age from 0 to 25."})
    if forum.min_age is not None and forum.max_age is not None and forum.min_age > forum.max_age:
        raise ValidationError(
            {"max_age": "The oldest age must be the same as or more than the youngest."}
        )


def _check_name_free(*, council: Council, name: str, forum: Forum | None = None) -> None:
    clash = Forum.objects.filter(council=council, name__iexact=name)
    if forum is not None:
        clash = clash.exclude(pk=forum.pk)
    if clash.exists():
        raise ValidationError({"name": "This council already has a forum with this name."})


@transaction.atomic
def forum_create(
    *,
    council: Council,
    actor: User,
    name: str,
    audience: str,
    meets: str,
    purpose: str = "",
    min_age: int | None = None,
    max_age: int | None = None,
) -> Forum:
    name = name.strip()
    _check_name_free(council=council, name=name)
    forum = Forum(
        council=council,
        name=name,
        audience=audience,
        meets=meets,
        purpose=purpose,
        min_age=min_age,
        max_age=max_age,
    )
    _check_ages(forum)
    forum.full_clean()
    forum.save()
    audit(council=council, actor=actor, verb="created forum", subject=forum)
    return forum


@transaction.atomic
def forum_update(*, forum: Forum, actor: User, **fields) -> Forum:
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    if "name" in fields:
        fields["name"] = fields["name"].strip()
        _check_name_free(council=forum.council, name=fields["name"], forum=forum)
    for key, value in fields.items():
        setattr(forum, key, value)
    _check_ages(forum)
    forum.full_clean()
    forum.save()
    audit(council=forum.council, actor=actor, verb="changed forum", subject=forum)
    return forum


@transaction.atomic
def forum_set_archived(*, forum: Forum, actor: User, archived: bool) -> Forum:
    if forum.is_archived != archived:
        forum.is_archived = archived
        forum.save(update_fields=["is_archived", "updated_at"])
        audit(
            council=forum.council,
            actor=actor,
            verb="archived forum" if archived else "restored forum",
            subject=forum,
        )
    return forum


# Members -------------------------------------------------------------------------------------


def _check_member_dates(*, joined_on, left_on=None) -> None:
    today = timezone.localdate()
    if joined_on > today:
        raise ValidationError({"joined_on": "The date they joined must be today or in the past."})
    if left_on is not None:
        if left_on > today:
            raise ValidationError({"left_on": "The date they left must be today or in the past."})
        if left_on < joined_on:
            raise ValidationError(
                {
                    "left_on": "The date they left must be the same as or after the date they "
                    f"joined ({joined_on:%-d %B %Y})."
                }
            )


@transaction.atomic
def forum_member_add(
    *,
    forum: Forum,
    actor: User,
    young_person: YoungPerson,
    role: str,
    joined_on,
    board: str = "",
) -> ForumMember:
    council = forum.council
    board = _board_for(role=role, board=board)
    if young_person.council_id != council.pk:
        raise ValidationError(
            {
                "young_person": "This young person is not recorded in this council. "
                "Choose someone from this council's young people."
            }
        )
    if forum.is_archived:
        raise ValidationError("This forum is archived. Restore it before adding members.")
    _check_member_dates(joined_on=joined_on)
    if ForumMember.objects.filter(
        council=council, forum=forum, young_person=young_person, left_on__isnull=True
    ).exists():
        raise ValidationError(
            {"young_person": "This young person is already a member of this forum."}
        )
    member = ForumMember(
        council=council,
        forum=forum,
        young_person=young_person,
        role=role,
        board=board,
        joined_on=joined_on,
    )
    member.full_clean()
    member.save()
    audit(council=council, actor=actor, verb="added forum member", subject=member)
    return member


def _board_for(*, role: str, board: str) -> str:
    """A representative sits on a named board (the Corporate Parenting Board unless told)."""
    if role not in ForumMember.Role.values:
        raise ValidationError({"role": "Choose a role."})
    if role != ForumMember.Role.REPRESENTATIVE:
        return ""
    return " ".join(board.split())[:120] or DEFAULT_BOARD


@transaction.atomic
def forum_member_change_role(
    *, member: ForumMember, actor: User, role: str, board: str = ""
) -> ForumMember:
    if member.left_on is not None:
        raise ValidationError("This young person has left the forum, so their role cannot change.")
    board = _board_for(role=role, board=board)
    if (member.role, member.board) != (role, board):
        member.role = role
        member.board = board
        member.save(update_fields=["role", "board", "updated_at"])
        audit(council=member.council, actor=actor, verb="changed forum role", subject=member)
    return member


@transaction.atomic
def forum_member_leave(*, member: ForumMember, actor: User, left_on) -> ForumMember:
    if member.left_on is not None:
        raise ValidationError("This young person has already left the forum.")
    _check_member_dates(joined_on=member.joined_on, left_on=left_on)
    member.left_on = left_on
    member.save(update_fields=["left_on", "updated_at"])
    audit(council=member.council, actor=actor, verb="recorded forum leaver", subject=member)
    return member


# Meetings ------------------------------------------------------------------------------------

# A meeting further ahead than this is a typing mistake in the year.
MEETING_YEARS_AHEAD = 2
MEETING_FIELDS = ("date", "starts_at", "ends_at", "place", "online", "agenda", "minutes", "summary")


def _meeting_errors(meeting: Meeting, *, today) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if meeting.date is None:
        errors["date"] = ["Enter the date of the meeting."]
    elif meeting.date.year < FIRST_YEAR:
        errors["date"] = [f"Check the year: enter a date in {FIRST_YEAR} or later."]
    elif meeting.date > today + timedelta(days=365 * MEETING_YEARS_AHEAD):
        errors["date"] = [
            f"Check the year: a meeting can be planned up to {MEETING_YEARS_AHEAD} years ahead."
        ]
    if meeting.starts_at and meeting.ends_at and meeting.ends_at <= meeting.starts_at:
        errors["ends_at"] = ["The end time must be after the start time."]
    if not meeting.place.strip() and not meeting.online:
        errors["place"] = ["Enter where the meeting is, or tick that it is online."]
    if (
        meeting.pk
        and meeting.date
        and meeting.date > today
        and Attendance.objects.filter(council_id=meeting.council_id, meeting=meeting).exists()
    ):
        errors.setdefault("date", []).append(
            "Attendance has been recorded for this meeting, so it cannot move to a future date."
        )
    return errors


def _sync_meeting_activity(meeting: Meeting, *, actor: User | None) -> Activity:
    """Make the meeting's one activity match it: date, status, and who was present."""
    council = meeting.council
    activity = meeting.activity if meeting.activity_id else None
    if activity is None:
        kind = activity_services.forum_meeting_kind(council=council)
        activity = Activity(
            council=council,
            created_by=actor,
            lead_worker=actor,
            kind=kind,
            participation_type=kind.usual_type or ParticipationType.CONSULTATION,
            # Members come, speak and hear back: a forum is at least adult-initiated, shared.
            ladder_rung=LadderRung.ADULT_INITIATED,
            lundy_space=True,
            lundy_voice=True,
        )
    activity.title = f"{meeting.forum.name} meeting"[:160]
    activity.starts_on = meeting.date
    activity.ends_on = None
    activity.status = (
        Activity.Status.DONE if meeting.date <= local_today() else Activity.Status.PLANNED
    )
    methods = [Method.FACE_TO_FACE] if meeting.place else []
    activity.methods = methods + ([Method.ONLINE] if meeting.online else [])
    activity.what_young_people_said = meeting.summary
    present = (
        YoungPerson.objects.filter(
            council=council,
            forum_attendance__meeting=meeting,
            forum_attendance__status=Attendance.Status.PRESENT,
        )
        if meeting.pk
        else YoungPerson.objects.none()
    )
    activity_services.forum_meeting_activity_save(activity=activity, young_people=present)
    return activity


def _check_meeting_fields(fields: dict) -> dict:
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    for text in ("place", "agenda", "minutes", "summary"):
        if isinstance(fields.get(text), str):
            fields[text] = fields[text].strip()
    return fields


def _save_meeting(meeting: Meeting) -> None:
    errors = _meeting_errors(meeting, today=local_today())
    try:
        meeting.full_clean(exclude=["activity", *errors])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def meeting_create(*, forum: Forum, actor: User, **fields) -> Meeting:
    fields = _check_meeting_fields(fields)
    if forum.is_archived:
        raise ValidationError("This forum is archived. Restore it before recording meetings.")
    meeting = Meeting(council=forum.council, forum=forum, created_by=actor, **fields)
    _save_meeting(meeting)
    meeting.activity = _sync_meeting_activity(meeting, actor=actor)
    meeting.save()
    audit(council=forum.council, actor=actor, verb="recorded forum meeting", subject=meeting)
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, actor: User, **fields) -> Meeting:
    fields = _check_meeting_fields(fields)
    for key, value in fields.items():
        setattr(meeting, key, value)
    _save_meeting(meeting)
    meeting.save()
    _sync_meeting_activity(meeting, actor=actor)
    audit(council=meeting.council, actor=actor, verb="changed forum meeting", subject=meeting)
    return meeting


@transaction.atomic
def meeting_delete(*, meeting: Meeting, actor: User) -> None:
    """The meeting goes, and its activity with it, so nothing is counted for a meeting not held."""
    activity = meeting.activity
    audit(council=meeting.council, actor=actor, verb="deleted forum meeting", subject=meeting)
    meeting.delete()
    audit(council=activity.council, actor=actor, verb="deleted activity", subject=activity)
    activity.delete()


def _locked(meeting: Meeting, *, version: int | None) -> Meeting:
    locked = Meeting.objects.select_for_update().get(council=meeting.council_id, pk=meeting.pk)
    if version is not None and version != locked.attendance_version:
        raise ValidationError(
            "Someone else saved the attendance for this meeting while you had it open, so your "
            "changes were not saved. The page now shows what they saved: check it and save again."
        )
    return locked


def meeting_expected_members(*, meeting: Meeting):
    """Members whose time on the forum covers the meeting's date."""
    return ForumMember.objects.filter(
        council=meeting.council_id, forum=meeting.forum_id, joined_on__lte=meeting.date
    ).filter(Q(left_on__isnull=True) | Q(left_on__gte=meeting.date))


@transaction.atomic
def attendance_save(
    *, meeting: Meeting, actor: User, statuses: dict[int, str], version: int
) -> Meeting:
    """Record present, apologies or absent for everyone expected, all at once or not at all."""
    locked = _locked(meeting, version=version)
    if locked.date > local_today():
        raise ValidationError(
            "This meeting has not happened yet. Record attendance on or after the day."
        )
    members = {
        m.young_person_id: m
        for m in meeting_expected_members(meeting=locked).select_related("young_person")
    }
    visitors = set(
        Attendance.objects.filter(
            council=locked.council_id, meeting=locked, is_member=False
        ).values_list("young_person_id", flat=True)
    )
    unknown = set(statuses) - set(members) - visitors
    if unknown:
        raise ValidationError(
            "Attendance can only be recorded for members of the forum on the day of the meeting "
            "and for young people added as having come. Add them first, then record it."
        )
    if any(status not in Attendance.Status.values for status in statuses.values()):
        raise ValidationError("Choose present, apologies or absent.")
    missing = [m for pk, m in members.items() if pk not in statuses]
    if missing:
        names = ", ".join(sorted(m.young_person.preferred_name for m in missing))
        raise ValidationError(f"Choose present, apologies or absent for {names}.")
    if any(statuses.get(pk) != Attendance.Status.PRESENT for pk in visitors):
        raise ValidationError(
            "Young people who came but are not members can only be marked present. "
            "Remove them if they did not come."
        )
    existing = {
        a.young_person_id: a
        for a in Attendance.objects.filter(council=locked.council_id, meeting=locked)
    }
    changed = []
    new = []
    for pk, status in statuses.items():
        row = existing.get(pk)
        if row is None:
            new.append(
                Attendance(
                    council=locked.council, meeting=locked, young_person_id=pk, status=status
                )
            )
        elif row.status != status:
            row.status = status
            changed.append(row)
    Attendance.objects.bulk_create(new)
    Attendance.objects.bulk_update(changed, ["status"])
    locked.attendance_version += 1
    locked.save(update_fields=["attendance_version", "updated_at"])
    _sync_meeting_activity(locked, actor=actor)
    audit(council=locked.council, actor=actor, verb="recorded attendance", subject=locked)
    return locked


@transaction.atomic
def attendance_add_visitor(
    *, meeting: Meeting, actor: User, young_person: YoungPerson, version: int | None = None
) -> Attendance:
    """A young person who came but is not a member: they count as present."""
    locked = _locked(meeting, version=version)
    if young_person.council_id != locked.council_id:
        raise ValidationError({"young_person": "Choose a young person recorded in this council."})
    if locked.date > local_today():
        raise ValidationError(
            "This meeting has not happened yet. Add who came on or after the day."
        )
    if meeting_expected_members(meeting=locked).filter(young_person=young_person).exists():
        raise ValidationError(
            {"young_person": "This young person is a member: mark them present in the list."}
        )
    if Attendance.objects.filter(
        council=locked.council_id, meeting=locked, young_person=young_person
    ).exists():
        raise ValidationError({"young_person": "This young person is already on the list."})
    row = Attendance.objects.create(
        council=locked.council,
        meeting=locked,
        young_person=young_person,
        status=Attendance.Status.PRESENT,
        is_member=False,
    )
    locked.attendance_version += 1
    locked.save(update_fields=["attendance_version", "updated_at"])
    _sync_meeting_activity(locked, actor=actor)
    audit(council=locked.council, actor=actor, verb="added visitor to meeting", subject=locked)
    return row


@transaction.atomic
def attendance_remove_visitor(*, meeting: Meeting, actor: User, young_person_id: int) -> None:
    locked = _locked(meeting, version=None)
    deleted, _ = Attendance.objects.filter(
        council=locked.council_id, meeting=locked, young_person_id=young_person_id, is_member=False
    ).delete()
    if not deleted:
        raise ValidationError("This young person is not on the list of visitors.")
    locked.attendance_version += 1
    locked.save(update_fields=["attendance_version", "updated_at"])
    _sync_meeting_activity(locked, actor=actor)
    audit(council=locked.council, actor=actor, verb="removed visitor from meeting", subject=locked)


@transaction.atomic
def attendance_make_member(*, meeting: Meeting, actor: User, young_person_id: int) -> ForumMember:
    """A visitor joins the forum from the day of the meeting they came to."""
    locked = _locked(meeting, version=None)
    row = (
        Attendance.objects.filter(
            council=locked.council_id,
            meeting=locked,
            young_person_id=young_person_id,
            is_member=False,
        )
        .select_related("young_person")
        .first()
    )
    if row is None:
        raise ValidationError("This young person is not on the list of visitors.")
    member = forum_member_add(
        forum=locked.forum,
        actor=actor,
        young_person=row.young_person,
        role=ForumMember.Role.MEMBER,
        joined_on=locked.date,
    )
    row.is_member = True
    row.save(update_fields=["is_member"])
    locked.attendance_version += 1
    locked.save(update_fields=["attendance_version", "updated_at"])
    return member


@transaction.atomic
def meeting_guest_add(*, meeting: Meeting, actor: User, name: str, role: str) -> MeetingGuest:
    role = " ".join(role.split())
    if not role:
        raise ValidationError(
            {"role": "Enter their role or title, like Director of Children's Services."}
        )
    guest = MeetingGuest(council=meeting.council, meeting=meeting, name=name.strip(), role=role)
    guest.full_clean()
    guest.save()
    audit(council=meeting.council, actor=actor, verb="added meeting guest", subject=meeting)
    return guest


@transaction.atomic
def meeting_guest_remove(*, guest: MeetingGuest, actor: User) -> None:
    audit(council=guest.council, actor=actor, verb="removed meeting guest", subject=guest.meeting)
    guest.delete()


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
        transaction.on_commit(lambda: _queue("send_ask_raised", ask.pk))
    return ask


def _queue(task_name: str, *ids) -> None:
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
        transaction.on_commit(lambda: _queue("send_ask_answered", ask.pk))
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
    transaction.on_commit(lambda: _queue("send_consultation_update", request.pk))
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
    transaction.on_commit(lambda: _queue("send_consultation_update", request.pk))
    return request


# Adults on a forum ---------------------------------------------------------------------------


@transaction.atomic
def forum_adult_add(
    *,
    forum: Forum,
    actor: User,
    joined_on,
    role: str = ForumMember.Role.MEMBER,
    board: str = "",
    user: User | None = None,
    name: str = "",
    organisation: str = "",
) -> ForumAdult:
    """A member of staff (a Heard user) or a worker from outside, like an advocacy service."""
    board = _board_for(role=role, board=board)
    name, organisation = " ".join(name.split()), " ".join(organisation.split())
    if user is None and not name:
        raise ValidationError(
            {"user": "Choose a member of staff, or enter the name of someone from outside."}
        )
    if user is not None and name:
        raise ValidationError({"name": "Choose a member of staff or enter a name, not both."})
    if (
        user is not None
        and not Membership.objects.filter(council=forum.council, user=user, is_active=True).exists()
    ):
        raise ValidationError({"user": "Choose a member of staff of this council."})
    if forum.is_archived:
        raise ValidationError("This forum is archived. Restore it before adding members.")
    _check_member_dates(joined_on=joined_on)
    adult = ForumAdult(
        council=forum.council,
        forum=forum,
        user=user,
        name=name,
        organisation=organisation,
        role=role,
        board=board,
        joined_on=joined_on,
    )
    adult.full_clean()
    adult.save()
    audit(council=forum.council, actor=actor, verb="added adult to forum", subject=adult)
    return adult


@transaction.atomic
def forum_adult_leave(*, adult: ForumAdult, actor: User, left_on) -> ForumAdult:
    if adult.left_on is not None:
        raise ValidationError("They have already left the forum.")
    _check_member_dates(joined_on=adult.joined_on, left_on=left_on)
    adult.left_on = left_on
    adult.save(update_fields=["left_on"])
    audit(council=adult.council, actor=actor, verb="recorded adult left forum", subject=adult)
    return adult


# Work programme ------------------------------------------------------------------------------

WORK_FIELDS = ("title", "description", "starts_on", "due_on", "status", "objective")


def _check_work(item: WorkItem) -> None:
    errors = {}
    item.title = " ".join(item.title.split())
    if not item.title:
        errors["title"] = "Enter what the forum will work on."
    if item.starts_on and item.due_on and item.due_on < item.starts_on:
        errors["due_on"] = "The finish date must be the same as or after the start date."
    for field in ("starts_on", "due_on"):
        day = getattr(item, field)
        if day and not FIRST_YEAR <= day.year <= local_today().year + 5:
            errors[field] = f"Check the year: enter a date between {FIRST_YEAR} and " + str(
                local_today().year + 5
            )
    if item.status not in WorkItem.Status.values:
        errors["status"] = "Choose a status."
    if item.objective_id and item.objective.council_id != item.council_id:
        errors["objective"] = "Choose an objective from this council's strategies."
    if errors:
        raise ValidationError(errors)
    item.full_clean()


@transaction.atomic
def work_item_create(*, forum: Forum, actor: User, **fields) -> WorkItem:
    unknown = set(fields) - set(WORK_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    item = WorkItem(council=forum.council, forum=forum, **fields)
    _check_work(item)
    item.save()
    audit(council=forum.council, actor=actor, verb="added work programme item", subject=item)
    return item


@transaction.atomic
def work_item_update(*, item: WorkItem, actor: User, **fields) -> WorkItem:
    unknown = set(fields) - set(WORK_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    for key, value in fields.items():
        setattr(item, key, value)
    _check_work(item)
    item.save()
    audit(council=item.council, actor=actor, verb="changed work programme item", subject=item)
    return item


# Terms of reference -------------------------------------------------------------------------


@transaction.atomic
def terms_of_reference_add(
    *, forum: Forum, actor: User, text: str, agreed_on, review_on
) -> TermsOfReference:
    """A new version: the earlier ones are kept with their dates."""
    forum = Forum.objects.select_for_update().get(council=forum.council_id, pk=forum.pk)
    text = text.strip()
    errors = {}
    if not text:
        errors["text"] = "Enter the terms of reference."
    if agreed_on is None:
        errors["agreed_on"] = "Enter the date they were agreed."
    elif agreed_on > local_today():
        errors["agreed_on"] = "The date they were agreed must be today or in the past."
    if review_on is None:
        errors["review_on"] = "Enter the date they should be reviewed by."
    elif agreed_on and review_on < agreed_on:
        errors["review_on"] = "The review date must be after the date they were agreed."
    if errors:
        raise ValidationError(errors)
    latest = (
        TermsOfReference.objects.filter(council=forum.council_id, forum=forum)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    version = TermsOfReference.objects.create(
        council=forum.council,
        forum=forum,
        version=(latest or 0) + 1,
        text=text,
        agreed_on=agreed_on,
        review_on=review_on,
        created_by=actor,
    )
    # The forum keeps the current text too, which the API and the page read.
    forum.terms_of_reference = text
    forum.save(update_fields=["terms_of_reference", "updated_at"])
    audit(council=forum.council, actor=actor, verb="agreed terms of reference", subject=forum)
    return version


# Calendar links ------------------------------------------------------------------------------


@transaction.atomic
def calendar_link_create(*, forum: Forum, user: User) -> CalendarLink:
    """A new secret link for this person; any earlier one stops working."""
    now = timezone.now()
    CalendarLink.objects.filter(
        council=forum.council, forum=forum, user=user, revoked_at__isnull=True
    ).update(revoked_at=now)
    link = CalendarLink.objects.create(council=forum.council, forum=forum, user=user)
    audit(council=forum.council, actor=user, verb="made calendar link", subject=forum)
    return link


@transaction.atomic
def calendar_link_revoke(*, forum: Forum, user: User) -> int:
    revoked = CalendarLink.objects.filter(
        council=forum.council, forum=forum, user=user, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if revoked:
        audit(council=forum.council, actor=user, verb="revoked calendar link", subject=forum)
    return revoked
