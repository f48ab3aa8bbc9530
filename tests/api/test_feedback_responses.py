"""A form's responses over the API: what leaves Heard, and answers only for results roles."""

import json

from feedback.models import Response
from participation.models import AuditEvent
from tests.api.helpers import A, B, api_for, messages
from tests.feedback import factories as fb
from tests.participation.activities.factories import YoungPersonFactory
from tests.querycount import assert_constant_queries

PRIVATE = {"respondent_name", "contact_details", "young_person", "assisted_by", "wants_to_talk"}


def _named_response(council, assisted_by):
    form = fb.make_form(council)
    response = fb.submit(form, {0: "4", 2: ["Mum", "Friends"], 3: "School is hard"})
    Response.objects.filter(pk=response.pk).update(
        respondent_name="Zebedee Quill",
        contact_details="07700 900123",
        young_person=YoungPersonFactory(council=council),
        assisted_by=assisted_by,
        is_assisted=True,
        wants_to_talk=True,
    )
    return form, response


def test_results_roles_get_the_answers_and_nothing_personal(council_a, manager_a, officer_a):
    form, response = _named_response(council_a, officer_a.user)
    reply = api_for(manager_a).get(f"{A}/feedback-forms/{form.pk}/responses/")
    assert reply.status_code == 200
    [row] = reply.json()["results"]
    assert set(row) == {"id", "form", "version", "submitted_at", "is_assisted", "answers"}
    assert row["id"] == response.pk and row["is_assisted"] is True
    questions = list(form.live_version.questions.order_by("position"))
    assert row["answers"] == [
        {"question": questions[0].pk, "number": 4, "choices": [], "text": ""},
        {"question": questions[2].pk, "number": None, "choices": ["Mum", "Friends"], "text": ""},
        {"question": questions[3].pk, "number": None, "choices": [], "text": "School is hard"},
    ]
    text = reply.content.decode()
    assert not PRIVATE & set(row)
    assert "Zebedee" not in text and "07700" not in text
    # Reading children's answers is recorded, as on the results page (ids only).
    assert AuditEvent.objects.filter(
        kind="access", verb="read answers (API)", subject_id=form.pk, actor_id=manager_a.user_id
    ).exists()


def test_a_practitioner_sees_that_responses_came_but_not_the_answers(council_a, member_a):
    form, response = _named_response(council_a, member_a.user)
    reply = api_for(member_a).get(f"{A}/feedback-forms/{form.pk}/responses/")
    assert reply.status_code == 200
    [row] = reply.json()["results"]
    assert set(row) == {"id", "form", "version", "submitted_at", "is_assisted"}
    assert "School is hard" not in reply.content.decode()
    assert not AuditEvent.objects.filter(kind="access", verb="read answers (API)").exists()


def test_council_b_gets_404_for_council_as_form(council_a, admin_b, member_b):
    form, _ = _named_response(council_a, None)
    for membership in (admin_b, member_b):
        api = api_for(membership)
        for base in (A, B):
            response = api.get(f"{base}/feedback-forms/{form.pk}/responses/")
            assert response.status_code == 404 and messages(response) == {None: ["Not found."]}


def test_responses_are_paged_by_cursor_and_filtered_by_moment(council_a, officer_a):
    form = fb.make_form(council_a)
    for _ in range(3):
        fb.submit(form)
    api = api_for(officer_a)
    first = api.get(f"{A}/feedback-forms/{form.pk}/responses/", {"page_size": 2}).json()
    second = api.get(first["next"]).json()
    ids = [r["id"] for r in first["results"] + second["results"]]
    assert sorted(ids) == sorted(form.responses.values_list("pk", flat=True))
    latest = form.responses.order_by("-submitted_at").first()
    since = api.get(
        f"{A}/feedback-forms/{form.pk}/responses/",
        {"submitted_since": latest.submitted_at.isoformat()},
    ).json()
    assert [r["id"] for r in since["results"]] == [latest.pk]
    bad = api.get(f"{A}/feedback-forms/{form.pk}/responses/", {"submitted_since": "soon"})
    assert bad.status_code == 400 and "submitted_since" in messages(bad)
    assert api.post(f"{A}/feedback-forms/{form.pk}/responses/", {}).status_code == 405


def test_the_query_count_does_not_grow_with_responses(council_a, officer_a):
    form = fb.make_form(council_a)
    api = api_for(officer_a)
    assert_constant_queries(
        lambda: api.get(f"{A}/feedback-forms/{form.pk}/responses/"),
        grow=lambda n: [fb.submit(form, {0: "3", 3: "text"}) for _ in range(n)],
    )


def test_the_schema_names_no_personal_field_of_a_response():
    from pathlib import Path

    import yaml

    schema = yaml.safe_load(
        (Path(__file__).resolve().parents[2] / "api" / "schema.yaml").read_text()
    )
    properties = schema["components"]["schemas"]["FeedbackResponse"]["properties"]
    assert not PRIVATE & set(properties)
    assert json.dumps(properties).count("answers") >= 1
