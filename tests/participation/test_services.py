from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from participation import services
from participation.models import AuditEvent, Invitation, Membership, User
from tests.factories import InvitationFactory, MembershipFactory


def test_invitation_is_emailed_after_commit_with_a_working_link(
    council_a, admin_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            council=council_a,
            invited_by=admin_a.user,
            email=" New.Person@Example.org ",
            role=Membership.Role.MANAGER,
        )
    assert invitation.email == "new.person@example.org"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    assert f"/invitations/{invitation.token}/" in message.body
    assert "Council A" in message.subject
    assert AuditEvent.objects.filter(council=council_a, verb="invited").count() == 1


def test_invitation_token_is_long_and_unguessable(council_a, admin_a):
    invitation = services.invitation_create(
        council=council_a, invited_by=admin_a.user, email="a@example.org", role="manager"
    )
    assert len(invitation.token) >= 43  # 32 random bytes, URL-safe base64


def test_inviting_an_existing_member_is_refused(council_a, admin_a, member_a):
    with pytest.raises(ValidationError, match="already a member"):
        services.invitation_create(
            council=council_a, invited_by=admin_a.user, email=member_a.user.email, role="manager"
        )
    assert not Invitation.objects.exists()


def test_a_new_invitation_replaces_the_one_still_waiting(council_a, admin_a):
    first = services.invitation_create(
        council=council_a, invited_by=admin_a.user, email="a@example.org", role="manager"
    )
    services.invitation_create(
        council=council_a, invited_by=admin_a.user, email="a@example.org", role="practitioner"
    )
    first.refresh_from_db()
    assert not first.is_pending


def test_accepting_creates_the_account_and_membership(council_a):
    invitation = InvitationFactory(council=council_a, email="new@example.org", role="manager")
    membership = services.invitation_accept(
        invitation=invitation, user=None, full_name="Nia Evans", password="a long pass phrase"
    )
    assert membership.role == "manager" and membership.council == council_a
    assert membership.user.check_password("a long pass phrase")
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_an_invitation_cannot_be_used_twice(council_a):
    invitation = InvitationFactory(council=council_a, email="new@example.org")
    services.invitation_accept(invitation=invitation, user=None, full_name="A", password="pw pw pw")
    with pytest.raises(ValidationError, match="expired or has already been used"):
        services.invitation_accept(invitation=invitation, user=None, full_name="B", password="x")
    assert User.objects.filter(email="new@example.org").count() == 1


def test_an_expired_invitation_is_refused(council_a):
    invitation = InvitationFactory(
        council=council_a, expires_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, user=None, full_name="A", password="x")
    assert not Membership.objects.exists()


def test_a_signed_in_user_with_another_email_cannot_take_the_invitation(council_a, member_b):
    invitation = InvitationFactory(council=council_a, email="someone.else@example.org")
    with pytest.raises(ValidationError, match="different email"):
        services.invitation_accept(invitation=invitation, user=member_b.user)
    assert not Membership.objects.filter(council=council_a).exists()


def test_existing_user_joins_a_second_council(council_a, member_b):
    invitation = InvitationFactory(council=council_a, email=member_b.user.email, role="manager")
    membership = services.invitation_accept(invitation=invitation, user=member_b.user)
    assert membership.council == council_a
    assert Membership.objects.filter(user=member_b.user).count() == 2


def test_role_change_is_audited(council_a, admin_a, member_a):
    services.membership_change_role(membership=member_a, actor=admin_a.user, role="manager")
    member_a.refresh_from_db()
    assert member_a.role == "manager"
    event = AuditEvent.objects.get(verb="changed role")
    assert event.detail == "Practitioner to Manager" and event.actor == admin_a.user


def test_the_only_admin_cannot_be_demoted_or_deactivated(council_a, admin_a, officer_a):
    with pytest.raises(ValidationError, match="only active admin"):
        services.membership_change_role(membership=admin_a, actor=admin_a.user, role="manager")
    with pytest.raises(ValidationError, match="only active admin"):
        services.membership_set_active(membership=admin_a, actor=officer_a.user, active=False)
    admin_a.refresh_from_db()
    assert admin_a.role == "council_admin" and admin_a.is_active


def test_with_two_admins_one_can_step_down(council_a, admin_a):
    MembershipFactory(council=council_a, role="council_admin")
    services.membership_change_role(membership=admin_a, actor=admin_a.user, role="manager")
    admin_a.refresh_from_db()
    assert admin_a.role == "manager"


def test_admin_cannot_deactivate_themselves(council_a, admin_a):
    MembershipFactory(council=council_a, role="council_admin")
    with pytest.raises(ValidationError, match="yourself"):
        services.membership_set_active(membership=admin_a, actor=admin_a.user, active=False)


def test_deactivate_then_reactivate(council_a, admin_a, member_a):
    services.membership_set_active(membership=member_a, actor=admin_a.user, active=False)
    member_a.refresh_from_db()
    assert not member_a.is_active
    services.membership_set_active(membership=member_a, actor=admin_a.user, active=True)
    member_a.refresh_from_db()
    assert member_a.is_active
    verbs = list(AuditEvent.objects.order_by("at", "id").values_list("verb", flat=True))
    assert verbs == ["deactivated", "reactivated"]


def test_a_new_council_has_the_standard_lists_and_its_pages_write_nothing(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from participation.activities.models import (
        DEFAULT_KINDS,
        DEFAULT_SERVICE_AREAS,
        ActivityKind,
        ServiceArea,
    )
    from tests.conftest import client_for

    staff = User.objects.create_user(email="platform@example.org", full_name="Platform staff")
    council = services.council_create(actor=staff, name=" Eastvale Council ", slug="eastvale")
    assert (council.name, council.year_starts) == ("Eastvale Council", 4)
    kinds = list(ActivityKind.objects.filter(council=council).values_list("name", "usual_type"))
    assert kinds == [(name, kind.value) for name, kind in DEFAULT_KINDS]
    areas = list(ServiceArea.objects.filter(council=council).values_list("name", flat=True))
    assert areas == DEFAULT_SERVICE_AREAS
    assert AuditEvent.objects.filter(council=council, verb="created council", actor=staff).exists()

    officer = MembershipFactory(council=council, role=Membership.Role.PARTICIPATION_OFFICER)
    client = client_for(officer)
    client.get(reverse("council_home", args=[council.slug]))  # records the council in the session
    with CaptureQueriesContext(connection) as pages:
        for name in ("activity_create", "activity_import", "council_lists"):
            response = client.get(reverse(name, args=[council.slug]))
            assert response.status_code == 200
            assert "Consultation or survey" in response.content.decode() or name != "council_lists"
    writes = [
        q["sql"]
        for q in pages.captured_queries
        if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert ActivityKind.objects.filter(council=council).count() == len(DEFAULT_KINDS)


def test_a_council_with_an_invalid_year_start_is_not_created(db):
    from participation.models import Council

    with pytest.raises(ValidationError) as error:
        services.council_create(actor=None, name="Eastvale", slug="eastvale", year_starts=13)
    assert "Choose the month" in str(error.value)
    assert not Council.objects.filter(slug="eastvale").exists()


def test_settings_service_refuses_an_invalid_year_start_and_changes_nothing(council_a, admin_a):
    with pytest.raises(ValidationError) as error:
        services.council_update_settings(
            council=council_a,
            actor=admin_a.user,
            name="Renamed",
            brand_colour="#1d70b8",
            year_starts=0,
        )
    assert error.value.message_dict == {
        "year_starts": ["Choose the month your council's year starts in, from the list."]
    }
    council_a.refresh_from_db()
    assert (council_a.name, council_a.year_starts) == ("Council A", 4)
