"""The real services the test run uses: PostgreSQL, Redis as cache and as Celery's broker."""

import uuid

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from participation.celery import app as celery_app


@pytest.mark.django_db
def test_tests_run_on_postgresql():
    assert connection.vendor == "postgresql"


@pytest.mark.django_db
def test_the_planner_prices_index_reads_for_memory_and_ssd():
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == settings.DATABASE_RANDOM_PAGE_COST == "1.1"


@pytest.mark.django_db
def test_queries_run_without_parallel_workers():
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == settings.DATABASE_PARALLEL_WORKERS == "0"


def test_cache_round_trips_through_redis():
    assert "redis" in settings.CACHES["default"]["BACKEND"].lower()
    key = f"heard-test-{uuid.uuid4()}"
    cache.set(key, "value", 5)
    assert cache.get(key) == "value"
    cache.delete(key)


def test_celery_broker_is_redis_and_reachable():
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1)
        assert conn.connected


def test_a_bare_pytest_without_postgresql_stops_with_a_message(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["HEARD_VAR_DIR"] = str(tmp_path)  # the SQLite file it would have used goes nowhere real
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "pytest", "-q", "tests/test_infrastructure.py"],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 4  # a usage error: not a pass, not "no tests collected"
    assert "Run bin/test, or set DATABASE_URL" in result.stdout + result.stderr
