from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from forums.models import (
    Attendance,
    Forum,
    ForumMember,
    Meeting,
    MeetingGuest,
)
from forums.services.members import forum_member_add
from participation.activities import services as activity_services
from participation.activities.models import (
    Activity,
    LadderRung,
    Method,
    ParticipationType,
    YoungPerson,
)
from participation.activities.services import FIRST_YEAR, local_today
from participation.models import User
from participation.services import audit

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
    # Joining from the meeting's day makes this visit (and any later ones) a member's.
    member = forum_member_add(
        forum=locked.forum,
        actor=actor,
        young_person=row.young_person,
        role=ForumMember.Role.MEMBER,
        joined_on=locked.date,
    )
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
