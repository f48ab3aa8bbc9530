"""The three personas every permission test uses (after healthchecks' alice, bob and charlie):

- `member_a`: a practitioner in council A
- `admin_a`: a council admin in council A
- `member_b`: a practitioner in council B
"""

import os

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from participation.models import Membership
from tests.factories import CouncilFactory, MembershipFactory

# "ci" (bin/test, CI=true, HEARD_TESTING): enough examples to catch a regression, no deadline on a
# shared, busy machine. "thorough": for a deliberate hunt, HYPOTHESIS_PROFILE=thorough.
hypothesis_settings.register_profile("ci", max_examples=25, deadline=None)
hypothesis_settings.register_profile("thorough", max_examples=150, deadline=None)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE")
    or (
        "ci"
        if os.environ.get("CI", "").lower() == "true" or os.environ.get("HEARD_TESTING")
        else "thorough"
    )
)


def pytest_configure(config):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        raise pytest.UsageError(
            f"The tests run on PostgreSQL, but the database configured is {engine}. "
            "Run bin/test, or set DATABASE_URL=postgres://... (and REDIS_URL) before pytest."
        )


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Sign-in lockouts and rate limits count in the cache; a test starts from none."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _force_login_gives_the_second_step(monkeypatch):
    """`client.force_login(user)` signs a person in fully: for whoever must give the second
    sign-in step (managers, admins, staff, councils that ask it of everyone), it also gives them an
    authenticator app and marks the session verified. The product's check is untouched; tests of
    the second step itself sign in through the sign-in page instead."""
    from tests.two_factor import second_step_needed, verify_session

    force_login = Client.force_login

    def force_login_with_second_step(self, user, backend=None):
        force_login(self, user, backend)
        if second_step_needed(user):
            verify_session(self, user)

    monkeypatch.setattr(Client, "force_login", force_login_with_second_step)


@pytest.fixture
def council_a(db):
    return CouncilFactory(name="Council A", slug="council-a")


@pytest.fixture
def council_b(db):
    return CouncilFactory(name="Council B", slug="council-b")


@pytest.fixture
def member_a(council_a):
    return MembershipFactory(council=council_a, role=Membership.Role.PRACTITIONER)


@pytest.fixture
def officer_a(council_a):
    return MembershipFactory(council=council_a, role=Membership.Role.PARTICIPATION_OFFICER)


@pytest.fixture
def manager_a(council_a):
    return MembershipFactory(council=council_a, role=Membership.Role.MANAGER)


@pytest.fixture
def admin_a(council_a):
    return MembershipFactory(council=council_a, role=Membership.Role.COUNCIL_ADMIN)


@pytest.fixture
def member_b(council_b):
    return MembershipFactory(council=council_b, role=Membership.Role.PRACTITIONER)


@pytest.fixture
def admin_b(council_b):
    return MembershipFactory(council=council_b, role=Membership.Role.COUNCIL_ADMIN)


def client_for(membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    return client
