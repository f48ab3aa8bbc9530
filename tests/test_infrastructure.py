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
