"""The three personas every permission test uses (after healthchecks' alice, bob and charlie):

- `member_a`: a practitioner in council A
- `admin_a`: a council admin in council A
- `member_b`: a practitioner in council B

Row-level security (participation/rls.py) is on for the whole suite: the test database is made and
migrated as DATABASE_URL's role (the owner), then every test runs as the runtime role
(settings.DATABASE_RUNTIME_ROLE, `heard_app`), which owns nothing and cannot bypass the policies.
Test code itself (factories, assertions) acts as the platform, across councils (`_platform`);
every request a test makes starts with no council, as a real one does, and sets its own scope.
"""

import os

import pytest
from django.test import Client, TransactionTestCase
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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """After pytest-django has made and migrated the test database as the owner (which secured
    it: participation/rls.py runs after migrate), switch the connection to the runtime role."""
    from django.conf import settings
    from django.db import connections

    from participation import rls

    connection = connections["default"]
    owner = {k: connection.settings_dict[k] for k in ("USER", "PASSWORD")}
    role, password = settings.DATABASE_RUNTIME_ROLE, settings.DATABASE_RUNTIME_PASSWORD
    with django_db_blocker.unblock():
        if not rls.ensure_runtime_role(connection, role, password):
            raise pytest.UsageError(
                f"The database role {role} is missing and {owner['USER']} may not create it: "
                "run bin/test, which creates it."
            )
        _secure_for_tests()
        connection.close()
        _roles.update(owner=owner, runtime={"USER": role, "PASSWORD": password or ""})
        connection.settings_dict.update(_roles["runtime"])
    flush = TransactionTestCase._fixture_teardown
    TransactionTestCase._fixture_teardown = _flush_as_owner(flush)
    yield
    TransactionTestCase._fixture_teardown = flush
    with django_db_blocker.unblock():
        connection.close()
        connection.settings_dict.update(owner)


_roles: dict[str, dict] = {}


def _flush_as_owner(flush):
    """A transactional test ends with a flush (TRUNCATE of every table). The audit trail refuses
    TRUNCATE to anyone but the tables' owner (participation/audit/capture.py), as it must in
    production, so the tests' flush runs as the owner; the test itself ran as the runtime role."""

    def teardown(self):
        from django.db import connections

        connection = connections["default"]
        connection.close()
        connection.settings_dict.update(_roles["owner"])
        try:
            flush(self)
        finally:
            connection.close()
            connection.settings_dict.update(_roles["runtime"])

    return teardown


def _secure_for_tests() -> None:
    """As the owner: the policies and grants, and (tests only) what a transactional test's
    closing flush needs (TRUNCATE, sequence resets)."""
    from django.conf import settings
    from django.db import connection

    from participation import rls

    role = settings.DATABASE_RUNTIME_ROLE
    rls.secure_schema(runtime_role=role)
    with connection.cursor() as cursor:
        cursor.execute(f'GRANT TRUNCATE ON ALL TABLES IN SCHEMA public TO "{role}"')
        cursor.execute(f'GRANT UPDATE ON ALL SEQUENCES IN SCHEMA public TO "{role}"')


@pytest.fixture
def as_owner(transactional_db):
    """For the few tests that change the schema (migration tests): connect as the tables' owner,
    and afterwards secure the schema again (migrating by hand sends no post_migrate)."""
    from django.db import connection

    def switch(to):
        connection.close()
        connection.settings_dict.update(_roles[to])
        _set_platform(True)

    switch("owner")
    yield
    _secure_for_tests()
    switch("runtime")


_platform_on = {"on": False}


def _set_platform(on: bool) -> None:
    from django.db import connection

    _platform_on["on"] = on
    # Session-level on purpose, and only in tests: the test's own code is the platform for the
    # whole test, transactional tests included; it is switched off again at the end.
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('app.all_councils', %s, false)", ["on" if on else ""])


@pytest.fixture(autouse=True)
def _platform(request):
    """The test's own code (factories, assertions) sees and writes every council's rows."""
    marker = request.node.get_closest_marker("django_db")
    uses_db = marker is not None or {"db", "transactional_db", "live_server"} & set(
        request.fixturenames
    )
    if not uses_db:
        yield
        return
    transactional = (
        "transactional_db" in request.fixturenames
        or "live_server" in request.fixturenames
        or (marker is not None and marker.kwargs.get("transaction"))
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    _set_platform(True)
    yield
    _platform_on["on"] = False
    if transactional:
        # Otherwise the test's rollback takes the setting with it.
        _set_platform(False)


def _requests_start_with_no_council():
    """A request made through the test client runs on the test's own connection, inside the
    test's transaction, where the platform setting is on. Run it as a real request runs: with no
    council, so a page that forgets its scope fails here instead of passing on the test's
    setting. A streamed body is read inside too, as the server would read it."""
    from django.test.client import ClientHandler

    from participation import rls

    original = ClientHandler.get_response

    def get_response(self, request):
        from django.db import connection

        if not _platform_on["on"]:
            return original(self, request)
        if not connection.in_atomic_block:
            return _outside_transaction(original, self, request)
        with rls.no_council():
            response = original(self, request)
            if getattr(response, "streaming", False):
                response.streaming_content = list(response.streaming_content)
        return response

    ClientHandler.get_response = get_response


def _outside_transaction(original, handler, request):
    """In a transactional test the platform setting is session-level: lift it for the request,
    on this thread's connection only, and put back what that connection had."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(current_setting('app.all_councils', true), ''),"
            " set_config('app.all_councils', '', false)"
        )
        previous = cursor.fetchone()[0]
    try:
        response = original(handler, request)
        if getattr(response, "streaming", False):
            response.streaming_content = list(response.streaming_content)
        return response
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('app.all_councils', %s, false)", [previous])


_requests_start_with_no_council()


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


def pytest_terminal_summary(terminalreporter):
    """The marker scan's figures (routes covered, requests, leaks), when it ran."""
    from tests.test_marker_scan import FIGURES

    if FIGURES:
        terminalreporter.section("cross-council marker scan")
        for name, value in FIGURES.items():
            terminalreporter.write_line(f"{name}: {value}")
