"""Writes to councils, memberships and invitations. Views call these; nothing else writes."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from participation import selectors, sessions
from participation.images import reencode_logo
from participation.models import (
    AuditEvent,
    ColumnChoice,
    Council,
    ImportKind,
    Invitation,
    JobHeartbeat,
    Membership,
    PendingImport,
    User,
)


def audit(*, council: Council, actor: User | None, verb: str, subject, detail: str = "") -> None:
    AuditEvent.objects.create(
        council=council,
        actor=actor,
        verb=verb,
        subject_type=subject._meta.model_name,
        subject_id=subject.pk,
        detail=detail[:255],
    )


@transaction.atomic
def invitation_create(*, council: Council, invited_by: User, email: str, role: str) -> Invitation:
    from participation.tasks import send_invitation_email

    email = email.strip().lower()
    if role not in Membership.Role.values:
        raise ValidationError({"role": "Choose a role from the list."})
    if Membership.objects.filter(council=council, user__email=email, is_active=True).exists():
        raise ValidationError({"email": "This person is already a member of this council."})
    # A new invitation replaces any earlier one still waiting, so only one link works.
    Invitation.objects.filter(
        council=council, email=email, accepted_at=None, revoked_at=None
    ).update(revoked_at=timezone.now())
    invitation = Invitation.objects.create(
        council=council, email=email, role=role, invited_by=invited_by
    )
    audit(
        council=council,
        actor=invited_by,
        verb="invited",
        subject=invitation,
        detail=invitation.get_role_display(),
    )
    transaction.on_commit(
        lambda: send_invitation_email.delay(invitation.pk, council_id=council.pk), robust=True
    )
    return invitation


def invitation_send_email(*, invitation_id: int, council_id: int | None = None) -> bool:
    """Email the invitation link once. The row is locked and `email_sent_at` checked and set in
    one transaction, so a redelivered or duplicated task finds it set and sends nothing.

    If the mail server fails the transaction rolls back and the task tries again. Only a worker
    that dies after the server accepted the email and before the commit could send it twice."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse

    with transaction.atomic():
        found = Invitation.objects.select_for_update(of=("self",)).select_related(
            "council", "invited_by"
        )
        if council_id is not None:
            found = found.filter(council_id=council_id)
        invitation = found.filter(pk=invitation_id).first()
        if invitation is None or not invitation.is_pending or invitation.email_sent_at:
            return False
        context = {
            "invitation": invitation,
            "link": settings.SITE_URL + reverse("invitation_accept", args=[invitation.token]),
        }
        send_mail(
            subject=f"You have been invited to {invitation.council.name} on Heard",
            message=render_to_string("participation/email/invitation.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[invitation.email],
        )
        invitation.email_sent_at = timezone.now()
        invitation.save(update_fields=["email_sent_at"])
    return True


def heartbeat_record(*, name: str, now=None) -> None:
    """A scheduled job says it has run (see JobHeartbeat)."""
    JobHeartbeat.objects.update_or_create(
        name=name, defaults={"last_run_at": now or timezone.now()}
    )


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> None:
    if not invitation.is_pending:
        raise ValidationError("This invitation has already been used, revoked or has expired.")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit(council=invitation.council, actor=actor, verb="revoked invitation", subject=invitation)


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, user: User | None, full_name: str = "", password: str = ""
) -> Membership:
    """Accept an invitation as the signed-in user, or create the account it was sent to."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise ValidationError("This invitation link has expired or has already been used.")
    if user is None:
        if User.objects.filter(email=invitation.email).exists():
            raise ValidationError("An account with this email already exists: sign in to accept.")
        if not full_name.strip():
            raise ValidationError({"full_name": "Enter your full name."})
        user = User.objects.create_user(
            email=invitation.email, password=password, full_name=full_name.strip()
        )
    elif user.email.lower() != invitation.email.lower():
        raise ValidationError(
            "This invitation was sent to a different email address. "
            "Sign out and open the link again, or ask for a new invitation."
        )
    membership, _ = Membership.objects.update_or_create(
        council=invitation.council,
        user=user,
        defaults={"role": invitation.role, "is_active": True},
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit(
        council=invitation.council,
        actor=user,
        verb="joined",
        subject=membership,
        detail=membership.get_role_display(),
    )
    return membership


def _ensure_an_admin_remains(membership: Membership, *, losing_admin: bool) -> None:
    if (
        losing_admin
        and membership.role == Membership.Role.COUNCIL_ADMIN
        and membership.is_active
        and selectors.active_admin_count(council=membership.council) <= 1
    ):
        raise ValidationError(
            "This is the council's only active admin. Make someone else an admin first."
        )


@transaction.atomic
def membership_change_role(*, membership: Membership, actor: User, role: str) -> Membership:
    if role not in Membership.Role.values:
        raise ValidationError({"role": "Choose a role from the list."})
    if role == membership.role:
        return membership
    _ensure_an_admin_remains(membership, losing_admin=role != Membership.Role.COUNCIL_ADMIN)
    old = membership.get_role_display()
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    audit(
        council=membership.council,
        actor=actor,
        verb="changed role",
        subject=membership,
        detail=f"{old} to {membership.get_role_display()}",
    )
    return membership


@transaction.atomic
def membership_set_active(*, membership: Membership, actor: User, active: bool) -> Membership:
    if membership.is_active == active:
        return membership
    if not active:
        if membership.user_id == actor.pk:
            raise ValidationError("You cannot deactivate yourself.")
        _ensure_an_admin_remains(membership, losing_admin=True)
    membership.is_active = active
    membership.save(update_fields=["is_active", "updated_at"])
    if not active:
        # Signed out everywhere at once, not at their next sign-in.
        sessions.end_sessions(user=membership.user)
    audit(
        council=membership.council,
        actor=actor,
        verb="reactivated" if active else "deactivated",
        subject=membership,
    )
    return membership


def _check_year_starts(year_starts) -> None:
    if not isinstance(year_starts, int) or not 1 <= year_starts <= 12:
        raise ValidationError(
            {"year_starts": "Choose the month your council's year starts in, from the list."}
        )


def council_default_lists_create(*, council: Council) -> None:
    """The standard kinds of activity and service areas every council starts with; its officers
    rename, retire and add to them later. Made here so no page has to make them when read."""
    from participation.activities.models import (
        DEFAULT_KIND_CODES,
        DEFAULT_KINDS,
        DEFAULT_SERVICE_AREAS,
        ActivityKind,
        ServiceArea,
    )

    ActivityKind.objects.bulk_create(
        ActivityKind(
            council=council,
            name=name,
            usual_type=kind,
            position=index,
            code=DEFAULT_KIND_CODES.get(name, ""),
        )
        for index, (name, kind) in enumerate(DEFAULT_KINDS)
    )
    ServiceArea.objects.bulk_create(
        ServiceArea(council=council, name=name, position=index)
        for index, name in enumerate(DEFAULT_SERVICE_AREAS)
    )


@transaction.atomic
def council_create(
    *,
    actor: User | None,
    name: str,
    slug: str,
    brand_colour: str = "#1d70b8",
    year_starts: int = 4,
    is_active: bool = True,
    logo=None,
) -> Council:
    """A new council, with its standard lists. Platform staff create councils (in the admin)."""
    _check_year_starts(year_starts)
    council = Council(
        name=name.strip(),
        slug=slug.strip(),
        brand_colour=brand_colour.lower(),
        year_starts=year_starts,
        is_active=is_active,
    )
    if logo:
        council.logo = reencode_logo(logo)
    council.full_clean()
    council.save()
    council_default_lists_create(council=council)
    audit(council=council, actor=actor, verb="created council", subject=council)
    return council


@transaction.atomic
def council_update_settings(
    *,
    council: Council,
    actor: User,
    name: str,
    brand_colour: str,
    year_starts: int | None = None,
    logo=None,
    clear_logo=False,
) -> Council:
    if year_starts is not None:
        _check_year_starts(year_starts)
    # From the database: a bound form may already have changed the object in memory.
    old_year_starts = Council.objects.values_list("year_starts", flat=True).get(pk=council.pk)
    council.name = name.strip()
    council.brand_colour = brand_colour.lower()
    if year_starts is not None:
        council.year_starts = year_starts
    if clear_logo:
        council.logo = ""
    elif logo:
        council.logo = reencode_logo(logo)
    council.full_clean()
    council.save()
    detail = ""
    if council.year_starts != old_year_starts:
        detail = f"Year starts in {council.get_year_starts_display()}"
    audit(council=council, actor=actor, verb="changed settings", subject=council, detail=detail)
    return council


# -- Spreadsheet imports waiting for confirmation -----------------------------------------------


@transaction.atomic
def pending_import_create(
    *, council: Council, actor: User, kind: str, filename: str, data: bytes, options: dict
) -> PendingImport:
    if kind not in ImportKind.values:
        raise ValidationError("Choose what to import.")
    # One waiting file per person and kind; anything older than a day is abandoned.
    PendingImport.objects.filter(council=council, uploaded_by=actor, kind=kind).delete()
    PendingImport.objects.filter(created_at__lt=timezone.now() - PendingImport.KEEP_FOR).delete()
    return PendingImport.objects.create(
        council=council,
        uploaded_by=actor,
        kind=kind,
        filename=filename[-200:],
        data=data,
        options=options,
    )


def pending_import_set_options(*, pending: PendingImport, **options) -> PendingImport:
    pending.options = {**pending.options, **options}
    pending.save(update_fields=["options"])
    return pending


def pending_import_delete(*, pending: PendingImport) -> None:
    pending.delete()


@transaction.atomic
def column_choices_remember(
    *, council: Council, actor: User, kind: str, choices: dict[str, str]
) -> None:
    """Remember, for this council, which field each (normalised) heading fills; "" = not
    imported. Blank headings say nothing about the next file, so they are not remembered."""
    for heading, field in choices.items():
        if not heading:
            continue
        ColumnChoice.objects.update_or_create(
            council=council,
            kind=kind,
            heading=heading[:200],
            defaults={"field": field, "chosen_by": actor, "chosen_at": timezone.now()},
        )
