"""The public form's limiter: windowed keys that always expire, open when the cache fails, and a
link's count made of accepted submissions only."""

import re

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from feedback.models import Response
from participation import ratelimit
from tests.feedback.factories import make_form
from tests.feedback.test_public import answer, fields, page_key, url_for

pytestmark = pytest.mark.django_db

# A real Redis client pointed at a port where nothing listens: every call raises ConnectionError,
# as when the cache restarts under a busy form.
BROKEN_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


def test_each_window_has_its_own_key_and_every_key_expires(settings):
    window = 600
    t = 1_800_000_000 - (1_800_000_000 % window)  # the start of a window
    assert ratelimit.hit("t", "ip:1", window=window, now=t) == 1
    assert ratelimit.hit("t", "ip:1", window=window, now=t + window - 1) == 2
    # The next window starts from nothing, whatever the old bucket holds.
    assert ratelimit.hit("t", "ip:1", window=window, now=t + window) == 1
    keys = list(cache._cache.get_client().scan_iter(match="*t:*"))
    assert len(keys) == 2
    client = cache._cache.get_client()
    for key in keys:
        assert 0 < client.ttl(key) <= window  # created with its expiry, kept by INCR
    assert not any(b"ip:1" in key for key in keys)  # the bucket is hashed


def test_a_failing_cache_lets_the_child_send_their_feedback(council_a, settings):
    settings.FEEDBACK_RATE_PER_IP = 1
    settings.FEEDBACK_RATE_PER_LINK = 1
    form = make_form(council_a)
    client = Client()
    url = url_for(form)
    key = page_key(client, url)
    with override_settings(CACHES=BROKEN_CACHE):
        with pytest.raises(Exception):  # noqa: B017, PT011 (the cache really is down)
            cache.get("anything")
        first = client.post(url, {"key": key, fields(form)[0]: "4"}, REMOTE_ADDR="203.0.113.5")
        second = answer(client, form, REMOTE_ADDR="203.0.113.5")
    assert (first.status_code, second.status_code) == (200, 200)
    assert "Thank you" in first.content.decode()
    assert Response.objects.filter(form=form).count() == 2


def test_the_link_counts_accepted_submissions_only(council_a, settings):
    settings.FEEDBACK_RATE_PER_LINK = 2
    form = make_form(council_a)
    client = Client()
    url = url_for(form)
    # Mistakes (a required question left out), a stale page, a bot in the honeypot: none count.
    for n in range(5):
        missing = client.post(url, {"key": page_key(client, url)}, REMOTE_ADDR=f"192.0.2.{n}")
        assert missing.status_code == 400
    assert client.post(url, {"key": "stale"}, REMOTE_ADDR="192.0.2.20").status_code == 400
    honeypot = answer(client, form, {"website": "spam"}, REMOTE_ADDR="192.0.2.21")
    assert honeypot.status_code == 200 and not Response.objects.exists()
    # Two accepted submissions fill the link; the third is asked to wait.
    statuses = [answer(client, form, REMOTE_ADDR=f"192.0.2.{n}").status_code for n in (30, 31, 32)]
    assert statuses == [200, 200, 429]
    assert Response.objects.filter(form=form).count() == 2


def test_sending_the_same_page_twice_counts_once(council_a, settings):
    """A double tap saves one response (the key), and uses up one place on the link."""
    settings.FEEDBACK_RATE_PER_LINK = 2
    form = make_form(council_a)
    client = Client()
    url = url_for(form)
    data = {"key": page_key(client, url), fields(form)[0]: "4"}
    assert client.post(url, data, REMOTE_ADDR="192.0.2.1").status_code == 200
    assert client.post(url, data, REMOTE_ADDR="192.0.2.2").status_code == 200
    assert Response.objects.count() == 1
    assert answer(client, form, REMOTE_ADDR="192.0.2.3").status_code == 200
    assert answer(client, form, REMOTE_ADDR="192.0.2.4").status_code == 429


def test_password_reset_limits_share_the_windowed_counter(member_a, settings):
    settings.PASSWORD_RESET_RATE_PER_EMAIL = 1
    client = Client()
    email = member_a.user.email
    assert client.post("/account/password/reset/", {"email": email}).status_code == 302
    assert client.post("/account/password/reset/", {"email": email}).status_code == 429
    keys = [k.decode() for k in cache._cache.get_client().scan_iter(match="*rate:*")]
    assert keys and all(re.search(r"rate:\d+:[0-9a-f]{64}$", k) for k in keys)
