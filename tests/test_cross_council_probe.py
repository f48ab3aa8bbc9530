"""A member of council B asks for council A's objects by id: always 404, and nothing changes.

Generated from the URL configuration, so every later feature is probed without being listed by
hand; a new pattern without a probe in tests/probes.py fails the first test.
"""

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from tests.conftest import client_for
from tests.probes import HOSTILE_POST, PROBES
from tests.urlwalk import council_object_patterns

AUTH_USER = settings.AUTH_USER_MODEL
OBJECT_PATTERNS = sorted({name for name, _ in council_object_patterns()})


def _owned_by_a_council(model) -> bool:
    return any(field.name == "council" for field in model._meta.concrete_fields)


# What a request from council B could change in council A: every table with a `council`, the
# councils, and the people (users and their memberships). Django's own tables (permissions,
# content types, sessions) are left out; nothing in a council URL writes to them.
# The audit trail is left out: a refused request is meant to leave its entry there (checked in
# tests/participation/test_audit.py).
AUDIT_LABELS = {"participation.AuditEvent", "participation.DataChange"}
WATCHED = [
    model
    for model in apps.get_models()
    if (_owned_by_a_council(model) or model._meta.label in {"participation.Council", AUTH_USER})
    and model._meta.label not in AUDIT_LABELS
]


def snapshot() -> dict:
    """Every row of every watched table, to prove a refused request wrote nothing."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values()) for model in WATCHED
    }


def test_the_snapshot_watches_the_council_tables():
    labels = {model._meta.label for model in WATCHED}
    assert {"participation.Council", "participation.Membership", AUTH_USER} <= labels
    assert {"activities.Activity", "activities.YoungPerson", "forums.Forum"} <= labels
    assert "sessions.Session" not in labels


def test_every_council_object_url_has_a_probe():
    missing = sorted(set(OBJECT_PATTERNS) - set(PROBES))
    assert not missing, f"add these URL names to tests/probes.py: {missing}"
    assert OBJECT_PATTERNS, "the URL walk found no council object URLs at all"


def test_probes_name_only_real_patterns():
    assert not sorted(set(PROBES) - set(OBJECT_PATTERNS))


@pytest.mark.parametrize("name", OBJECT_PATTERNS)
def test_council_b_cannot_reach_council_a_objects(name, council_a, council_b, admin_b):
    # B's admin holds every capability, so a 404 here can only come from the council check.
    kwargs = PROBES[name](council_a)
    client = client_for(admin_b)
    before = snapshot()
    missing = {key: 2**31 - 1 for key in kwargs}  # ids that exist nowhere
    for slug in (council_a.slug, council_b.slug):
        url = reverse(name, kwargs={"council_slug": slug, **kwargs})
        assert client.get(url).status_code == 404, f"GET {url}"
        status = client.post(url, HOSTILE_POST).status_code
        if status != 404:
            # A read-only endpoint refuses POST (405) before looking anything up: acceptable
            # only because the answer is the same for an id that exists nowhere.
            nowhere = reverse(name, kwargs={"council_slug": slug, **missing})
            assert status == 405 == client.post(nowhere, HOSTILE_POST).status_code, f"POST {url}"
    assert snapshot() == before
