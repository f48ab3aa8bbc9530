from datetime import date

from django.db.models import Count, F, Q, QuerySet

from forums.models import Ask, Forum
from participation.models import Council, Membership
from participation.tenancy import get_for_council

# Asks ---------------------------------------------------------------------------------------


def can_answer_ask(*, membership: Membership, ask) -> bool:
    """Officers and admins answer any ask; a manager answers the asks addressed to them."""
    if membership.can("forums.edit"):
        return True
    return membership.can("asks.answer") and ask.addressed_to_id == membership.user_id


def access_ask(*, forum: Forum, pk):
    return get_for_council(
        Ask.objects.filter(council_id=forum.council_id, forum=forum).select_related(
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


def asks_answered_between(*, council: Council, start: date, end: date) -> QuerySet[Ask]:
    """The asks answered in the period with their answers, for the young people's report: what
    was asked, the answer and the forum's name, never who asked or answered."""
    return (
        Ask.objects.filter(council=council, answered_on__gte=start, answered_on__lte=end)
        .exclude(status=Ask.Status.OPEN)
        .select_related("forum")
        .order_by("forum__name", "answered_on", "pk")
    )


def people_who_can_be_asked(*, council: Council):
    from participation.capabilities import CAPABILITIES
    from participation.models import User

    members = Membership.objects.filter(
        council=council, is_active=True, role__in=CAPABILITIES["asks.answer"]
    ).values("user_id")
    return User.objects.filter(pk__in=members, is_active=True).order_by("full_name", "pk")
