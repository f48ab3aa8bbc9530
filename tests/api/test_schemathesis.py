"""Schemathesis against the committed schema, in-process through the WSGI app: every operation,
cases generated from the schema, as council A's officer with a read and write token.

Passes only with 0 server errors and 0 responses that disagree with the schema (status code,
content type, headers and body)."""

import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.openapi import from_wsgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.helpers import token_for
from tests.factories import ForumFactory
from tests.participation.activities.factories import (
    ActivityFactory,
    ParticipationFactory,
    YoungPersonFactory,
)
from tests.participation.strategy.factories import ActionFactory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 12


@pytest.fixture
def in_process(db):
    # The WSGI handler closes the connection after each request, which would end the test's
    # transaction; Django's own test client switches this off the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_schemathesis_finds_no_server_error_and_no_schema_mismatch(
    in_process, council_a, officer_a, settings
):
    settings.API_RATE = "100000/min"
    for _ in range(3):
        ParticipationFactory(activity=ActivityFactory(council=council_a))
    YoungPersonFactory(council=council_a, ethnicity="white")
    ForumFactory(council=council_a)
    ActionFactory(council=council_a)
    token = token_for(officer_a)
    schema = from_wsgi("/api/v1/schema/", in_process)
    cases = 0
    try:
        _run_all(schema, token, counter := [])
    finally:
        cases = len(counter)
        print(f"\nschemathesis generated {cases} cases over {len(list(schema))} paths")
    assert cases >= 30  # at least one per operation


def _run_all(schema, token, counter):
    for result in schema.get_all_operations():
        operation = result.ok()

        @hypothesis_settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case):
            counter.append(1)
            case.path_parameters = {**(case.path_parameters or {}), "council_slug": "council-a"}
            response = case.call(headers={"Authorization": f"Bearer {token}"})
            case.validate_response(response, checks=CHECKS)

        run()
