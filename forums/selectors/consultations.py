from datetime import date, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from forums.models import Forum
from participation.models import Council, Membership
from participation.tenancy import get_for_council

# Requests to consult ------------------------------------------------------------------------

CONSULTATION_WINDOW_DAYS = 91  # "the last three months", for not over-consulting young people


def access_consultation(*, forum: Forum, pk):
    from forums.models import ConsultationRequest

    return get_for_council(
        ConsultationRequest.objects.filter(council_id=forum.council_id, forum=forum).select_related(
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
    done_statuses = (CR.Status.ACCEPTED, CR.Status.SCHEDULED, CR.Status.DONE)
    pending_statuses = (CR.Status.SUBMITTED, CR.Status.ACCEPTED, CR.Status.SCHEDULED)
    since = today - timedelta(days=CONSULTATION_WINDOW_DAYS)
    # One query for both: the recent ones are bounded by the 3-month window, so counting them
    # here costs less than a second round trip.
    rows = list(
        CR.objects.filter(council=forum.council_id, forum=forum)
        .filter(Q(status__in=pending_statuses) | Q(status__in=done_statuses, decided_on__gte=since))
        .select_related("requested_by", "meeting")
        .order_by("needed_by", "pk")
    )
    recent = sum(
        1
        for r in rows
        if r.status in done_statuses and r.decided_on is not None and r.decided_on >= since
    )
    pending = [r for r in rows if r.status in pending_statuses]
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
