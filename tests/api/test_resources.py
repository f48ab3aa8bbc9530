"""Each resource answers as its pages do: the same roles, the same selectors, the same services."""

from datetime import date, timedelta

from django.utils import timezone

from participation.activities.models import Activity, YoungPerson
from participation.models import AuditEvent
from participation.strategy.models import StatusUpdate
from tests.api.helpers import A, api_for, messages
from tests.factories import ForumFactory
from tests.participation.activities.factories import (
    ActivityFactory,
    ActivityKindFactory,
    ParticipationFactory,
    YoungPersonFactory,
)
from tests.participation.strategy.factories import ActionFactory


def _activity_body(council, **extra):
    return {
        "title": "Young Inspectors visit",
        "starts_on": "2026-05-12",
        "kind": ActivityKindFactory(council=council, name="Focus group").pk,
        "participation_type": "consultation",
        "ladder_rung": 6,
        "lundy_voice": True,
        **extra,
    }


def test_logging_an_activity_calls_the_pages_service(council_a, member_a):
    body = _activity_body(council_a, lead_worker=member_a.user_id, count_young_people=4)
    response = api_for(member_a).post(f"{A}/activities/", body)
    assert response.status_code == 201, response.json()
    activity = Activity.objects.get()
    assert response.json()["id"] == activity.pk and activity.created_by == member_a.user
    assert activity.ladder_rung == 6 and activity.lundy_voice
    # The service's audit entry, as the page leaves it.
    assert AuditEvent.objects.filter(verb="logged activity", subject_id=activity.pk).exists()


def test_the_services_rules_come_back_as_field_errors(council_a, officer_a):
    future = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = api_for(officer_a).post(
        f"{A}/activities/", _activity_body(council_a, starts_on=future, status="done")
    )
    assert response.status_code == 400
    assert "A done activity cannot have a date in the future" in messages(response)["starts_on"][0]
    assert not Activity.objects.exists()


def test_a_manager_may_read_activities_but_not_log_them(council_a, manager_a):
    api = api_for(manager_a)
    assert api.get(f"{A}/activities/").status_code == 200
    response = api.post(f"{A}/activities/", _activity_body(council_a))
    assert response.status_code == 403
    assert messages(response) == {None: ["Your role does not include this."]}
    assert not Activity.objects.exists()


def test_a_practitioner_sees_only_their_young_people_and_no_equality_data(
    council_a, member_a, admin_a
):
    theirs = YoungPersonFactory(council=council_a, ethnicity="white", gender="girl")
    ParticipationFactory(
        activity=ActivityFactory(council=council_a, lead_worker=member_a.user), young_person=theirs
    )
    other = YoungPersonFactory(council=council_a)
    api = api_for(member_a)
    listed = api.get(f"{A}/young-people/").json()["results"]
    assert [p["id"] for p in listed] == [theirs.pk]
    assert "ethnicity" not in listed[0] and "gender" not in listed[0]
    assert api.get(f"{A}/young-people/{other.pk}/").status_code == 404
    shown = api.get(f"{A}/young-people/{theirs.pk}/").json()
    assert shown["preferred_name"] == theirs.preferred_name and "disability" not in shown
    # The admin has "young_people.equality".
    full = api_for(admin_a).get(f"{A}/young-people/{theirs.pk}/").json()
    assert full["ethnicity"] == "white" and full["gender"] == "girl"


def test_a_practitioner_cannot_name_young_people_they_cannot_see(council_a, member_a):
    hidden = YoungPersonFactory(council=council_a)
    response = api_for(member_a).post(
        f"{A}/activities/", _activity_body(council_a, young_people=[hidden.pk])
    )
    assert response.status_code == 400 and "young_people[0]" in messages(response)
    assert not Activity.objects.exists()


def test_young_person_create_and_equality_only_for_roles_that_may(council_a, member_a, officer_a):
    body = {"preferred_name": "Sam", "age_band": "13_15", "in_care": True}
    refused = api_for(member_a).post(f"{A}/young-people/", {**body, "ethnicity": "white"})
    assert refused.status_code == 400
    assert messages(refused) == {"ethnicity": ["Your role cannot record equality data."]}
    assert not YoungPerson.objects.exists()
    made = api_for(officer_a).post(f"{A}/young-people/", {**body, "ethnicity": "white"})
    assert made.status_code == 201, made.json()
    person = YoungPerson.objects.get()
    assert person.reference == "YP-0001" and person.ethnicity == "white"
    assert made.json()["reference"] == "YP-0001"


def test_reach_figures_are_for_managers_and_officers_and_suppressed(council_a, member_a, manager_a):
    today = timezone.localdate()
    activity = ActivityFactory(council=council_a, starts_on=today)
    for _ in range(3):
        ParticipationFactory(activity=activity)
    assert api_for(member_a).get(f"{A}/figures/reach/").status_code == 403
    reach = api_for(manager_a).get(f"{A}/figures/reach/").json()
    assert reach["young_people_reached"] == "fewer than 5"
    quarters = api_for(manager_a).get(f"{A}/figures/activities-by-quarter/").json()["quarters"]
    assert len(quarters) == 4
    assert quarters[0]["activities"] == 1
    assert quarters[0]["young_people_reached"] == "fewer than 5"


def test_action_status_counts_match_the_dashboard(council_a, member_a):
    ActionFactory(council=council_a, status="on_track", due_date=date(2099, 1, 1))
    ActionFactory(council=council_a, status="on_track", due_date=date(2000, 1, 1))
    body = api_for(member_a).get(f"{A}/figures/action-status/").json()
    assert body["total"] == 2
    assert body["by_status"]["on_track"] == 1 and body["by_status"]["overdue"] == 1


def test_status_updates_by_owner_manager_or_officer_only(council_a, member_a, manager_a):
    action = ActionFactory(council=council_a, status="not_started")
    url = f"{A}/actions/{action.pk}/status-updates/"
    refused = api_for(member_a).post(url, {"status": "on_track", "commentary": "Started"})
    assert refused.status_code == 403 and not StatusUpdate.objects.exists()
    made = api_for(manager_a).post(url, {"status": "on_track", "commentary": "Started"})
    assert made.status_code == 201, made.json()
    action.refresh_from_db()
    assert action.status == "on_track"
    history = api_for(member_a).get(url).json()["results"]
    assert [(u["status"], u["commentary"]) for u in history] == [("on_track", "Started")]
    # The service's rule: no change and no comment is refused, with its words.
    same = api_for(manager_a).post(url, {"status": "on_track"})
    assert same.status_code == 400 and "commentary" in messages(same)


def test_action_owner_may_update_whatever_their_role(council_a, member_a):
    action = ActionFactory(council=council_a, owner=member_a)
    url = f"{A}/actions/{action.pk}/status-updates/"
    assert api_for(member_a).post(url, {"status": "on_track"}).status_code == 201


def test_forum_list_filters_like_the_page(council_a, member_a):
    ForumFactory(council=council_a, name="Youth Council")
    ForumFactory(council=council_a, name="Care Leavers Forum")
    body = api_for(member_a).get(f"{A}/forums/", {"q": "youth"}).json()
    assert [f["name"] for f in body["results"]] == ["Youth Council"]


def test_reports_list_request_and_download_by_role(council_a, member_a, manager_a, officer_a):
    from reporting.models import ReportRun
    from reporting.selectors import quarter_choices
    from tests.reporting.factories import make_final_run

    run = make_final_run(council_a)
    assert api_for(member_a).get(f"{A}/reports/").status_code == 403
    listed = api_for(manager_a).get(f"{A}/reports/").json()["results"]
    assert [(r["id"], r["ready"]) for r in listed] == [(run.pk, True)]
    pdf = api_for(manager_a).get(f"{A}/reports/{run.pk}/download/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Type"] == "application/pdf"
    # Managers read reports; officers write them.
    start = quarter_choices(council=council_a, today=timezone.localdate())[0].start.isoformat()
    body = {"quarter_start": start, "audience": run.audience}
    assert api_for(manager_a).post(f"{A}/reports/", body).status_code == 403
    made = api_for(officer_a).post(f"{A}/reports/", body)
    assert made.status_code == 201, made.json()
    assert ReportRun.objects.count() == 2
    wrong = api_for(officer_a).post(f"{A}/reports/", {**body, "quarter_start": "2001-01-01"})
    assert wrong.status_code == 400 and "quarter_start" in messages(wrong)
