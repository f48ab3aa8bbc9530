import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from participation.env import email_settings_from_url, env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]


def test_env_bool_reads_common_words_and_refuses_the_rest(monkeypatch):
    for word, value in [("yes", True), ("ON", True), ("1", True), ("no", False), ("0", False)]:
        monkeypatch.setenv("X_FLAG", word)
        assert env_bool("X_FLAG") is value
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG must be true or false"):
        env_bool("X_FLAG")
    monkeypatch.delenv("X_FLAG")
    assert env_bool("X_FLAG", True) is True


def test_env_int_and_list(monkeypatch):
    monkeypatch.setenv("X_NUM", "seven")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("X_NUM", 1)
    monkeypatch.setenv("X_NUM", "7")
    assert env_int("X_NUM", 1) == 7
    monkeypatch.setenv("X_HOSTS", "a.example, b.example,")
    assert env_list("X_HOSTS") == ["a.example", "b.example"]


def test_email_url():
    smtp = email_settings_from_url("smtp://user%40x:p%2Fw@mail.example:587?tls=1")
    assert smtp["EMAIL_HOST"] == "mail.example" and smtp["EMAIL_PORT"] == 587
    assert smtp["EMAIL_HOST_USER"] == "user@x" and smtp["EMAIL_HOST_PASSWORD"] == "p/w"
    assert smtp["EMAIL_USE_TLS"] is True and smtp["EMAIL_USE_SSL"] is False
    assert email_settings_from_url("smtps://mail.example")["EMAIL_PORT"] == 465
    assert "console" in email_settings_from_url("console://")["EMAIL_BACKEND"]
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL must start with"):
        email_settings_from_url("http://mail.example")


def _settings_in_fresh_process(**env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "HEARD_TESTING",
            "DATABASE_URL",
            "REDIS_URL",
            "CELERY_TASK_ALWAYS_EAGER",
            "EMAIL_URL",
            "ALLOWED_HOSTS",
        }
    }
    clean.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import participation.settings as s; print(s.DATABASES['default']"
            "['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.DEBUG)",
        ],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _settings_in_fresh_process()
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_no_configuration_means_sqlite_and_in_process_tasks(tmp_path):
    result = _settings_in_fresh_process(DEBUG="true", HEARD_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "True"]


def test_database_and_redis_urls_switch_to_real_services():
    result = _settings_in_fresh_process(
        SECRET_KEY="x" * 50, DATABASE_URL="postgres://u@db:5432/heard", REDIS_URL="redis://r:6379/0"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "False", "False"]


def test_a_bad_debug_value_stops_start_up():
    result = _settings_in_fresh_process(DEBUG="perhaps")
    assert result.returncode != 0 and "DEBUG must be true or false" in result.stderr


def test_production_refuses_to_start_without_redis():
    """Without a broker nothing re-sends an unacknowledged safeguarding alert: no quiet start."""
    result = _settings_in_fresh_process(
        SECRET_KEY="x" * 50, DATABASE_URL="postgres://u@db:5432/heard"
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: REDIS_URL is not set" in result.stderr
    assert "safeguarding alerts" in result.stderr


def _check_in_fresh_process(**env) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "HEARD_TESTING", "REDIS_URL", "CELERY_TASK_ALWAYS_EAGER"}
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_in_process_demo_mode_says_so_at_start_up(tmp_path):
    result = _check_in_fresh_process(DEBUG="true", HEARD_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "(heard.W001) REDIS_URL is not set" in result.stderr
    assert "unacknowledged safeguarding alerts are not emailed again" in result.stderr


def test_with_redis_there_is_no_demo_mode_warning(tmp_path):
    result = _check_in_fresh_process(
        DEBUG="true", HEARD_VAR_DIR=str(tmp_path), REDIS_URL="redis://127.0.0.1:6379/15"
    )
    assert result.returncode == 0, result.stderr
    assert "heard.W001" not in result.stdout + result.stderr
