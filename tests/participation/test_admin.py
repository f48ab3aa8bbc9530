"""The Django admin only looks at a council's tables; the one write is inviting a first admin."""

import pytest
from django.contrib import admin
from django.core import mail
from django.test import Client, RequestFactory

from participation.models import CouncilOwned, Invitation, User
from tests.factories import ForumFactory, UserFactory


def tenant_admins():
    for model, model_admin in admin.site._registry.items():
        if issubclass(model, CouncilOwned):
            yield model, model_admin
        for inline in model_admin.get_inline_instances(staff_request()):
            if issubclass(inline.model, CouncilOwned):
                yield inline.model, inline


def staff_request():
    request = RequestFactory().get("/admin/")
    request.user = User(email="staff@example.org", is_staff=True, is_superuser=True, is_active=True)
    return request


def test_every_tenant_table_in_the_admin_is_read_only():
    request = staff_request()
    seen = set()
    for model, model_admin in tenant_admins():
        seen.add(model._meta.label)
        assert not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model
        if model is not Invitation:
            assert not model_admin.has_add_permission(request, None), model
    assert {"forums.Forum", "participation.Membership", "strategy.Action"} <= seen


@pytest.fixture
def staff_client(db):
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_staff_cannot_change_a_forum_in_the_admin(staff_client, council_a):
    forum = ForumFactory(council=council_a, name="Youth Council")
    url = f"/admin/forums/forum/{forum.pk}/change/"
    assert staff_client.get(url).status_code == 200  # they may look
    response = staff_client.post(url, {"name": "Renamed", "council": council_a.pk})
    assert response.status_code == 403
    delete = staff_client.post(f"/admin/forums/forum/{forum.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
    forum.refresh_from_db()
    assert forum.name == "Youth Council"


def test_staff_invite_a_councils_first_admin_through_the_service(
    staff_client, council_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/admin/participation/invitation/add/",
            {"council": council_a.pk, "email": "first.admin@example.org", "role": "council_admin"},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.council, invitation.email) == (council_a, "first.admin@example.org")
    assert [message.to for message in mail.outbox] == [["first.admin@example.org"]]
    assert invitation.invited_by.is_staff  # recorded by the service, not left empty by the admin
