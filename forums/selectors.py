from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from forums.models import Ask, Attendance, Forum, ForumMember, Meeting
from participation.activities.models import AgeBand, YoungPerson
from participation.activities.selectors import visible_young_people
from participation.models import Council, Membership
from participation.tenancy import get_for_council


def _per_forum_count(qs: QuerySet, forum_path: str):
    """A correlated count per forum, so several counts on one list do not multiply."""
    counted = (
        qs.filter(**{forum_path: OuterRef("pk")})
        .values(forum_path)
        .annotate(n=Count("pk"))
        .values("n")
        .order_by()
    )
    return Coalesce(Subquery(counted), 0)


def forum_list(
    *,
    council: Council,
    search: str = "",
    audience: str = "",
    archived: bool = False,
    today: date | None = None,
) -> QuerySet[Forum]:
    """Forums with their members, next meeting and attendance rate: one query for the page."""
    today = today or timezone.localdate()
    qs = Forum.objects.filter(council=council, is_archived=archived)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(purpose__icontains=search))
    if audience:
        qs = qs.filter(audience=audience)
    current = Count("members", filter=Q(members__left_on__isnull=True))
    upcoming = Meeting.objects.filter(
        council=council, forum=OuterRef("pk"), date__gte=today
    ).order_by("date", "starts_at", "pk")
    in_window = _attendance_in_window(council=council, today=today)
    waiting = Ask.objects.filter(council=council, status__in=Ask.WAITING)
    return qs.annotate(
        member_count=current,
        open_asks=_per_forum_count(waiting, "forum"),
        next_meeting_on=Subquery(upcoming.values("date")[:1]),
        attendance_present=_per_forum_count(
            in_window.filter(status=Attendance.Status.PRESENT), "meeting__forum"
        ),
        attendance_recorded=_per_forum_count(in_window, "meeting__forum"),
    ).order_by("name", "pk")


def forum_summary(*, council: Council) -> dict:
    return Forum.objects.filter(council=council).aggregate(
        active=Count("pk", filter=Q(is_archived=False)),
        archived=Count("pk", filter=Q(is_archived=True)),
    )


def access_forum(*, council: Council, pk) -> Forum:
    return get_for_council(Forum.objects.all(), council=council, pk=pk)


def forum_members(*, forum: Forum, membership: Membership) -> QuerySet[ForumMember]:
    """The forum's members, current first, limited to the young people this person may see."""
    return (
        ForumMember.objects.filter(council=forum.council_id, forum=forum)
        .filter(young_person__in=visible_young_people(membership=membership))
        .select_related("young_person")
        .order_by(F("left_on").desc(nulls_first=True), "young_person__preferred_name", "pk")
    )


def access_forum_member(*, forum: Forum, pk) -> ForumMember:
    return get_for_council(
        ForumMember.objects.filter(forum=forum).select_related("young_person", "forum"),
        council=forum.council,
        pk=pk,
    )


def young_person_forums(*, young_person: YoungPerson) -> QuerySet[ForumMember]:
    return (
        ForumMember.objects.filter(council=young_person.council_id, young_person=young_person)
        .select_related("forum")
        .order_by("-joined_on", "-pk")
    )


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
        Meeting.objects.filter(forum=forum).select_related("forum", "activity"),
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


# Asks ---------------------------------------------------------------------------------------


def can_answer_ask(*, membership: Membership, ask) -> bool:
    """Officers and admins answer any ask; a manager answers the asks addressed to them."""
    if membership.can("forums.edit"):
        return True
    return membership.can("asks.answer") and ask.addressed_to_id == membership.user_id


def access_ask(*, forum: Forum, pk):
    return get_for_council(
        Ask.objects.filter(forum=forum).select_related(
            "forum", "meeting", "addressed_to", "answered_by", "raised_by", "you_said_entry"
        ),
        council=forum.council,
        pk=pk,
    )


def forum_asks(*, forum: Forum, waiting: bool | None = None):
    qs = Ask.objects.filter(council=forum.council_id, forum=forum)
    if waiting is True:
        qs = qs.filter(status__in=Ask.WAITING)
    elif waiting is False:
        qs = qs.exclude(status__in=Ask.WAITING)
    return qs.select_related("addressed_to", "meeting").order_by(
        F("due_on").asc(nulls_last=True), "-raised_on", "-pk"
    )


def asks_for(*, membership: Membership, waiting: bool | None = None):
    """The asks addressed to this person, across the council's forums."""
    qs = Ask.objects.filter(council=membership.council_id, addressed_to=membership.user_id)
    if waiting is True:
        qs = qs.filter(status__in=Ask.WAITING)
    elif waiting is False:
        qs = qs.exclude(status__in=Ask.WAITING)
    return qs.select_related("forum").order_by(
        F("due_on").asc(nulls_last=True), "-raised_on", "-pk"
    )


def ask_history(*, ask):
    from forums.models import AskAnswer

    return AskAnswer.objects.filter(council=ask.council_id, ask=ask).select_related("answered_by")


def asks_raised(*, council: Council, start: date, end: date, forum: Forum | None = None) -> int:
    qs = Ask.objects.filter(council=council, raised_on__gte=start, raised_on__lte=end)
    if forum is not None:
        qs = qs.filter(forum=forum)
    return qs.count()


def asks_answered(
    *, council: Council, start: date, end: date, forum: Forum | None = None
) -> dict[str, int]:
    """Asks given an answer in the period, by the status of that answer (latest per ask)."""
    qs = Ask.objects.filter(council=council, answered_on__gte=start, answered_on__lte=end).exclude(
        status=Ask.Status.OPEN
    )
    if forum is not None:
        qs = qs.filter(forum=forum)
    counts = qs.aggregate(
        answered=Count("pk", filter=Q(status=Ask.Status.ANSWERED)),
        partly_done=Count("pk", filter=Q(status=Ask.Status.PARTLY_DONE)),
        not_possible=Count("pk", filter=Q(status=Ask.Status.NOT_POSSIBLE)),
    )
    counts["total"] = sum(counts.values())
    return counts


def people_who_can_be_asked(*, council: Council):
    from participation.capabilities import CAPABILITIES
    from participation.models import User

    members = Membership.objects.filter(
        council=council, is_active=True, role__in=CAPABILITIES["asks.answer"]
    ).values("user_id")
    return User.objects.filter(pk__in=members, is_active=True).order_by("full_name", "pk")


# Requests to consult ------------------------------------------------------------------------

CONSULTATION_WINDOW_DAYS = 91  # "the last three months", for not over-consulting young people


def access_consultation(*, forum: Forum, pk):
    from forums.models import ConsultationRequest

    return get_for_council(
        ConsultationRequest.objects.filter(forum=forum).select_related(
            "forum", "requested_by", "decided_by", "meeting"
        ),
        council=forum.council,
        pk=pk,
    )


def can_see_consultation(*, membership: Membership, request) -> bool:
    return membership.can("forums.edit") or request.requested_by_id == membership.user_id


def forum_consultations(*, forum: Forum, today: date | None = None) -> dict:
    """The forum's requests still to decide or do, and how many it had in the last 3 months."""
    from forums.models import ConsultationRequest as CR

    today = today or timezone.localdate()
    qs = CR.objects.filter(council=forum.council_id, forum=forum)
    recent = qs.filter(
        status__in=(CR.Status.ACCEPTED, CR.Status.SCHEDULED, CR.Status.DONE),
        decided_on__gte=today - timedelta(days=CONSULTATION_WINDOW_DAYS),
    ).count()
    pending = list(
        qs.filter(status__in=(CR.Status.SUBMITTED, CR.Status.ACCEPTED, CR.Status.SCHEDULED))
        .select_related("requested_by", "meeting")
        .order_by("needed_by", "pk")
    )
    return {"recent": recent, "pending": pending}


def consultations_requested_by(*, membership: Membership):
    from forums.models import ConsultationRequest

    return (
        ConsultationRequest.objects.filter(
            council=membership.council_id, requested_by=membership.user_id
        )
        .select_related("forum", "meeting")
        .order_by("-created_at", "-pk")
    )


def consultation_counts(
    *, council: Council, start: date, end: date, forum: Forum | None = None
) -> dict[str, int]:
    """Requests made in the period, by where they are now (for the quarterly report)."""
    from forums.models import ConsultationRequest as CR

    qs = CR.objects.filter(council=council, created_at__date__gte=start, created_at__date__lte=end)
    if forum is not None:
        qs = qs.filter(forum=forum)
    counts = qs.aggregate(
        requested=Count("pk"),
        **{value: Count("pk", filter=Q(status=value)) for value in CR.Status.values},
    )
    return counts


# Members: adults and eligibility ------------------------------------------------------------

# How far ahead the forum page warns that a member will pass the forum's age range.
ELIGIBILITY_HORIZON_DAYS = 90
BAND_AGES = {
    AgeBand.UNDER_8: (0, 7),
    AgeBand.AGE_8_12: (8, 12),
    AgeBand.AGE_13_15: (13, 15),
    AgeBand.AGE_16_17: (16, 17),
    AgeBand.AGE_18_25: (18, 25),
}


def forum_adults(*, forum: Forum):
    from forums.models import ForumAdult

    return (
        ForumAdult.objects.filter(council=forum.council_id, forum=forum, left_on__isnull=True)
        .select_related("user")
        .order_by("name", "pk")
    )


def access_forum_adult(*, forum: Forum, pk):
    from forums.models import ForumAdult

    return get_for_council(
        ForumAdult.objects.filter(forum=forum).select_related("user"), council=forum.council, pk=pk
    )


def _birthday(dob: date, age: int) -> date:
    try:
        return dob.replace(year=dob.year + age)
    except ValueError:  # born on 29 February
        return date(dob.year + age, 3, 1)


@dataclass
class EligibilityWarning:
    member: ForumMember
    message: str
    on: date | None = None  # the day it happens, when known


def eligibility_warnings(
    *, forum: Forum, members, today: date | None = None
) -> list[EligibilityWarning]:
    """Current members who are, or within 90 days will be, outside the forum's age range,
    from their date of birth, or from their age band when that is all there is."""
    today = today or timezone.localdate()
    if forum.min_age is None and forum.max_age is None:
        return []
    horizon = today + timedelta(days=ELIGIBILITY_HORIZON_DAYS)
    warnings = []
    for member in members:
        person = member.young_person
        name = person.preferred_name
        if person.date_of_birth:
            age = person.age_on(today)
            if forum.max_age is not None:
                too_old = _birthday(person.date_of_birth, forum.max_age + 1)
                if too_old <= today:
                    warnings.append(
                        EligibilityWarning(
                            member,
                            f"{name} is {age}: older than the forum's age range "
                            f"(up to {forum.max_age}).",
                        )
                    )
                elif too_old <= horizon:
                    warnings.append(
                        EligibilityWarning(
                            member,
                            f"{name} turns {forum.max_age + 1} on {too_old:%-d %B %Y}, past the "
                            f"forum's age range (up to {forum.max_age}).",
                            too_old,
                        )
                    )
            if forum.min_age is not None and age < forum.min_age:
                warnings.append(
                    EligibilityWarning(
                        member,
                        f"{name} is {age}: younger than the forum's age range "
                        f"(from {forum.min_age}).",
                    )
                )
        elif person.age_band in BAND_AGES and forum.max_age is not None:
            low, high = BAND_AGES[person.age_band]
            band = AgeBand(person.age_band).label.lower()
            if low > forum.max_age:
                warnings.append(
                    EligibilityWarning(
                        member,
                        f"{name}'s age band ({band}) is above the forum's age range "
                        f"(up to {forum.max_age}).",
                    )
                )
            elif high > forum.max_age:
                warnings.append(
                    EligibilityWarning(
                        member,
                        f"{name}'s age band ({band}) goes past the forum's age range (up to "
                        f"{forum.max_age}). Add their date of birth to know when they leave it.",
                    )
                )
    return sorted(warnings, key=lambda w: (w.on or date.min, w.member.young_person.preferred_name))


# Work programme -----------------------------------------------------------------------------


def forum_work(*, forum: Forum):
    from forums.models import WorkItem

    return (
        WorkItem.objects.filter(council=forum.council_id, forum=forum)
        .select_related("objective")
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )


def access_work_item(*, forum: Forum, pk):
    from forums.models import WorkItem

    return get_for_council(
        WorkItem.objects.filter(forum=forum).select_related("objective"),
        council=forum.council,
        pk=pk,
    )


def work_for_objective(*, objective):
    """The forum work that serves a strategy objective, for the objective's page."""
    from forums.models import WorkItem

    return (
        WorkItem.objects.filter(council=objective.council_id, objective=objective)
        .select_related("forum")
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )


def objective_choices(*, council: Council):
    from participation.strategy.models import Objective

    return (
        Objective.objects.filter(council=council)
        .exclude(strategy__state="archived")
        .select_related("strategy")
        .order_by("strategy__title", "order", "code")
    )


# Terms of reference -------------------------------------------------------------------------


def terms_of_reference_versions(*, forum: Forum):
    from forums.models import TermsOfReference

    return TermsOfReference.objects.filter(council=forum.council_id, forum=forum).order_by(
        "-version"
    )


def terms_of_reference_overdue(*, council: Council, today: date):
    """Each forum's current version whose review date has passed (latest version only)."""
    from forums.models import TermsOfReference

    latest = (
        TermsOfReference.objects.filter(council=OuterRef("council"), forum=OuterRef("forum"))
        .order_by("-version")
        .values("version")[:1]
    )
    return (
        TermsOfReference.objects.filter(
            council=council, review_on__lt=today, forum__is_archived=False
        )
        .annotate(latest=Subquery(latest))
        .filter(version=F("latest"))
    )


# Calendar feed ------------------------------------------------------------------------------


def live_calendar_link(*, forum: Forum, user):
    from forums.models import CalendarLink

    return CalendarLink.objects.filter(
        council=forum.council_id, forum=forum, user=user, revoked_at__isnull=True
    ).first()


def calendar_by_token(*, token: str):
    """The live link for a token, while its person is still an active member of the council."""
    from forums.models import CalendarLink

    link = (
        CalendarLink.objects.filter(
            token=token, revoked_at__isnull=True, council__is_active=True, user__is_active=True
        )
        .select_related("forum")
        .first()
    )
    if link is None:
        return None
    member = Membership.objects.filter(
        council=link.council_id, user=link.user_id, is_active=True
    ).exists()
    return link if member else None


def calendar_meetings(*, forum: Forum, today: date | None = None):
    today = today or timezone.localdate()
    return Meeting.objects.filter(
        council=forum.council_id, forum=forum, date__gte=today - timedelta(days=RATE_WINDOW_DAYS)
    ).order_by("date", "starts_at", "pk")


# The annual summary -------------------------------------------------------------------------


def summary_year(*, year: int | None, today: date | None = None) -> tuple[date, date]:
    """A council's year, April to March (the year children's services report by)."""
    today = today or timezone.localdate()
    if year is None:
        year = today.year if today.month >= 4 else today.year - 1
    return date(year, 4, 1), date(year + 1, 3, 31)


def annual_summary(*, forum: Forum, start: date, end: date) -> dict:
    """One forum's year from the same counts the quarterly report uses."""
    council = forum.council
    you_said = (
        Ask.objects.filter(
            council=council,
            forum=forum,
            you_said_entry__isnull=False,
            answered_on__gte=start,
            answered_on__lte=end,
        )
        .select_related("you_said_entry")
        .order_by("answered_on", "pk")
    )
    return {
        "start": start,
        "end": end,
        "meetings_held": meetings_held(council=council, start=start, end=end, forum=forum),
        "attendance_rate": attendance_rate_between(
            council=council, start=start, end=end, forum=forum
        ),
        "asks_raised": asks_raised(council=council, start=start, end=end, forum=forum),
        "asks_answered": asks_answered(council=council, start=start, end=end, forum=forum),
        "consultations": consultation_counts(council=council, start=start, end=end, forum=forum),
        "meetings": list(
            Meeting.objects.filter(
                council=council,
                forum=forum,
                date__gte=start,
                date__lte=min(end, timezone.localdate()),
            )
            .annotate(present_count=Count("attendance", filter=Q(attendance__status="present")))
            .order_by("date", "pk")
        ),
        "you_said": [ask.you_said_entry for ask in you_said],
    }
