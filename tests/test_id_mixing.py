"""Council A's own people post council A's own forms, with council B's ids in them.

What an attacker in council A tries: take a form of their council and put another council's id in
a field that names a record (a young person, a forum's meeting, an objective, an owner...). Every
such post must be refused, with an error on the form (200 or 400) or a 404, and change nothing; the
same post with council A's own id must go through (so the refusal came from the id, not from a
form that was wrong anyway).

The fields come from the code: every ModelChoiceField of every form in the project must have a row
in BODY_PROBES (or a reason in NOT_POSTED), so a new form is probed or this test fails asking for a
row. Ids read by views outside forms (attendance, visitors) are in the table too.

Ids mixed in URLs (council A's forum with council B's member...) are probed from tests/probes.py:
every council URL with two or more ids, each inner id from council B in turn, answers 404.
"""

import datetime
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from participation.models import Membership
from tests.conftest import client_for
from tests.factories import ForumFactory, MembershipFactory
from tests.probes import HOSTILE_POST, PROBES
from tests.test_cross_council_probe import snapshot
from tests.urlwalk import council_object_patterns

TODAY = datetime.date.today()
PROJECT_PACKAGES = ("participation", "forums", "feedback", "reporting")


def project_model_choice_fields() -> list[str]:
    """ "module.Form.field" for every ModelChoiceField (and multiple) of every form in the code."""
    found = set()
    for package_name in PROJECT_PACKAGES:
        package = importlib.import_module(package_name)
        for info in pkgutil.walk_packages(package.__path__, f"{package_name}."):
            if ".migrations" in info.name or info.name.endswith((".settings", ".wsgi", ".asgi")):
                continue
            module = importlib.import_module(info.name)
            for obj in vars(module).values():
                if (
                    inspect.isclass(obj)
                    and issubclass(obj, forms.BaseForm)
                    and obj.__module__ == module.__name__
                ):
                    for name, field in obj.base_fields.items():
                        if isinstance(field, forms.ModelChoiceField):
                            found.add(f"{obj.__module__}.{obj.__name__}.{name}")
    return sorted(found)


# Forms that are never posted: filters read from the query string. The marker scan gives them
# council B's ids (tests/test_marker_scan.py, EXTRA_QUERIES) and fails if B's names show.
NOT_POSTED = {
    "participation.activities.forms.activities.ActivityFilterForm.kind": "list filter (GET)",
    "participation.activities.forms.activities.ActivityFilterForm.service_area": "list filter",
    "participation.activities.forms.activities.ActivityFilterForm.worker": "list filter (GET)",
}


# The records each probe needs, made in one council. Council A's are the control's; council B's
# are the ids an attacker in council A would try.
def world(council) -> SimpleNamespace:
    from feedback.models import Theme
    from forums.models import Attendance, ConsultationRequest
    from tests.forums.factories import ForumMemberFactory, make_meeting
    from tests.participation.activities.factories import (
        ActivityFactory,
        ActivityKindFactory,
        ServiceAreaFactory,
        YoungPersonFactory,
    )
    from tests.participation.strategy.factories import (
        ActionFactory,
        ObjectiveFactory,
        StrategyFactory,
    )

    officer = MembershipFactory(council=council, role=Membership.Role.PARTICIPATION_OFFICER)
    manager = MembershipFactory(council=council, role=Membership.Role.MANAGER)
    strategy = StrategyFactory(council=council)
    objective = ObjectiveFactory(council=council, strategy=strategy)
    other_objective = ObjectiveFactory(council=council, strategy=strategy)
    member = ForumMemberFactory(council=council, joined_on=TODAY - datetime.timedelta(days=90))
    forum = member.forum
    meeting = make_meeting(forum, actor=officer.user)
    upcoming = make_meeting(
        forum, actor=officer.user, date=TODAY + datetime.timedelta(days=20), place="Town hall"
    )
    visitor = YoungPersonFactory(council=council)
    Attendance.objects.create(
        council=council, meeting=meeting, young_person=visitor, status="present", is_member=False
    )
    consultation = ConsultationRequest.objects.create(
        council=council,
        forum=forum,
        requested_by=officer.user,
        topic="Placements",
        reason="To change the sufficiency plan",
        needed_by=TODAY + datetime.timedelta(days=60),
        format="discussion",
    )
    unmatched = ActionFactory(council=council, objective=objective, owner_name="Pat Jones")
    return SimpleNamespace(
        council=council,
        officer=officer,
        manager=manager,
        kind=ActivityKindFactory(council=council),
        area=ServiceAreaFactory(council=council),
        young_person=YoungPersonFactory(council=council),
        activity=ActivityFactory(council=council),
        strategy=strategy,
        objective=objective,
        other_objective=other_objective,
        action=unmatched,
        forum=forum,
        empty_forum=ForumFactory(council=council),
        member=member,
        meeting=meeting,
        upcoming=upcoming,
        visitor=visitor,
        consultation=consultation,
        theme=Theme.objects.create(council=council, name="school"),
    )


@dataclass
class BodyProbe:
    url: str
    kwargs: Callable  # (world A) -> the URL's keyword arguments
    body: Callable  # (world A, the id or ids under test) -> the POST data
    id_of: Callable  # (world) -> the id of that world's record the field names
    multiple: bool = False  # a field of several ids: the hostile post mixes A's and B's
    refused_by_redirect: bool = False  # a POST-only action that answers with a message
    files: Callable | None = None


def _activity_body(w, **fields):
    return {
        "title": "Care leavers' forum on the local offer",
        "status": "done",
        "starts_on": (TODAY - datetime.timedelta(days=2)).isoformat(),
        "kind": w.kind.pk,
        "participation_type": "co_production",
        "ladder_rung": "6",
        "count_young_people": "4",
        **fields,
    }


def _action_body(w, **fields):
    return {
        "objective": w.objective.pk,
        "title": "Care leavers get a bus pass",
        "due_date": (TODAY + datetime.timedelta(days=90)).isoformat(),
        "owner": w.manager.pk,
        **fields,
    }


def _you_said_body(w, **fields):
    return {
        "you_said": "There is nothing to do at weekends.",
        "we_did": "We opened the youth centre on Saturdays.",
        "status": "planned",
        "date": TODAY.isoformat(),
        **fields,
    }


def _plan_upload(w):
    path = "tests/participation/strategy/fixtures/sandwell_action_plan.csv"
    with open(path, "rb") as handle:
        return {"file": SimpleUploadedFile("plan.csv", handle.read(), content_type="text/csv")}


def _forum(w):
    return {"forum_id": w.forum.pk}


def _meeting(w):
    return {"forum_id": w.forum.pk, "meeting_id": w.meeting.pk}


ACTIVITY = "participation.activities.forms.activities.ActivityForm"
STRATEGY = "participation.strategy.forms"
FORUMS = "forums.forms"
FEEDBACK = "feedback.forms"

BODY_PROBES: dict[str, BodyProbe] = {
    f"{ACTIVITY}.kind": BodyProbe(
        "activity_create", lambda w: {}, lambda w, v: _activity_body(w, kind=v), lambda w: w.kind.pk
    ),
    f"{ACTIVITY}.service_areas": BodyProbe(
        "activity_create",
        lambda w: {},
        lambda w, v: _activity_body(w, service_areas=v),
        lambda w: w.area.pk,
        multiple=True,
    ),
    f"{ACTIVITY}.lead_worker": BodyProbe(
        "activity_create",
        lambda w: {},
        lambda w, v: _activity_body(w, lead_worker=v),
        lambda w: w.officer.user_id,
    ),
    f"{ACTIVITY}.young_people": BodyProbe(
        "activity_create",
        lambda w: {},
        lambda w, v: _activity_body(w, young_people=v),
        lambda w: w.young_person.pk,
        multiple=True,
    ),
    f"{STRATEGY}.ActionForm.objective": BodyProbe(
        "action_create",
        lambda w: {"objective_id": w.objective.pk},
        lambda w, v: _action_body(w, objective=v),
        lambda w: w.objective.pk,
    ),
    f"{STRATEGY}.ActionForm.also_serves": BodyProbe(
        "action_create",
        lambda w: {"objective_id": w.objective.pk},
        lambda w, v: _action_body(w, also_serves=v),
        lambda w: w.other_objective.pk,
        multiple=True,
    ),
    f"{STRATEGY}.ActionForm.owner": BodyProbe(
        "action_create",
        lambda w: {"objective_id": w.objective.pk},
        lambda w, v: _action_body(w, owner=v),
        lambda w: w.manager.pk,
    ),
    f"{STRATEGY}.IndicatorForm.objective": BodyProbe(
        "indicator_create",
        lambda w: {"strategy_id": w.strategy.pk},
        lambda w, v: {"title": "Care leavers in work", "unit": "%", "target": "60", "objective": v},
        lambda w: w.objective.pk,
    ),
    f"{STRATEGY}.OwnerLinkForm.membership": BodyProbe(
        "strategy_owners",
        lambda w: {},
        lambda w, v: {"owner_name": "Pat Jones", "membership": v},
        lambda w: w.manager.pk,
    ),
    f"{STRATEGY}.ImportForm.strategy": BodyProbe(
        "strategy_import",
        lambda w: {},
        lambda w, v: {"strategy": v},
        lambda w: w.strategy.pk,
        files=_plan_upload,
    ),
    f"{FORUMS}.ForumMemberAddForm.young_person": BodyProbe(
        "forum_member_add",
        _forum,
        lambda w, v: {"young_person": v, "role": "member", "joined_on": TODAY.isoformat()},
        lambda w: w.young_person.pk,
    ),
    f"{FORUMS}.VisitorForm.young_person": BodyProbe(
        "attendance_visitor_add",
        _meeting,
        lambda w, v: {"young_person": v},
        lambda w: w.young_person.pk,
        refused_by_redirect=True,
    ),
    f"{FORUMS}.AskForm.meeting": BodyProbe(
        "ask_create",
        _forum,
        lambda w, v: {
            "you_said": "Free bus passes",
            "raised_on": TODAY.isoformat(),
            "meeting": v,
            "addressed_to_role": "Lead Member for Children",
        },
        lambda w: w.meeting.pk,
    ),
    f"{FORUMS}.AskForm.addressed_to": BodyProbe(
        "ask_create",
        _forum,
        lambda w, v: {
            "you_said": "Free bus passes",
            "raised_on": TODAY.isoformat(),
            "addressed_to": v,
        },
        lambda w: w.manager.user_id,
    ),
    f"{FORUMS}.ConsultationDecisionForm.meeting": BodyProbe(
        "consultation_decide",
        lambda w: {"forum_id": w.forum.pk, "consultation_id": w.consultation.pk},
        lambda w, v: {"decision": "schedule", "meeting": v},
        lambda w: w.upcoming.pk,
    ),
    f"{FORUMS}.ForumAdultForm.user": BodyProbe(
        "forum_adult_add",
        _forum,
        lambda w, v: {"user": v, "role": "member", "joined_on": TODAY.isoformat()},
        lambda w: w.manager.user_id,
    ),
    f"{FORUMS}.WorkItemForm.objective": BodyProbe(
        "work_item_create",
        _forum,
        lambda w, v: {"title": "Care leaver offer", "status": "planned", "objective": v},
        lambda w: w.objective.pk,
    ),
    f"{FEEDBACK}.ContactForm.membership": BodyProbe(
        "safeguarding_settings",
        lambda w: {},
        lambda w, v: {"form": "contact", "membership": v},
        lambda w: w.manager.pk,
    ),
    f"{FEEDBACK}.YouSaidWeDidForm.theme": BodyProbe(
        "you_said_create",
        lambda w: {},
        lambda w, v: _you_said_body(w, theme=v),
        lambda w: w.theme.pk,
    ),
    f"{FEEDBACK}.YouSaidWeDidForm.activities": BodyProbe(
        "you_said_create",
        lambda w: {},
        lambda w, v: _you_said_body(w, activities=v),
        lambda w: w.activity.pk,
        multiple=True,
    ),
    f"{FEEDBACK}.YouSaidWeDidForm.owner": BodyProbe(
        "you_said_create",
        lambda w: {},
        lambda w, v: _you_said_body(w, owner=v),
        lambda w: w.officer.user_id,
    ),
    f"{FEEDBACK}.AttachEvidenceForm.action": BodyProbe(
        "you_said_attach",
        lambda w: {"entry_id": w.you_said.pk},
        lambda w, v: {"action": v, "description": "The bus pass scheme"},
        lambda w: w.action.pk,
    ),
    # Ids that views read outside a form.
    "forums.views.meetings.meeting_attendance:status-<young person>": BodyProbe(
        "meeting_attendance",
        _meeting,
        lambda w, v: {
            "version": str(w.meeting.attendance_version),
            f"status-{w.member.young_person_id}": "present",
            f"status-{w.visitor.pk}": "present",
            **{f"status-{pk}": "present" for pk in v},
        },
        lambda w: w.visitor.pk,
        multiple=True,
    ),
    "forums.views.meetings.attendance_visitor:remove young_person": BodyProbe(
        "attendance_visitor_remove",
        _meeting,
        lambda w, v: {"young_person": v},
        lambda w: w.visitor.pk,
        refused_by_redirect=True,
    ),
    "forums.views.meetings.attendance_visitor:join young_person": BodyProbe(
        "attendance_visitor_join",
        _meeting,
        lambda w, v: {"young_person": v},
        lambda w: w.visitor.pk,
        refused_by_redirect=True,
    ),
}


def test_every_id_field_of_every_form_has_a_probe():
    fields = project_model_choice_fields()
    assert len(fields) > 20, "the form walk found too few fields to be looking in the right place"
    missing = sorted(set(fields) - set(BODY_PROBES) - set(NOT_POSTED))
    assert not missing, f"add rows to BODY_PROBES in tests/test_id_mixing.py for: {missing}"
    gone = sorted((set(BODY_PROBES) | set(NOT_POSTED)) - set(fields))
    assert all(":" in key for key in gone), f"these forms or fields no longer exist: {gone}"


def _post(client, probe, a, value):
    url = reverse(probe.url, kwargs={"council_slug": a.council.slug, **probe.kwargs(a)})
    data = probe.body(a, value)
    if probe.files:
        data = {**data, **probe.files(a)}
    return url, client.post(url, data)


@pytest.mark.parametrize("key", sorted(BODY_PROBES))
def test_council_b_ids_in_council_a_forms_are_refused(key, council_a, council_b, admin_a):
    from tests.feedback import factories as fb

    probe = BODY_PROBES[key]
    a, b = world(council_a), world(council_b)
    a.you_said, b.you_said = fb.make_you_said(council_a), fb.make_you_said(council_b)
    client = client_for(admin_a)
    hostile = [probe.id_of(a), probe.id_of(b)] if probe.multiple else probe.id_of(b)
    if key.endswith(":status-<young person>"):
        hostile = [probe.id_of(b)]
    before = snapshot()
    url, response = _post(client, probe, a, hostile)
    if probe.refused_by_redirect:
        assert response.status_code in (302, 404), f"POST {url}: {response.status_code}"
    else:
        assert response.status_code in (200, 400, 404), f"POST {url}: {response.status_code}"
        if response.status_code != 404:
            assert b"govuk-error" in response.content, f"POST {url}: no error shown"
    assert snapshot() == before, f"POST {url} with council B's id changed something"

    # The control: council A's own id goes through, so the refusal came from B's id.
    own = [probe.id_of(a)] if probe.multiple else probe.id_of(a)
    if key.endswith(":status-<young person>"):
        own = []
    url, response = _post(client, probe, a, own)
    assert response.status_code in (200, 302), f"control POST {url}: {response.status_code}"
    assert snapshot() != before, (
        f"control POST {url} with council A's own id changed nothing: "
        + " ".join(_errors(response.content.decode()))
    )


def _errors(html: str) -> list[str]:
    import re

    found = re.findall(r"govuk-error-message\">(.*?)</p>", html, flags=re.S)
    return [re.sub(r"<[^>]+>", "", text).strip() for text in found][:5]


# Ids mixed in URLs -------------------------------------------------------------------------------

NESTED = sorted(
    name
    for name, route in council_object_patterns()
    if route.count("<") - 1 >= 2  # the council and two or more ids
)


def test_the_nested_urls_are_found():
    assert {"forum_member_role", "meeting_guest_remove", "feedback_question_edit"} <= set(NESTED)


@pytest.mark.parametrize("name", NESTED)
def test_council_a_url_with_a_council_b_inner_id_is_404(name, council_a, council_b, admin_a):
    """Council A's forum with council B's member id, A's form with B's question, and so on: for
    each id after the first, B's in turn, and another of A's own parents (same council, wrong
    forum) too."""
    ours, theirs, sibling = (
        PROBES[name](council_a),
        PROBES[name](council_b),
        PROBES[name](council_a),
    )
    client = client_for(admin_a)
    before = snapshot()
    keys = list(ours)
    tried = 0
    for inner in keys[1:]:
        for source in (theirs, sibling):
            kwargs = {**ours, inner: source[inner]}
            url = reverse(name, kwargs={"council_slug": council_a.slug, **kwargs})
            assert client.get(url).status_code == 404, f"GET {url}"
            status = client.post(url, HOSTILE_POST).status_code
            assert status in (404, 405), f"POST {url}: {status}"
            tried += 1
    # And the outer id from B with A's inner one.
    kwargs = {**ours, keys[0]: theirs[keys[0]]}
    url = reverse(name, kwargs={"council_slug": council_a.slug, **kwargs})
    assert client.get(url).status_code == 404, f"GET {url}"
    assert tried
    assert snapshot() == before
    # The unmixed URL opens, so the 404s came from the mixing.
    url = reverse(name, kwargs={"council_slug": council_a.slug, **ours})
    assert client.get(url).status_code in (200, 302, 405), f"GET {url}"
