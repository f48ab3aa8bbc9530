"""Schemathesis against the committed schema, in-process through the WSGI app: every operation,
cases generated from the schema, as council A's officer with a read and write token.

Passes only with 0 server errors and 0 responses that disagree with the schema (status code,
content type, headers and body)."""

import collections
import datetime

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
    ids = real_ids(council_a, officer_a)
    token = token_for(officer_a)
    schema = from_wsgi("/api/v1/schema/", in_process)
    cases = 0
    try:
        _run_all(schema, token, ids, counter := [])
    finally:
        cases = len(counter)
        statuses = collections.Counter(counter)
        print(
            f"\nschemathesis generated {cases} cases over {len(list(schema))} paths;"
            f" answers: {dict(sorted(statuses.items()))}"
        )
    assert cases >= 30  # at least one per operation
    # The real ids take cases past the 404: most get an answer from behind the id.
    assert sum(n for code, n in statuses.items() if code != 404) > cases / 3


def real_ids(council, officer) -> dict[str, int]:
    """Council A's own records, one of each, nested as the addresses nest them (the meeting in
    the forum, the visitor at the meeting). Half the cases use them, so generated bodies reach
    the services behind the ids, not only the 404 of an id that does not exist."""
    from tests.feedback import factories as fb
    from tests.forums.factories import (
        ForumMemberFactory,
        add_visitor,
        make_ask,
        make_consultation,
        make_meeting,
    )
    from tests.reporting.factories import make_final_run

    member = ForumMemberFactory(council=council, joined_on=datetime.date(2025, 1, 1))
    forum = member.forum
    meeting = make_meeting(forum, actor=officer.user)
    visitor = add_visitor(meeting)
    consultation = make_consultation(forum, requested_by=officer.user)
    action = ActionFactory(council=council)
    return {
        "forum_id": forum.pk,
        "member_id": member.pk,
        "meeting_id": meeting.pk,
        "young_person_id": visitor.pk,
        "ask_id": make_ask(forum, actor=officer.user, addressed_to=officer.user).pk,
        "consultation_id": consultation.pk,
        "activity_id": ActivityFactory(council=council).pk,
        "action_id": action.pk,
        "strategy_id": action.objective.strategy_id,
        "form_id": fb.submit(fb.make_form(council)).form_id,
        "run_id": make_final_run(council).pk,
    }


def _run_all(schema, token, ids, counter):
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
            path = {**(case.path_parameters or {}), "council_slug": "council-a"}
            if len(counter) % 2:
                path.update({name: ids[name] for name in path if name in ids})
            case.path_parameters = path
            response = case.call(headers={"Authorization": f"Bearer {token}"})
            counter.append(response.status_code)
            case.validate_response(response, checks=CHECKS)

        run()
