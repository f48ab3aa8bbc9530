"""Sign-in defences: password hashing and rules, lockout, reset throttling, session lifetime."""

import os
import subprocess
import sys

from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import PASSWORD
from tests.participation.test_env import ROOT


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
