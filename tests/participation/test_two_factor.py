"""Two-factor sign-in: who must give the second step, setting up an app, codes on a frozen clock,
recovery codes, the throttle, session rotation and the council admin's reset."""

import re
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from unittest.mock import patch

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from participation import two_factor
from participation.models import AuditEvent, Membership, SignedInSession
from tests.conftest import client_for
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from tests.two_factor import code_at, give_app

T0 = datetime(2026, 3, 2, 9, 0, 10, tzinfo=UTC)


@contextmanager
def clock_at(moment: datetime):
    """Every clock the second step reads: Django's (sessions, throttle) and the TOTP code's."""
    frozen = SimpleNamespace(time=lambda: moment.timestamp())
    with (
        patch("django.utils.timezone.now", return_value=moment),
        patch("django_otp.plugins.otp_totp.models.time", frozen),
        patch("participation.two_factor.time", frozen),
    ):
        yield


def password_only(membership_or_user, at=T0) -> Client:
    """Signed in through the sign-in page with the password, and nothing more."""
    user = getattr(membership_or_user, "user", membership_or_user)
    client = Client()
    with clock_at(at):
        response = client.post(
            reverse("login"),
            {"username": user.email, "password": PASSWORD},
            REMOTE_ADDR="10.0.0.1",
        )
    assert response.status_code == 302
    return client


def get(client, url, at=T0):
    with clock_at(at):
        return client.get(url)


def type_code(client, code, at=T0, next_url="/c/council-a/"):
    with clock_at(at):
        return client.post(reverse("two_factor_verify"), {"code": code, "next": next_url})


# Who must give it ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "must"),
    [
        (Membership.Role.PRACTITIONER, False),
        (Membership.Role.PARTICIPATION_OFFICER, False),
        (Membership.Role.MANAGER, True),
        (Membership.Role.COUNCIL_ADMIN, True),
    ],
)
def test_managers_and_admins_set_up_an_app_before_any_council_page(council_a, role, must):
    membership = MembershipFactory(council=council_a, role=role)
    client = password_only(membership)
    for url in ("/c/council-a/", "/c/council-a/forums/", "/", "/councils/"):
        response = get(client, url)
        if must:
            assert response.status_code == 302, url
            assert response.url.startswith(reverse("two_factor_setup")), url
        else:
            assert response.status_code in (200, 302), url
            assert not response.get("Location", "").startswith("/account/two-factor/"), url
    assert must or get(client, "/c/council-a/").status_code == 200


@pytest.mark.parametrize("role", [Membership.Role.MANAGER, Membership.Role.COUNCIL_ADMIN])
def test_with_an_app_the_code_is_asked_for_after_the_password(council_a, role):
    membership = MembershipFactory(council=council_a, role=role)
    device = give_app(membership.user)
    client = password_only(membership)

    response = get(client, "/c/council-a/forums/")
    assert response.status_code == 302
    assert response.url == reverse("two_factor_verify") + "?next=%2Fc%2Fcouncil-a%2Fforums%2F"
    assert get(client, "/api/v1/c/council-a/forums/").status_code == 403  # the API refuses too

    wrong = type_code(client, code_at(device, (T0 - timedelta(minutes=5)).timestamp()))
    assert wrong.status_code == 200
    assert "That code is not right" in wrong.content.decode()
    assert get(client, "/c/council-a/").status_code == 302

    # The throttle: straight after a wrong code even the right one waits.
    right = code_at(device, T0.timestamp())
    later = T0 + timedelta(seconds=2)
    assert type_code(client, right, at=T0).status_code == 429
    response = type_code(client, right, at=later, next_url="/c/council-a/forums/")
    assert response.status_code == 302
    assert response.url == "/c/council-a/forums/"
    assert get(client, "/c/council-a/forums/", at=later).status_code == 200
    assert get(client, "/api/v1/c/council-a/forums/", at=later).status_code == 200


def test_a_code_works_once(manager_a):
    device = give_app(manager_a.user)
    code = code_at(device, T0.timestamp())
    first = password_only(manager_a)
    assert type_code(first, code).status_code == 302
    second = password_only(manager_a)
    later = T0 + timedelta(seconds=5)
    assert type_code(second, code, at=later).status_code == 200  # same 30 seconds: refused
    assert get(second, "/c/council-a/", at=later).status_code == 302


def test_a_code_from_another_time_is_refused(manager_a):
    device = give_app(manager_a.user)
    client = password_only(manager_a)
    stale = code_at(device, (T0 - timedelta(minutes=2)).timestamp())
    assert type_code(client, stale).status_code == 200
    assert get(client, "/c/council-a/").status_code == 302


def test_someone_with_an_app_gives_the_code_whatever_their_role(member_a):
    device = give_app(member_a.user)
    client = password_only(member_a)
    assert get(client, "/c/council-a/").url.startswith(reverse("two_factor_verify"))
    assert type_code(client, code_at(device, T0.timestamp())).status_code == 302
    assert get(client, "/c/council-a/").status_code == 200


def test_a_role_in_any_council_asks_for_it_on_every_council(council_a, council_b):
    user = UserFactory()
    MembershipFactory(council=council_a, user=user, role=Membership.Role.PRACTITIONER)
    MembershipFactory(council=council_b, user=user, role=Membership.Role.MANAGER)
    client = password_only(user)
    assert get(client, "/c/council-a/").url.startswith(reverse("two_factor_setup"))


def test_an_outsiders_council_still_answers_404_once_verified(manager_a, council_b):
    client = client_for(manager_a)
    assert client.get("/c/council-b/").status_code == 404


# The council's switch -------------------------------------------------------------------------


def test_the_councils_admin_can_ask_everyone_for_it(admin_a, member_a, member_b):
    member_client = password_only(member_a)
    assert get(member_client, "/c/council-a/").status_code == 200
    admin = client_for(admin_a)
    page = admin.get("/c/council-a/settings/")
    assert "Everyone signs in with a code from an authenticator app" in page.content.decode()
    response = admin.post(
        "/c/council-a/settings/",
        {
            "name": admin_a.council.name,
            "brand_colour": "#1d70b8",
            "year_starts": 4,
            "two_factor_for_everyone": "on",
        },
    )
    assert response.status_code == 302
    admin_a.council.refresh_from_db()
    assert admin_a.council.two_factor_for_everyone
    event = AuditEvent.objects.get(council=admin_a.council, verb="changed settings")
    assert "Two-factor sign-in for everyone" in event.detail

    # The practitioner's next page asks them to set up an app; council B's are untouched.
    assert get(member_client, "/c/council-a/").url.startswith(reverse("two_factor_setup"))
    other = password_only(member_b)
    assert get(other, "/c/council-b/").status_code == 200


def test_a_practitioner_cannot_change_the_switch(member_a):
    client = client_for(member_a)
    response = client.post(
        "/c/council-a/settings/",
        {"name": "X", "brand_colour": "#1d70b8", "year_starts": 4, "two_factor_for_everyone": "on"},
    )
    assert response.status_code == 403
    member_a.council.refresh_from_db()
    assert not member_a.council.two_factor_for_everyone


# Setting up ---------------------------------------------------------------------------------


def _setup_key(page) -> tuple[str, str]:
    offer = re.search(r'name="offer" value="([^"]+)"', page.content.decode()).group(1)
    return offer, page.context["typed_key"]


def test_setting_up_shows_a_qr_code_and_the_key_and_gives_ten_recovery_codes(admin_a):
    client = password_only(admin_a)
    page = get(client, reverse("two_factor_setup") + "?next=/c/council-a/people/")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<svg width="' in html and "QR code to add Heard" in html
    offer, typed = _setup_key(page)
    key_hex = two_factor.setup_key_read(user=admin_a.user, offer=offer)
    assert typed.replace(" ", "") in html.replace(" ", "")
    assert not TOTPDevice.objects.exists()  # nothing is stored until a code proves the app

    device = TOTPDevice(user=admin_a.user, key=key_hex)
    with clock_at(T0):
        wrong = client.post(
            reverse("two_factor_setup"), {"offer": offer, "code": "000000", "next": "/"}
        )
    assert wrong.status_code == 200 and "does not match" in wrong.content.decode()
    assert not TOTPDevice.objects.exists()
    with clock_at(T0):
        done = client.post(
            reverse("two_factor_setup"),
            {"offer": offer, "code": code_at(device, T0.timestamp()), "next": "/c/council-a/"},
        )
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == len(set(codes)) == 10
    for code in codes:
        assert code in done.content.decode()
    assert TOTPDevice.objects.get(user=admin_a.user).confirmed
    assert get(client, "/c/council-a/people/").status_code == 200


def test_a_tampered_or_anothers_setup_key_is_refused(admin_a, manager_a):
    offer = two_factor.setup_key_offer(user=manager_a.user)
    assert two_factor.setup_key_read(user=admin_a.user, offer=offer) is None
    assert two_factor.setup_key_read(user=admin_a.user, offer=offer + "x") is None


def test_a_password_alone_cannot_swap_in_a_new_app(manager_a):
    give_app(manager_a.user)
    client = password_only(manager_a)
    response = get(client, reverse("two_factor_setup"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor_verify"))
    offer = two_factor.setup_key_offer(user=manager_a.user)
    key_hex = two_factor.setup_key_read(user=manager_a.user, offer=offer)
    code = code_at(TOTPDevice(key=key_hex), T0.timestamp())
    with clock_at(T0):
        client.post(reverse("two_factor_setup"), {"offer": offer, "code": code})
    assert list(TOTPDevice.objects.values_list("key", flat=True)) != [key_hex]
    assert TOTPDevice.objects.count() == 1


# Recovery codes -------------------------------------------------------------------------------


def test_a_recovery_code_works_once(manager_a):
    give_app(manager_a.user)
    codes = two_factor.recovery_codes_renew(user=manager_a.user)
    client = password_only(manager_a)
    response = type_code(client, codes[3].upper())  # typed in capitals: still accepted
    assert response.status_code == 302
    assert get(client, "/c/council-a/").status_code == 200
    assert two_factor.recovery_codes_left(manager_a.user) == 9

    again = password_only(manager_a)
    assert type_code(again, codes[3], at=T0 + timedelta(seconds=5)).status_code == 200
    assert get(again, "/c/council-a/").status_code == 302


def test_new_recovery_codes_replace_the_old_ones(manager_a):
    old = two_factor.recovery_codes_renew(user=manager_a.user)
    client = client_for(manager_a)
    response = client.post(reverse("two_factor_recovery_codes"))
    assert response.status_code == 200
    new = response.context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)
    # Shown once: the account page shows how many are left, not the codes.
    page = client.get(reverse("two_factor")).content.decode()
    assert "10 recovery codes left" in page
    assert not any(code in page for code in new)


def test_new_recovery_codes_need_the_second_step_first(manager_a):
    give_app(manager_a.user)
    old = two_factor.recovery_codes_renew(user=manager_a.user)
    client = password_only(manager_a)
    with clock_at(T0):
        response = client.post(reverse("two_factor_recovery_codes"))
    assert response.status_code == 302
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(old)


# The session ----------------------------------------------------------------------------------


def test_the_session_gets_a_new_key_at_the_second_step_and_stays_the_persons(manager_a):
    device = give_app(manager_a.user)
    client = password_only(manager_a)
    before = client.session.session_key
    assert type_code(client, code_at(device, T0.timestamp())).status_code == 302
    after = client.session.session_key
    assert after != before
    assert list(SignedInSession.objects.values_list("session_key", flat=True)) == [after]


# The council admin's reset -------------------------------------------------------------------


def test_the_councils_admin_resets_a_members_two_factor(admin_a, member_a, member_b):
    device = give_app(member_a.user)
    two_factor.recovery_codes_renew(user=member_a.user)
    signed_in = password_only(member_a)
    assert type_code(signed_in, code_at(device, T0.timestamp())).status_code == 302
    url = reverse("membership_two_factor_reset", args=["council-a", member_a.pk])
    admin = client_for(admin_a)
    assert admin.get(url).status_code == 200
    response = admin.post(url)
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=member_a.user).exists()
    assert not StaticDevice.objects.filter(user=member_a.user).exists()
    # Signed out everywhere; at the next sign-in there is no app to ask for.
    assert get(signed_in, "/c/council-a/").status_code == 302
    assert get(signed_in, "/c/council-a/").url.startswith(reverse("login"))
    event = AuditEvent.objects.get(verb="reset two-factor sign-in")
    assert (event.council, event.actor, event.subject_id) == (
        admin_a.council,
        admin_a.user,
        member_a.pk,
    )


def test_a_member_cannot_reset_anothers_two_factor(admin_a, member_a):
    give_app(admin_a.user)
    url = reverse("membership_two_factor_reset", args=["council-a", admin_a.pk])
    response = client_for(member_a).post(url)
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=admin_a.user).exists()
    assert not AuditEvent.objects.filter(verb="reset two-factor sign-in").exists()


def test_an_admin_cannot_reset_another_councils_member(admin_a, member_b):
    give_app(member_b.user)
    for url in (
        reverse("membership_two_factor_reset", args=["council-a", member_b.pk]),
        reverse("membership_two_factor_reset", args=["council-b", member_b.pk]),
    ):
        assert client_for(admin_a).post(url).status_code == 404
    assert TOTPDevice.objects.filter(user=member_b.user).exists()
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.ACTION).exists()


def test_an_admin_cannot_reset_their_own_or_platform_staffs(admin_a, council_a):
    give_app(admin_a.user)
    staff = MembershipFactory(council=council_a, user=UserFactory(is_staff=True))
    give_app(staff.user)
    client = client_for(admin_a)
    for membership in (admin_a, staff):
        url = reverse("membership_two_factor_reset", args=["council-a", membership.pk])
        response = client.post(url)
        assert response.status_code == 200
        assert "There is a problem" in response.content.decode()
    assert TOTPDevice.objects.count() == 2


# Platform staff -------------------------------------------------------------------------------


def test_platform_staff_give_the_second_step_before_the_admin(db):
    staff = UserFactory(is_staff=True, is_superuser=True)
    device = give_app(staff)
    client = password_only(staff)
    response = get(client, "/admin/")
    assert response.status_code == 302
    assert get(client, response.url).url.startswith(reverse("two_factor_verify"))
    assert type_code(client, code_at(device, T0.timestamp()), next_url="/admin/").url == "/admin/"
    assert get(client, "/admin/").status_code == 200


def test_signed_out_the_admin_sends_people_to_heards_sign_in(db):
    response = Client().get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))


def test_two_factor_changes_and_refused_codes_are_security_events(admin_a, manager_a):
    from participation.models import SecurityEvent

    def kinds():
        return list(
            SecurityEvent.objects.filter(user=manager_a.user)
            .order_by("pk")
            .values_list("kind", flat=True)
        )

    codes = two_factor.recovery_codes_renew(user=manager_a.user)
    assert two_factor.code_check(user=manager_a.user, code=codes[0]) is not None
    assert two_factor.code_check(user=manager_a.user, code="not-a-code") is None
    two_factor.two_factor_reset(council=admin_a.council, membership=manager_a, actor=admin_a.user)
    assert kinds() == [
        "recovery_codes_created",
        "recovery_code_used",
        "two_factor_failed",
        "two_factor_reset",
    ]
    reset = SecurityEvent.objects.get(user=manager_a.user, kind="two_factor_reset")
    assert reset.actor == admin_a.user
