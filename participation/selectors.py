from datetime import timedelta

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import cached_property

from participation.models import (
    AuditEvent,
    ColumnChoice,
    Council,
    Invitation,
    JobHeartbeat,
    Membership,
    PendingImport,
)
from participation.tenancy import get_for_council


def logo_is_public(*, name: str) -> bool:
    return Council.objects.filter(logo=name, is_active=True).exists()


def councils_for_user(*, user) -> list[Council]:
    from participation import rls

    member_of = Membership.objects.filter(user=user, is_active=True).values("council_id")
    with rls.own_memberships(user):
        return list(Council.objects.filter(is_active=True, pk__in=member_of).order_by("name"))


def membership_list(
    *, council: Council, search: str = "", role: str = "", status: str = ""
) -> QuerySet[Membership]:
    qs = Membership.objects.filter(council=council).select_related("user")
    if search:
        qs = qs.filter(Q(user__full_name__icontains=search) | Q(user__email__icontains=search))
    if role:
        qs = qs.filter(role=role)
    if status == "active":
        qs = qs.filter(is_active=True)
    elif status == "inactive":
        qs = qs.filter(is_active=False)
    return qs.order_by("-is_active", "user__full_name", "pk")


class _CountedPaginator(Paginator):
    """A paginator told how to count: the rows shown may need joins for their order that the
    count does not, and counting through those joins reads every row again."""

    def __init__(self, *args, counting, **kwargs):
        super().__init__(*args, **kwargs)
        self._counting = counting

    @cached_property
    def count(self) -> int:
        return self._counting.count()


class _BoundedPaginator(Paginator):
    """Counts no further than `limit`: a word searched for in every activity's text cannot use
    an index, and counting 12,000 matches of 100,000 reads them all, where "more than 1,000"
    tells the person as much. `more` says whether there were more than the count."""

    def __init__(self, *args, limit, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit = limit
        self.more = False

    @cached_property
    def count(self) -> int:
        found = self.object_list.order_by()[: self._limit + 1].count()
        self.more = found > self._limit
        return min(found, self._limit)


def paginate(
    queryset, *, page: str | None, per_page: int = 25, counting=None, count_limit=None
) -> Page:
    if count_limit is not None:
        paginator = _BoundedPaginator(queryset, per_page, limit=count_limit)
    elif counting is not None:
        paginator = _CountedPaginator(queryset, per_page, counting=counting)
    else:
        paginator = Paginator(queryset, per_page)
    result = paginator.get_page(page)
    result.window = page_window(result.number, result.paginator.num_pages)
    return result


def page_window(current: int, last: int, *, around: int = 2) -> list[int | None]:
    """The page numbers to link to: the first, the last and a few either side of the current one,
    with None where numbers are left out (shown as an ellipsis, as the GOV.UK pattern does). A
    list of 4,000 pages otherwise renders 4,000 links."""
    shown = {1, last, *range(current - around, current + around + 1)}
    numbers = sorted(n for n in shown if 1 <= n <= last)
    window: list[int | None] = []
    for number in numbers:
        if window and number - window[-1] > 1:
            window.append(None)
        window.append(number)
    return window


def access_membership(*, council: Council, pk) -> Membership:
    return get_for_council(Membership.objects.select_related("user"), council=council, pk=pk)


def access_invitation(*, council: Council, pk) -> Invitation:
    return get_for_council(Invitation.objects.all(), council=council, pk=pk)


def pending_invitations(*, council: Council) -> QuerySet[Invitation]:
    from django.utils import timezone

    return (
        Invitation.objects.filter(
            council=council, accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
        )
        .select_related("invited_by")
        .order_by("-created_at")
    )


def invitation_by_token(*, token: str) -> Invitation | None:
    return Invitation.objects.select_related("council").filter(token=token).first()


def recent_audit_events(*, council: Council, limit: int = 10) -> QuerySet[AuditEvent]:
    """The council's latest actions in words (not views, exports or refused pages)."""
    return AuditEvent.objects.filter(council=council, kind=AuditEvent.Kind.ACTION).select_related(
        "actor"
    )[:limit]


def active_admin_count(*, council: Council) -> int:
    return Membership.objects.filter(
        council=council, role=Membership.Role.COUNCIL_ADMIN, is_active=True, user__is_active=True
    ).count()


def access_pending_import(*, council: Council, user, kind: str, pk) -> PendingImport | None:
    """The file this person uploaded and has not yet imported, if it is still kept."""
    if pk is None:
        return None
    since = timezone.now() - PendingImport.KEEP_FOR
    return PendingImport.objects.filter(
        council=council, uploaded_by=user, kind=kind, pk=pk, created_at__gte=since
    ).first()


def column_choices(*, council: Council, kind: str) -> dict[str, str]:
    """Normalised heading -> field (or "" for not imported), as this council chose before."""
    return dict(
        ColumnChoice.objects.filter(council=council, kind=kind).values_list("heading", "field")
    )


def alert_reminder_job_status(*, now=None) -> dict:
    """Whether the job that re-sends unacknowledged safeguarding alerts is running (its last
    heartbeat within its interval plus BEAT_HEARTBEAT_GRACE_SECONDS).

    state: "ok", "late" (ran before, not lately), "never" (no heartbeat at all) or
    "in_process" (no Redis: the demo mode, where there is no beat to run it)."""
    name = settings.ALERT_REMINDER_JOB
    schedule = settings.CELERY_BEAT_SCHEDULE[name]["schedule"]
    interval = schedule.total_seconds() if isinstance(schedule, timedelta) else float(schedule)
    allowed = timedelta(seconds=interval + settings.BEAT_HEARTBEAT_GRACE_SECONDS)
    last = JobHeartbeat.objects.filter(name=name).values_list("last_run_at", flat=True).first()
    if settings.IN_PROCESS_MODE:
        state = "in_process"
    elif last is None:
        state = "never"
    elif last < (now or timezone.now()) - allowed:
        state = "late"
    else:
        state = "ok"
    return {
        "state": state,
        "last_run_at": last,
        "allowed_minutes": int(allowed.total_seconds() // 60),
    }
