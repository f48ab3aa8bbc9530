from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from forums.models import Attendance, Forum, ForumMember, Meeting
from participation.activities.models import YoungPerson
from participation.models import Council
from participation.tenancy import get_for_council

# Meetings and attendance ---------------------------------------------------------------------

RATE_WINDOW_DAYS = 365


def rate(present: int, recorded: int) -> int | None:
    """Attendance as a whole percentage: present out of every member recorded (present,
    apologies or absent). None when nothing was recorded, which is not 0%."""
    return round(100 * present / recorded) if recorded else None


def _window(today: date) -> tuple[date, date]:
    return today - timedelta(days=RATE_WINDOW_DAYS), today


def _attendance_in_window(*, council: Council, today: date) -> QuerySet[Attendance]:
    start, end = _window(today)
    return Attendance.objects.filter(
        council=council, is_member=True, meeting__date__gte=start, meeting__date__lte=end
    )


def _tally():
    return {
        "present": Count("pk", filter=Q(status=Attendance.Status.PRESENT)),
        "recorded": Count("pk"),
    }


def forum_attendance_rate(*, forum: Forum, today: date | None = None) -> int | None:
    today = today or timezone.localdate()
    totals = (
        _attendance_in_window(council=forum.council, today=today)
        .filter(meeting__forum=forum)
        .aggregate(**_tally())
    )
    return rate(totals["present"], totals["recorded"])


def member_attendance_rates(*, forum: Forum, today: date | None = None) -> dict[int, int | None]:
    """Each member's attendance rate over the last 12 months, by young person id."""
    today = today or timezone.localdate()
    rows = (
        _attendance_in_window(council=forum.council, today=today)
        .filter(meeting__forum=forum)
        .values("young_person_id")
        .annotate(**_tally())
        .order_by()
    )
    return {row["young_person_id"]: rate(row["present"], row["recorded"]) for row in rows}


def forum_attendance(*, forum: Forum, today: date | None = None) -> tuple[int | None, dict]:
    """The forum's attendance rate and each member's, over the last 12 months, from one grouped
    query: the forum's rate is the members' tallies added up (the same rows either way)."""
    today = today or timezone.localdate()
    rows = list(
        _attendance_in_window(council=forum.council, today=today)
        .filter(meeting__forum=forum)
        .values("young_person_id")
        .annotate(**_tally())
        .order_by()
    )
    overall = rate(sum(r["present"] for r in rows), sum(r["recorded"] for r in rows))
    return overall, {r["young_person_id"]: rate(r["present"], r["recorded"]) for r in rows}


def young_person_attendance(*, young_person: YoungPerson, today: date | None = None) -> list:
    """Per forum, the young person's attendance rate over the last 12 months."""
    today = today or timezone.localdate()
    rows = (
        _attendance_in_window(council=young_person.council, today=today)
        .filter(young_person=young_person)
        .values("meeting__forum_id", "meeting__forum__name")
        .annotate(**_tally())
        .order_by("meeting__forum__name")
    )
    return [
        {
            "forum_id": row["meeting__forum_id"],
            "forum_name": row["meeting__forum__name"],
            "present": row["present"],
            "recorded": row["recorded"],
            "rate": rate(row["present"], row["recorded"]),
        }
        for row in rows
    ]


def access_meeting(*, forum: Forum, pk) -> Meeting:
    return get_for_council(
        Meeting.objects.filter(council_id=forum.council_id, forum=forum).select_related(
            "forum", "activity"
        ),
        council=forum.council,
        pk=pk,
    )


def meeting_for_activity(*, activity) -> Meeting | None:
    return (
        Meeting.objects.filter(council=activity.council_id, activity=activity)
        .select_related("forum")
        .first()
    )


def forum_meetings(*, forum: Forum) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(council=forum.council_id, forum=forum)
        .annotate(
            present_count=Count("attendance", filter=Q(attendance__status="present")),
            recorded_count=Count("attendance", filter=Q(attendance__is_member=True)),
        )
        .order_by("-date", "-starts_at", "-pk")
    )


def next_meeting(*, forum: Forum, today: date | None = None) -> Meeting | None:
    today = today or timezone.localdate()
    return (
        Meeting.objects.filter(council=forum.council_id, forum=forum, date__gte=today)
        .order_by("date", "starts_at", "pk")
        .first()
    )


def latest_and_next_meetings(
    *, forum: Forum, today: date | None = None, latest: int = 12
) -> tuple[list[Meeting], Meeting | None]:
    """The forum page's latest meetings (as `forum_meetings`) and its next one (as
    `next_meeting`), in one query.

    Newest first, the latest ones lead; the next meeting, when it is not among them, is later
    than none of them, so it comes last. The next meeting is the earliest row from today on.
    """
    today = today or timezone.localdate()
    own = Meeting.objects.filter(council=forum.council_id, forum=forum)
    newest = own.order_by("-date", "-starts_at", "-pk").values("pk")[:latest]
    soonest = own.filter(date__gte=today).order_by("date", "starts_at", "pk").values("pk")[:1]
    rows = list(forum_meetings(forum=forum).filter(Q(pk__in=newest) | Q(pk__in=soonest)))
    upcoming = [m for m in rows if m.date >= today]
    return rows[:latest], (upcoming[-1] if upcoming else None)


@dataclass
class AttendanceLine:
    young_person: YoungPerson
    status: str
    is_member: bool
    role: str = ""


def attendance_sheet(*, meeting: Meeting) -> list[AttendanceLine]:
    """Everyone expected at the meeting (members on the day) and visitors, by name."""
    recorded = {
        a.young_person_id: a
        for a in Attendance.objects.filter(
            council=meeting.council_id, meeting=meeting
        ).select_related("young_person")
    }
    members = (
        ForumMember.objects.filter(
            council=meeting.council_id, forum=meeting.forum_id, joined_on__lte=meeting.date
        )
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=meeting.date))
        .select_related("young_person")
    )
    lines = []
    seen = set()
    for member in members:
        if member.young_person_id in seen:
            continue
        seen.add(member.young_person_id)
        row = recorded.get(member.young_person_id)
        lines.append(
            AttendanceLine(
                member.young_person,
                row.status if row else "",
                True,
                member.role_label,
            )
        )
    for pk, row in recorded.items():
        if pk not in seen:
            lines.append(AttendanceLine(row.young_person, row.status, row.is_member))
    return sorted(
        lines, key=lambda line: (not line.is_member, line.young_person.preferred_name.lower())
    )


def meeting_attendance_counts(*, meeting: Meeting) -> dict:
    return Attendance.objects.filter(council=meeting.council_id, meeting=meeting).aggregate(
        present=Count("pk", filter=Q(status=Attendance.Status.PRESENT)),
        apologies=Count("pk", filter=Q(status=Attendance.Status.APOLOGIES)),
        absent=Count("pk", filter=Q(status=Attendance.Status.ABSENT)),
        visitors=Count("pk", filter=Q(is_member=False)),
    )


# Counts the quarterly report and the annual summary share: (council, start, end), inclusive.


def meetings_held(*, council: Council, start: date, end: date, forum: Forum | None = None) -> int:
    qs = Meeting.objects.filter(council=council, date__gte=start, date__lte=end)
    if forum is not None:
        qs = qs.filter(forum=forum)
    return qs.filter(date__lte=timezone.localdate()).count()


def attendance_rate_between(
    *, council: Council, start: date, end: date, forum: Forum | None = None
) -> int | None:
    qs = Attendance.objects.filter(
        council=council, is_member=True, meeting__date__gte=start, meeting__date__lte=end
    )
    if forum is not None:
        qs = qs.filter(meeting__forum=forum)
    totals = qs.aggregate(**_tally())
    return rate(totals["present"], totals["recorded"])


def members_marked_between(
    *, council: Council, start: date, end: date, forum: Forum | None = None
) -> int:
    """Different members with attendance recorded in the period: the quarterly report withholds
    a rate drawn from so few that it could describe one child."""
    qs = Attendance.objects.filter(
        council=council, is_member=True, meeting__date__gte=start, meeting__date__lte=end
    )
    if forum is not None:
        qs = qs.filter(meeting__forum=forum)
    return qs.values("young_person").distinct().count()


def access_meeting_guest(*, meeting: Meeting, pk):
    from forums.models import MeetingGuest

    return get_for_council(
        MeetingGuest.objects.filter(meeting=meeting), council=meeting.council, pk=pk
    )
