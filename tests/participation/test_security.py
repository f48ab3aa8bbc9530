"""Sign-in defences: password hashing and rules, lockout, reset throttling, session lifetime."""

import os
import subprocess
import sys
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from unittest.mock import patch

from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from participation.models import SignedInSession
from tests.conftest import client_for
from tests.factories import PASSWORD
from tests.participation.test_env import ROOT
from tests.two_factor import verify_session


def production_python(code: str, **env) -> subprocess.CompletedProcess:
    """Run `code` in a fresh interpreter with production-like settings (no DEBUG, no testing)."""
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_UNSET}
    clean.update({"SECRET_KEY": "s" * 60, "DJANGO_SETTINGS_MODULE": "participation.settings"})
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )


PRODUCTION_UNSET = {
    "DEBUG",
    "SECRET_KEY",
    "HEARD_TESTING",
    "CELERY_TASK_ALWAYS_EAGER",
    "EMAIL_URL",
    "ALLOWED_HOSTS",
    # The browser tests set it for Playwright in this process; no deployment has it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def test_production_hashes_new_passwords_with_argon2():
    result = production_python("import participation.settings as s; print(s.PASSWORD_HASHERS[0])")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_argon2_hashes_verify():
    from django.contrib.auth.hashers import Argon2PasswordHasher

    hasher = Argon2PasswordHasher()  # argon2-cffi installed, or this raises
    encoded = hasher.encode("a long pass phrase", hasher.salt())
    assert encoded.startswith("argon2$argon2id$")
    assert hasher.verify("a long pass phrase", encoded)
    assert not hasher.verify("another phrase", encoded)


def test_a_common_password_is_refused_on_change(member_a):
    response = client_for(member_a).post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "football123", "new_password2": "football123"},
    )
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    member_a.user.refresh_from_db()
    assert member_a.user.check_password(PASSWORD)


def _sign_in(client, email, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(member_a, settings):
    client = Client()
    email = member_a.user.email
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, email, "wrong").status_code == 200
    locked = _sign_in(client, email, "wrong")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Sign in paused for 30 minutes" in html and email not in html

    refused = _sign_in(client, email.upper(), PASSWORD)
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    # From another address the account still signs in: one address cannot lock a person out.
    other = Client()
    assert _sign_in(other, email, PASSWORD, ip="10.0.0.2").status_code == 302
    assert other.session["_auth_user_id"] == str(member_a.user.pk)


def test_one_address_trying_many_accounts_is_locked(member_a, admin_a, settings):
    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, f"guess{n}@example.org", "wrong")
    assert _sign_in(client, admin_a.user.email, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_successful_sign_in_clears_the_count(member_a, settings):
    client = Client()
    email = member_a.user.email
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, email, "wrong")
    assert _sign_in(client, email, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, email, "wrong").status_code == 200


def test_password_reset_emails_are_limited_per_email(member_a, settings):
    client = Client()
    email = member_a.user.email
    for _ in range(settings.PASSWORD_RESET_RATE_PER_EMAIL):
        assert client.post(reverse("password_reset"), {"email": email}).status_code == 302
    sent = len(mail.outbox)
    assert sent == settings.PASSWORD_RESET_RATE_PER_EMAIL
    refused = client.post(reverse("password_reset"), {"email": email.upper()})
    assert refused.status_code == 429
    assert "too many password reset emails" in refused.content.decode()
    assert len(mail.outbox) == sent


def test_password_reset_is_limited_per_address_whether_or_not_accounts_exist(member_a, settings):
    client = Client()
    for n in range(settings.PASSWORD_RESET_RATE_PER_IP):
        client.post(reverse("password_reset"), {"email": f"nobody{n}@example.org"})
    refused = client.post(reverse("password_reset"), {"email": member_a.user.email})
    assert refused.status_code == 429
    assert len(mail.outbox) == 0
    # Another address is not affected.
    assert (
        Client()
        .post(reverse("password_reset"), {"email": member_a.user.email}, REMOTE_ADDR="10.9.9.9")
        .status_code
        == 302
    )
    assert len(mail.outbox) == 1


# Sessions ------------------------------------------------------------------------------------

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@contextmanager
def clock_at(moment):
    with patch("django.utils.timezone.now", return_value=moment):
        yield


def _signed_in_client(membership, at=T0) -> Client:
    client = Client()
    with clock_at(at):
        response = _sign_in(client, membership.user.email, PASSWORD)
    assert response.status_code == 302
    return client


def _is_signed_in(client, at) -> bool:
    with clock_at(at):
        response = client.get("/c/council-a/")
    return response.status_code == 200


def test_signing_in_gives_the_session_a_new_key(member_a):
    client = Client()
    session = client.session
    session["before"] = "sign-in"
    session.save()
    old_key = session.session_key
    assert _sign_in(client, member_a.user.email, PASSWORD).status_code == 302
    assert client.session.session_key != old_key
    assert not Session.objects.filter(session_key=old_key).exists()
    assert SignedInSession.objects.get(user=member_a.user).session_key == (
        client.session.session_key
    )


def test_thirty_idle_minutes_sign_a_person_out(member_a):
    client = _signed_in_client(member_a)
    assert _is_signed_in(client, T0 + timedelta(minutes=29))
    # Active at 29 minutes, so 30 minutes after that they are still in.
    assert _is_signed_in(client, T0 + timedelta(minutes=58))
    with clock_at(T0 + timedelta(minutes=89)):
        response = client.get("/c/council-a/people/")
    assert response.status_code == 302
    assert response["Location"] == "/account/sign-in/?next=%2Fc%2Fcouncil-a%2Fpeople%2F"
    with clock_at(T0 + timedelta(minutes=89)):
        page = client.get(response["Location"]).content.decode()
    assert "had not used Heard for 30 minutes" in page
    assert "_auth_user_id" not in client.session
    assert not SignedInSession.objects.filter(user=member_a.user).exists()


def test_a_session_ends_twelve_hours_after_signing_in_however_busy(member_a):
    client = _signed_in_client(member_a)
    for step in range(1, 36):
        assert _is_signed_in(client, T0 + timedelta(minutes=20 * step))  # up to 11 h 40
    assert not _is_signed_in(client, T0 + timedelta(hours=12, minutes=1))


def test_last_seen_is_written_at_most_once_a_minute(member_a):
    client = _signed_in_client(member_a)
    key = client.session.session_key

    def stored():
        return Session.objects.get(session_key=key).session_data

    assert _is_signed_in(client, T0)  # the first council page remembers the council
    before = stored()
    assert _is_signed_in(client, T0 + timedelta(seconds=30))
    assert stored() == before
    assert _is_signed_in(client, T0 + timedelta(seconds=61))
    assert stored() != before


def test_idle_and_absolute_limits_come_from_settings(member_a, settings):
    settings.SESSION_IDLE_MINUTES = 5
    client = _signed_in_client(member_a)
    assert not _is_signed_in(client, T0 + timedelta(minutes=6))


def test_signing_out_ends_the_persons_other_sessions(member_a, member_b):
    laptop, phone = _signed_in_client(member_a), _signed_in_client(member_a)
    other_person = _signed_in_client(member_b)
    now = T0 + timedelta(minutes=1)
    with clock_at(now):
        laptop.post(reverse("logout"))
    assert not _is_signed_in(laptop, now) and not _is_signed_in(phone, now)
    with clock_at(now):
        assert other_person.get("/c/council-b/").status_code == 200


def test_an_idle_timeout_ends_only_that_session(member_a):
    laptop = _signed_in_client(member_a)
    phone = _signed_in_client(member_a, at=T0 + timedelta(minutes=20))
    assert not _is_signed_in(laptop, T0 + timedelta(minutes=45))
    assert _is_signed_in(phone, T0 + timedelta(minutes=45))


def test_changing_the_password_keeps_this_session_and_ends_the_others(member_a):
    laptop, phone = _signed_in_client(member_a), _signed_in_client(member_a)
    now = T0 + timedelta(minutes=1)
    with clock_at(now):
        response = laptop.post(
            reverse("password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "a new long phrase",
                "new_password2": "a new long phrase",
            },
        )
    assert response.status_code == 302
    assert _is_signed_in(laptop, now) and not _is_signed_in(phone, now)
    assert list(
        SignedInSession.objects.filter(user=member_a.user).values_list("session_key", flat=True)
    ) == [laptop.session.session_key]


def test_resetting_the_password_ends_every_session(member_a):
    phone = _signed_in_client(member_a)
    user = member_a.user
    user.refresh_from_db()  # the token depends on the last sign-in time
    url = reverse(
        "password_reset_confirm",
        args=[
            urlsafe_base64_encode(force_bytes(user.pk)),
            default_token_generator.make_token(user),
        ],
    )
    browser = Client()
    response = browser.get(url)
    assert response.status_code == 302, response.content.decode()
    form_url = response["Location"]
    response = browser.post(
        form_url, {"new_password1": "a new long phrase", "new_password2": "a new long phrase"}
    )
    assert response.status_code == 302
    assert not _is_signed_in(phone, T0 + timedelta(minutes=1))


def test_deactivating_a_membership_signs_the_person_out_at_once(member_a, admin_a):
    member = _signed_in_client(member_a)
    admin = _signed_in_client(admin_a)
    with clock_at(T0):  # the session expires by the real clock: read it on the tests' clock
        verify_session(admin, admin_a.user)  # an admin gives the second step before any page
    now = T0 + timedelta(minutes=1)
    with clock_at(now):
        response = admin.post(f"/c/council-a/people/{member_a.pk}/deactivate/")
    assert response.status_code == 302
    assert not _is_signed_in(member, now)
    assert not SignedInSession.objects.filter(user=member_a.user).exists()
    assert _is_signed_in(admin, now)


# Headers -------------------------------------------------------------------------------------


def test_signed_in_pages_are_not_stored_by_browsers(member_a):
    response = client_for(member_a).get("/c/council-a/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_production_settings_pass_the_deploy_check():
    result = production_python(
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        ALLOWED_HOSTS="heard.example.gov.uk",
        SECRET_KEY="k" + "0123456789abcdefghijklmnopqrstuvwxyz" * 2,
        DATABASE_URL="postgres://u@db.invalid:5432/heard",
        REDIS_URL="redis://redis.invalid:6379/0",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_sends_hsts_for_a_year_with_subdomains_and_secure_cookies():
    result = production_python(
        "import participation.settings as s; print(s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT)",
        DATABASE_URL="postgres://u@db.invalid:5432/heard",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["31536000", "True", "True", "True", "True"]


def test_the_forwarded_proto_header_is_trusted_only_when_a_proxy_is_configured():
    code = "import participation.settings as s; print(getattr(s, 'SECURE_PROXY_SSL_HEADER', None))"
    db = "postgres://u@db.invalid:5432/heard"
    without = production_python(code, DATABASE_URL=db)
    assert without.returncode == 0, without.stderr
    assert without.stdout.strip() == "None"
    behind = production_python(code, DATABASE_URL=db, BEHIND_HTTPS_PROXY="true")
    assert behind.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_production_sends_a_content_security_policy_and_referrer_policy(member_a):
    response = client_for(member_a).get("/c/council-a/")
    assert response["Referrer-Policy"] == "same-origin"
    header = response["Content-Security-Policy"]
    assert "default-src 'self'" in header and "frame-ancestors 'none'" in header
    assert "unsafe-inline" not in header
