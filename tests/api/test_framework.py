"""The framework every endpoint shares: tenancy, errors, limits, idempotency, rate limits."""

import json
import uuid

import pytest
from django.urls import reverse

from api.models import IdempotencyRecord
from api.urls import API_URL_NAMES, council_api
from participation.activities.models import Activity
from participation.capabilities import role_can
from participation.models import Membership
from tests.api.helpers import A, Api, B, api_for, messages
from tests.conftest import client_for
from tests.factories import ForumFactory, MembershipFactory
from tests.feedback import factories as fb
from tests.participation.activities.factories import (
    ActivityFactory,
    ActivityKindFactory,
    ServiceAreaFactory,
    YoungPersonFactory,
)
from tests.participation.strategy.factories import ActionFactory, StrategyFactory
from tests.probes import _ask, _consultation
from tests.test_cross_council_probe import snapshot


def activity_body(council, **overrides):
    body = {
        "title": "Care leavers' panel",
        "starts_on": "2026-05-12",
        "kind": ActivityKindFactory(council=council, name="Focus group").pk,
        "participation_type": "consultation",
        "ladder_rung": 5,
        "count_young_people": 6,
    }
    body.update(overrides)
    return body


def _final_run(council):
    from tests.reporting.factories import make_final_run

    return make_final_run(council)


def _member(council):
    from tests.forums.factories import ForumMemberFactory

    member = ForumMemberFactory(council=council)
    return {"forum_id": member.forum_id, "member_id": member.pk}


def _visitor(council):
    from tests.forums.factories import add_visitor, make_meeting

    meeting = make_meeting(ForumFactory(council=council))
    young_person = add_visitor(meeting)
    return {
        "forum_id": meeting.forum_id,
        "meeting_id": meeting.pk,
        "young_person_id": young_person.pk,
    }


def _meeting(council):
    from tests.forums.factories import make_meeting

    meeting = make_meeting(ForumFactory(council=council))
    return {"forum_id": meeting.forum_id, "meeting_id": meeting.pk}


# How to make one of council A's objects for each API route that names one.
OBJECTS = {
    "api_activity_detail": lambda c: {"activity_id": ActivityFactory(council=c).pk},
    "api_young_person_detail": lambda c: {"young_person_id": YoungPersonFactory(council=c).pk},
    "api_forum_detail": lambda c: {"forum_id": ForumFactory(council=c).pk},
    "api_forum_member_list": lambda c: {"forum_id": ForumFactory(council=c).pk},
    "api_forum_member_detail": lambda c: _member(c),
    "api_meeting_list": lambda c: {"forum_id": ForumFactory(council=c).pk},
    "api_meeting_detail": lambda c: _meeting(c),
    "api_meeting_attendance": lambda c: _meeting(c),
    "api_meeting_visitors": lambda c: _meeting(c),
    "api_meeting_visitor": lambda c: _visitor(c),
    "api_ask_list": lambda c: {"forum_id": ForumFactory(council=c).pk},
    "api_ask_answer_list": _ask,
    "api_consultation_list": lambda c: {"forum_id": ForumFactory(council=c).pk},
    "api_consultation_detail": _consultation,
    "api_feedback_form_detail": lambda c: {"form_id": fb.make_form(c).pk},
    "api_feedback_response_list": lambda c: {"form_id": fb.submit(fb.make_form(c)).form_id},
    "api_report_download": lambda c: {"run_id": _final_run(c).pk},
    "api_strategy_detail": lambda c: {"strategy_id": StrategyFactory(council=c).pk},
    "api_objective_list": lambda c: {"strategy_id": StrategyFactory(council=c).pk},
    "api_action_detail": lambda c: {"action_id": ActionFactory(council=c).pk},
    "api_status_update_list": lambda c: {"action_id": ActionFactory(council=c).pk},
}


def test_every_api_route_is_listed_and_every_object_route_has_a_maker():
    assert len(API_URL_NAMES) == len(set(API_URL_NAMES)) >= 15
    with_ids = {p.name for p in council_api if "<" in str(p.pattern)}
    assert with_ids == set(OBJECTS)


@pytest.mark.parametrize("name", API_URL_NAMES)
def test_council_b_token_gets_404_on_every_route_of_a(name, council_a, council_b, admin_b):
    kwargs = OBJECTS[name](council_a) if name in OBJECTS else {}
    api = api_for(admin_b)  # B's admin holds every capability: only the council check refuses
    assert api.get(f"{B}/activities/").status_code == 200  # the token's "last used" is now set
    before = snapshot()
    url = reverse(name, kwargs={"council_slug": council_a.slug, **kwargs})
    response = api.get(url)
    assert response.status_code == 404 and messages(response) == {None: ["Not found."]}
    # Every method, writes too: the council is refused before the method is looked at.
    assert api.post(url, {"title": "x"}).status_code == 404
    assert api.patch(url, {"title": "x"}).status_code == 404
    assert api.put(url, {"version": 0, "attendance": []}).status_code == 404
    assert api.delete(url).status_code == 404
    # Through B's own address, A's ids do not exist.
    if kwargs:
        url = reverse(name, kwargs={"council_slug": council_b.slug, **kwargs})
        assert api.get(url).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("name", API_URL_NAMES)
def test_council_a_admin_reads_every_route(name, council_a, admin_a):
    kwargs = OBJECTS[name](council_a) if name in OBJECTS else {}
    url = reverse(name, kwargs={"council_slug": council_a.slug, **kwargs})
    assert api_for(admin_a).get(url).status_code == 200


ROLE_REFUSAL = "Your role does not include this."


@pytest.mark.parametrize("name", API_URL_NAMES)
def test_every_method_of_every_route_follows_the_capability_table(name, council_a):
    """Each role is refused (403, before anything is looked up) exactly where the one capability
    table says it lacks the route's capability for that method, and never refused so elsewhere."""
    pattern = next(p for p in council_api if p.name == name)
    view = pattern.callback.view_class
    kwargs = OBJECTS[name](council_a) if name in OBJECTS else {}
    url = reverse(name, kwargs={"council_slug": council_a.slug, **kwargs})
    methods = [m for m in ("get", "post", "put", "patch", "delete") if hasattr(view, m)]
    assert methods, name
    for role in Membership.Role.values:
        api = api_for(MembershipFactory(council=council_a, role=role))
        for method in methods:
            capability = view().capability_for(method.upper())
            response = (
                getattr(api, method)(url)
                if method in ("get", "delete")
                else getattr(api, method)(url, {})
            )
            refused = response.status_code == 403 and ROLE_REFUSAL in str(
                messages(response).get(None)
            )
            assert refused == (not role_can(role, capability)), (role, method, capability)


def test_unknown_fields_are_refused_by_name_and_nothing_is_made(council_a, officer_a):
    response = api_for(officer_a).post(
        f"{A}/activities/", activity_body(council_a, colour="blue", id=7)
    )
    assert response.status_code == 400
    assert messages(response) == {
        "colour": ["This field is not accepted here."],
        "id": ["This field is not accepted here."],
    }
    assert not Activity.objects.exists()


def test_wrong_types_get_a_message_per_field(council_a, officer_a):
    body = activity_body(council_a, starts_on="yesterday", ladder_rung="high", kind="1", methods=3)
    response = api_for(officer_a).post(f"{A}/activities/", body)
    assert response.status_code == 400
    assert set(messages(response)) == {"starts_on", "ladder_rung", "kind", "methods"}
    assert not Activity.objects.exists()


def test_a_body_that_is_not_an_object_or_not_json(council_a, officer_a):
    api = api_for(officer_a)
    assert api.post(f"{A}/activities/", "[1, 2]").status_code == 400
    assert api.post(f"{A}/activities/", "{not json").status_code == 400
    response = api.client.post(
        f"{A}/activities/", {"title": "x"}, headers=api.headers
    )  # a form post
    assert response.status_code == 415 and list(messages(response)) == [None]
    assert not Activity.objects.exists()


def test_another_councils_ids_in_a_body_are_field_errors(council_a, council_b, officer_a):
    theirs = {
        "kind": ActivityKindFactory(council=council_b, name="Theirs").pk,
        "service_areas": [ServiceAreaFactory(council=council_b).pk],
        "young_people": [YoungPersonFactory(council=council_b).pk],
    }
    api = api_for(officer_a)
    body = activity_body(council_a, **theirs)
    assert api.get(f"{A}/activities/").status_code == 200  # sets the token's "last used"
    before = snapshot()
    response = api.post(f"{A}/activities/", body)
    assert response.status_code == 400
    errors = messages(response)
    assert set(errors) == {"kind", "service_areas[0]", "young_people[0]"}
    assert all("does not exist" in m for field in errors for m in errors[field])
    assert snapshot() == before


def test_a_body_over_the_limit_is_413_and_nothing_is_made(council_a, officer_a, settings):
    settings.API_MAX_BODY_BYTES = 2000
    body = activity_body(council_a, what_changed="x" * 3000)
    response = api_for(officer_a).post(f"{A}/activities/", body)
    assert response.status_code == 413
    assert "over the limit of 2000 bytes" in messages(response)[None][0]
    assert not Activity.objects.exists()


def test_a_method_not_offered_is_405_with_the_error_body(council_a, officer_a):
    activity = ActivityFactory(council=council_a)
    response = api_for(officer_a).put(f"{A}/activities/{activity.pk}/", {"title": "x"})
    assert response.status_code == 405 and list(messages(response)) == [None]
    assert api_for(officer_a).delete(f"{A}/activities/").status_code == 405
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_an_unknown_api_address_is_a_json_404(council_a, officer_a):
    for url in ("/api/v1/nothing/", f"{A}/nothing/"):
        response = api_for(officer_a).get(url)
        assert response.status_code == 404 and messages(response) == {None: ["Not found."]}


def test_rate_limit_per_token_with_retry_after(council_a, officer_a, member_a, settings):
    settings.API_RATE = "3/min"
    api = api_for(officer_a)
    for _ in range(3):
        assert api.get(f"{A}/activities/").status_code == 200
    response = api.get(f"{A}/activities/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert list(messages(response)) == [None]
    # Per token: another token still gets through.
    assert api_for(member_a).get(f"{A}/activities/").status_code == 200


def test_idempotent_create_replays_and_refuses_a_different_body(council_a, officer_a):
    api = api_for(officer_a)
    key = str(uuid.uuid4())
    body = activity_body(council_a)
    first = api.post(f"{A}/activities/", body, **{"Idempotency-Key": key})
    assert first.status_code == 201
    again = api.post(f"{A}/activities/", body, **{"Idempotency-Key": key})
    assert again.status_code == 201 and again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Activity.objects.count() == 1
    other = api.post(f"{A}/activities/", {**body, "title": "Other"}, **{"Idempotency-Key": key})
    assert other.status_code == 422
    assert "different body" in messages(other)[None][0]
    assert Activity.objects.count() == 1
    # A new key makes a new activity.
    new = api.post(f"{A}/activities/", body, **{"Idempotency-Key": str(uuid.uuid4())})
    assert new.status_code == 201 and Activity.objects.count() == 2


def test_a_refused_create_keeps_no_key_so_a_corrected_retry_works(council_a, officer_a):
    api = api_for(officer_a)
    body = activity_body(council_a, starts_on="2999-01-01")
    assert api.post(f"{A}/activities/", body, **{"Idempotency-Key": "k1"}).status_code == 400
    assert not IdempotencyRecord.objects.exists()
    body["starts_on"] = "2026-05-12"
    assert api.post(f"{A}/activities/", body, **{"Idempotency-Key": "k1"}).status_code == 201


def test_keys_are_per_token(council_a, officer_a):
    body = activity_body(council_a)
    for _ in range(2):
        response = api_for(officer_a).post(f"{A}/activities/", body, **{"Idempotency-Key": "same"})
        assert response.status_code == 201
    assert Activity.objects.count() == 2


def test_the_browser_session_works_and_writes_need_csrf(council_a, officer_a):
    from django.test import Client

    client = client_for(officer_a)
    assert client.get(f"{A}/activities/").status_code == 200
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(officer_a.user)
    response = strict.post(
        f"{A}/activities/", json.dumps(activity_body(council_a)), content_type="application/json"
    )
    assert response.status_code == 403 and "CSRF" in messages(response)[None][0]
    assert not Activity.objects.exists()


def test_the_old_forum_addresses_redirect_to_the_new_ones(council_a, member_a):
    forum = ForumFactory(council=council_a)
    client = client_for(member_a)
    response = client.get("/c/council-a/api/forums/", {"q": "youth"})
    assert response.status_code == 308
    assert response["Location"] == f"{A}/forums/?q=youth"
    response = client.get(f"/c/council-a/api/forums/{forum.pk}/")
    assert response.status_code == 308 and response["Location"] == f"{A}/forums/{forum.pk}/"
    assert client.get(response["Location"]).json()["id"] == forum.pk


def test_cursor_pages_and_updated_since(council_a, officer_a):
    ActivityFactory.create_batch(5, council=council_a)
    api = api_for(officer_a)
    first = api.get(f"{A}/activities/", {"page_size": 2}).json()
    assert len(first["results"]) == 2 and first["next"]
    second = api.get(first["next"]).json()
    ids = [a["id"] for a in first["results"] + second["results"]]
    assert len(set(ids)) == 4
    assert api.get(f"{A}/activities/", {"cursor": "rubbish"}).status_code == 404
    latest = Activity.objects.order_by("-updated_at").first()
    since = api.get(f"{A}/activities/", {"updated_since": latest.updated_at.isoformat()}).json()
    assert latest.pk in [a["id"] for a in since["results"]]
    bad = api.get(f"{A}/activities/", {"updated_since": "last tuesday"})
    assert bad.status_code == 400 and "updated_since" in messages(bad)


def test_filters_refuse_another_councils_ids(council_a, council_b, officer_a):
    theirs = ActivityKindFactory(council=council_b, name="Theirs")
    response = api_for(officer_a).get(f"{A}/activities/", {"kind": theirs.pk})
    assert response.status_code == 400 and "kind" in messages(response)


def test_api_tokens_page_and_docs_are_served_without_a_cdn(council_a, member_a):
    docs = client_for(member_a).get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/redoc/" in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert Api(None).get("/api/v1/schema/").status_code == 200


def test_updated_since_with_an_offset_postgresql_cannot_hold_is_read_in_utc(council_a, officer_a):
    # Found by schemathesis: -18:07 is a valid ISO 8601 offset but outside PostgreSQL's ±15:59.
    response = api_for(officer_a).get(
        f"{A}/activities/", {"updated_since": "0959-01-16T08:26:22.91-18:07"}
    )
    assert response.status_code == 200
    too_early = api_for(officer_a).get(
        f"{A}/activities/", {"updated_since": "0001-01-01T00:00:00+14:00"}
    )
    assert too_early.status_code == 400
