"""Sign-in defences: password hashing and rules, lockout, reset throttling, session lifetime."""

import os
import subprocess
import sys

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
