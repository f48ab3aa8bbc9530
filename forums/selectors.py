from django.db.models import Count, F, Q, QuerySet

from forums.models import Forum, ForumMember
from participation.activities.models import YoungPerson
from participation.activities.selectors import visible_young_people
from participation.models import Council, Membership
from participation.tenancy import get_for_council


def forum_list(
    *, council: Council, search: str = "", audience: str = "", archived: bool = False
) -> QuerySet[Forum]:
    qs = Forum.objects.filter(council=council, is_archived=archived)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(purpose__icontains=search))
    if audience:
        qs = qs.filter(audience=audience)
    current = Count("members", filter=Q(members__left_on__isnull=True))
    return qs.annotate(member_count=current).order_by("name", "pk")


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
