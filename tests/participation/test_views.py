import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from participation.activities.models import ActivityKind, ServiceArea
from participation.models import AuditEvent, Council, Invitation, Membership
from tests.conftest import client_for
from tests.factories import PASSWORD, InvitationFactory, MembershipFactory
from tests.querycount import assert_constant_queries


def test_sign_in_with_email_and_password_lands_on_the_council(member_a):
    client = Client()
    response = client.post(
        reverse("login"), {"username": member_a.user.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/c/council-a/"
    assert "Welcome," in response.content.decode()


def test_wrong_password_shows_error_summary(member_a):
    response = Client().post(reverse("login"), {"username": member_a.user.email, "password": "x"})
    html = response.content.decode()
    assert "There is a problem" in html and "Enter a correct email address" in html


def test_home_offers_a_choice_to_a_person_in_two_councils(council_a, council_b, member_a):
    MembershipFactory(council=council_b, user=member_a.user)
    response = client_for(member_a).get(reverse("home"))
    html = response.content.decode()
    assert "Choose a council" in html and "Council A" in html and "Council B" in html


def test_home_says_honestly_when_a_person_has_no_council(db):
    from tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory())
    assert "not part of any council yet" in client.get(reverse("home")).content.decode()


def test_switcher_goes_to_the_chosen_council_and_refuses_others(council_a, council_b, member_a):
    MembershipFactory(council=council_b, user=member_a.user)
    client = client_for(member_a)
    response = client.get(reverse("council_switch"), {"council": "council-b"})
    assert response["Location"] == "/c/council-b/"
    # Home then remembers the last council.
    assert client.get(reverse("home"))["Location"] == "/c/council-b/"
    assert client.get(reverse("council_switch"), {"council": "nope"}).status_code == 404


def test_menu_shows_only_what_the_role_can_do(council_a, member_a, admin_a):
    practitioner_html = client_for(member_a).get("/c/council-a/").content.decode()
    admin_html = client_for(admin_a).get("/c/council-a/").content.decode()
    assert 'href="/c/council-a/forums/"' in practitioner_html
    assert 'href="/c/council-a/people/"' not in practitioner_html
    assert 'href="/c/council-a/settings/"' not in practitioner_html
    assert 'href="/c/council-a/people/"' in admin_html
    assert 'href="/c/council-a/settings/"' in admin_html


def test_people_list_search_and_filter(council_a, admin_a):
    MembershipFactory(council=council_a, user__full_name="Ada Byron", role="manager")
    MembershipFactory(council=council_a, user__full_name="Grace Hopper", role="practitioner")
    client = client_for(admin_a)
    html = client.get("/c/council-a/people/", {"q": "byron"}).content.decode()
    assert "Ada Byron" in html and "Grace Hopper" not in html
    html = client.get("/c/council-a/people/", {"role": "practitioner"}).content.decode()
    assert "Grace Hopper" in html and "Ada Byron" not in html
    html = client.get("/c/council-a/people/", {"q": "zzz"}).content.decode()
    assert "No one matches these filters" in html


def test_people_list_never_shows_another_councils_members(council_a, admin_a, member_b):
    html = client_for(admin_a).get("/c/council-a/people/").content.decode()
    assert member_b.user.email not in html


def test_people_list_query_count_is_constant(council_a, admin_a):
    client = client_for(admin_a)
    assert_constant_queries(
        lambda: client.get("/c/council-a/people/"),
        grow=lambda n: MembershipFactory.create_batch(n, council=council_a),
    )


def test_invite_form_errors_are_summarised_and_nothing_is_saved(council_a, admin_a):
    response = client_for(admin_a).post("/c/council-a/people/invite/", {"email": "not-an-email"})
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter an email address in the right format" in html
    assert "Choose what they will do in Heard" in html
    assert not Invitation.objects.exists()


def test_invite_then_accept_as_a_new_person(council_a, admin_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin_a).post(
            "/c/council-a/people/invite/", {"email": "new@example.org", "role": "manager"}
        )
    assert response.status_code == 302
    link = re.search(r"https?://\S+(/invitations/\S+/)", mail.outbox[0].body).group(1)
    visitor = Client()
    assert "Join Council A on Heard" in visitor.get(link).content.decode()
    response = visitor.post(
        link,
        {
            "full_name": "Nia Evans",
            "password1": "a long pass phrase",
            "password2": "a long pass phrase",
        },
        follow=True,
    )
    # A new manager sets up two-factor sign-in before their council's first page.
    assert response.redirect_chain[-1][0] == "/account/two-factor/set-up/?next=%2Fc%2Fcouncil-a%2F"
    assert Membership.objects.get(user__email="new@example.org").role == "manager"


def test_accept_form_rejects_weak_or_mismatched_passwords(council_a):
    invitation = InvitationFactory(council=council_a)
    url = reverse("invitation_accept", args=[invitation.token])
    html = (
        Client()
        .post(url, {"full_name": "A", "password1": "12345678", "password2": "12345678"})
        .content.decode()
    )
    assert "There is a problem" in html and "entirely numeric" in html
    html = (
        Client()
        .post(
            url,
            {"full_name": "A", "password1": "a long pass phrase", "password2": "another phrase"},
        )
        .content.decode()
    )
    assert "The two passwords do not match" in html
    assert not Membership.objects.exists()


def test_unknown_invitation_is_404_and_used_one_is_kind(council_a):
    assert Client().get("/invitations/not-a-real-token/").status_code == 404
    invitation = InvitationFactory(council=council_a)
    invitation.revoked_at = invitation.created_at
    invitation.save()
    response = Client().get(reverse("invitation_accept", args=[invitation.token]))
    assert response.status_code == 410
    assert "This invitation no longer works" in response.content.decode()


def test_deactivate_asks_for_confirmation_first(council_a, admin_a, member_a):
    client = client_for(admin_a)
    url = f"/c/council-a/people/{member_a.pk}/deactivate/"
    assert "Deactivate " in client.get(url).content.decode()
    member_a.refresh_from_db()
    assert member_a.is_active
    client.post(url)
    member_a.refresh_from_db()
    assert not member_a.is_active


def test_last_admin_sees_why_they_cannot_step_down(council_a, admin_a):
    response = client_for(admin_a).post(f"/c/council-a/people/{admin_a.pk}/", {"role": "manager"})
    assert "only active admin" in response.content.decode()
    admin_a.refresh_from_db()
    assert admin_a.role == "council_admin"


def test_settings_refuse_a_colour_too_light_for_white_text(council_a, admin_a):
    response = client_for(admin_a).post(
        "/c/council-a/settings/",
        {"name": "Council A", "brand_colour": "#ffdd00", "year_starts": "4"},
    )
    assert "too light for white text" in response.content.decode()
    council_a.refresh_from_db()
    assert council_a.brand_colour == "#1d70b8"


def test_settings_change_name_colour_and_logo(council_a, admin_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "#0b0c0c").save(buffer, format="PNG")
    png = buffer.getvalue()
    response = client_for(admin_a).post(
        "/c/council-a/settings/",
        {
            "name": "Council A Renamed",
            "brand_colour": "#0B0C0C",
            "year_starts": "4",
            "logo": SimpleUploadedFile("logo.png", png, content_type="image/png"),
        },
    )
    assert response.status_code == 302
    council = Council.objects.get(pk=council_a.pk)
    assert council.name == "Council A Renamed" and council.brand_colour == "#0b0c0c"
    assert council.logo.name.startswith("council-logos/")
    assert Client().get(council.logo.url).status_code == 200  # logos are public
    html = client_for(admin_a).get("/c/council-a/").content.decode()
    assert "--heard-brand: #0b0c0c" in html and "Council A Renamed" in html


def _settings_post(year_starts, name="Council A renamed"):
    return {"name": name, "brand_colour": "#1d70b8", "year_starts": year_starts}


def test_admin_sets_the_month_the_council_year_starts(council_a, admin_a):
    client = client_for(admin_a)
    page = client.get("/c/council-a/settings/").content.decode()
    assert "Which month does your council" in page
    assert '<option value="4" selected>April</option>' in page
    response = client.post("/c/council-a/settings/", _settings_post("1"))
    assert response.status_code == 302
    council_a.refresh_from_db()
    assert council_a.year_starts == 1
    event = AuditEvent.objects.get(council=council_a, verb="changed settings")
    assert event.detail == "Year starts in January"
    reach = client.get("/c/council-a/reach/?quarter=2026-02-15").content.decode()
    assert "Q1 2026 (Jan to Mar 2026)" in reach


@pytest.mark.parametrize("month", ["13", "0", "April", ""])
def test_an_invalid_year_start_is_refused_and_nothing_changes(council_a, admin_a, month):
    response = client_for(admin_a).post("/c/council-a/settings/", _settings_post(month))
    assert response.status_code == 200
    assert "Choose the month your council" in response.content.decode()
    council_a.refresh_from_db()
    assert (council_a.name, council_a.year_starts) == ("Council A", 4)
    assert not AuditEvent.objects.filter(council=council_a, verb="changed settings").exists()


def test_only_a_council_admin_sets_the_year_start(council_a, officer_a, member_b):
    assert client_for(officer_a).get("/c/council-a/settings/").status_code == 403
    response = client_for(officer_a).post("/c/council-a/settings/", _settings_post("1"))
    assert response.status_code == 403
    response = client_for(member_b).post("/c/council-a/settings/", _settings_post("1"))
    assert response.status_code == 404
    council_a.refresh_from_db()
    assert (council_a.name, council_a.year_starts) == ("Council A", 4)


def test_password_reset_sends_a_link_and_does_not_reveal_accounts(member_a):
    client = Client()
    response = client.post(reverse("password_reset"), {"email": member_a.user.email})
    assert response.status_code == 302
    assert "/account/password/reset/" in mail.outbox[0].body
    client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert len(mail.outbox) == 1


def test_password_change(member_a):
    client = client_for(member_a)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a new long phrase",
            "new_password2": "a new long phrase",
        },
    )
    assert response.status_code == 302
    member_a.user.refresh_from_db()
    assert member_a.user.check_password("a new long phrase")


def test_platform_staff_create_a_council_and_invite_its_first_admin(
    db, django_capture_on_commit_callbacks
):
    from participation.models import User

    staff = User.objects.create_superuser(
        email="platform@example.org", password="x" * 12, full_name="Platform Staff"
    )
    client = Client()
    client.force_login(staff)
    response = client.post(
        "/admin/participation/council/add/",
        {
            "name": "Eastvale Council",
            "slug": "eastvale",
            "brand_colour": "#1d70b8",
            "year_starts": "1",
            "is_active": "on",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    council = Council.objects.get(slug="eastvale")
    assert response.status_code == 302
    assert council.year_starts == 1
    # Created through the service, so the standard lists are there before anyone opens a page.
    assert ActivityKind.objects.filter(council=council).exists()
    assert ServiceArea.objects.filter(council=council).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/participation/invitation/add/",
            {
                "council": council.pk,
                "email": "first.admin@eastvale.example",
                "role": "council_admin",
            },
        )
    invitation = Invitation.objects.get(council=council)
    assert invitation.role == "council_admin"
    assert mail.outbox[0].to == ["first.admin@eastvale.example"]
