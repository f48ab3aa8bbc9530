from datetime import date

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from forums.models import Ask, Attendance, Forum, ForumMember, Meeting
from forums.selectors.meetings import _attendance_in_window
from participation.activities.models import YoungPerson
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


def access_visible_forum_member(*, forum: Forum, membership: Membership, pk) -> ForumMember:
    """One member of the forum whose record this person may see (404 otherwise), as listed."""
    return get_for_council(
        forum_members(forum=forum, membership=membership), council=forum.council, pk=pk
    )


def access_forum_member(*, forum: Forum, pk) -> ForumMember:
    return get_for_council(
        ForumMember.objects.filter(council_id=forum.council_id, forum=forum).select_related(
            "young_person", "forum"
        ),
        council=forum.council,
        pk=pk,
    )


def young_person_forums(*, young_person: YoungPerson) -> QuerySet[ForumMember]:
    return (
        ForumMember.objects.filter(council=young_person.council_id, young_person=young_person)
        .select_related("forum")
        .order_by("-joined_on", "-pk")
    )
