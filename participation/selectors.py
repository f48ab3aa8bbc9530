from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils import timezone

from participation.models import (
    AuditEvent,
    ColumnChoice,
    Council,
    Invitation,
    Membership,
    PendingImport,
)
from participation.tenancy import get_for_council


def councils_for_user(*, user) -> QuerySet[Council]:
    member_of = Membership.objects.filter(user=user, is_active=True).values("council_id")
    return Council.objects.filter(is_active=True, pk__in=member_of).order_by("name")


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


def paginate(queryset, *, page: str | None, per_page: int = 25) -> Page:
    return Paginator(queryset, per_page).get_page(page)


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
    return AuditEvent.objects.filter(council=council).select_related("actor")[:limit]


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
