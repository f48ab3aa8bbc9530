"""Changing and deleting activities and young people: the pages' services and role rules."""

from participation.activities.models import Activity, YoungPerson
from participation.models import AuditEvent
from tests.api.helpers import A, B, api_for, messages
from tests.factories import ForumFactory
from tests.forums.factories import make_meeting
from tests.participation.activities.factories import (
    ActivityFactory,
    ParticipationFactory,
    ServiceAreaFactory,
    YoungPersonFactory,
)
from tests.test_cross_council_probe import snapshot


def _quiet(api):
    """Sets the token's "last used" first, so a snapshot after a refused write is unchanged."""
    assert api.get(f"{A}/activity-kinds/").status_code in (200, 404)
    return api


# Activities ---------------------------------------------------------------------------------


def test_an_officer_changes_any_activity_through_the_pages_service(council_a, officer_a):
    activity = ActivityFactory(council=council_a, title="Old title")
    area = ServiceAreaFactory(council=council_a)
    response = api_for(officer_a).patch(
        f"{A}/activities/{activity.pk}/", {"title": " New title ", "service_areas": [area.pk]}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["title"] == "New title"
    assert response.json()["service_areas"] == [area.pk]
    activity.refresh_from_db()
    assert activity.title == "New title"
    assert AuditEvent.objects.filter(verb="changed activity", subject_id=activity.pk).exists()


def test_a_patch_leaves_the_fields_not_sent(council_a, officer_a):
    activity = ActivityFactory(council=council_a, count_young_people=7, lundy_voice=True)
    person = YoungPersonFactory(council=council_a)
    ParticipationFactory(activity=activity, young_person=person)
    response = api_for(officer_a).patch(f"{A}/activities/{activity.pk}/", {"title": "Renamed"})
    assert response.status_code == 200
    activity.refresh_from_db()
    assert activity.count_young_people == 7 and activity.lundy_voice
    assert list(activity.participations.values_list("young_person", flat=True)) == [person.pk]


def test_a_practitioner_changes_only_the_activities_they_lead_or_logged(council_a, member_a):
    theirs = ActivityFactory(council=council_a, lead_worker=member_a.user)
    other = ActivityFactory(council=council_a, title="Someone else's")
    api = _quiet(api_for(member_a))
    assert api.patch(f"{A}/activities/{theirs.pk}/", {"title": "Mine"}).status_code == 200
    before = snapshot()
    response = api.patch(f"{A}/activities/{other.pk}/", {"title": "Taken"})
    assert response.status_code == 403 and "lead worker" in messages(response)[None][0]
    assert api.delete(f"{A}/activities/{other.pk}/").status_code == 403
    assert snapshot() == before


def test_a_manager_cannot_change_or_delete_an_activity(council_a, manager_a):
    activity = ActivityFactory(council=council_a, lead_worker=manager_a.user)
    api = _quiet(api_for(manager_a))
    before = snapshot()
    assert api.patch(f"{A}/activities/{activity.pk}/", {"title": "x"}).status_code == 403
    assert api.delete(f"{A}/activities/{activity.pk}/").status_code == 403
    assert snapshot() == before


def test_bad_changes_are_refused_and_nothing_changes(council_a, council_b, officer_a):
    activity = ActivityFactory(council=council_a)
    their_area = ServiceAreaFactory(council=council_b).pk
    their_person = YoungPersonFactory(council=council_b).pk
    api = _quiet(api_for(officer_a))
    before = snapshot()
    unknown = api.patch(f"{A}/activities/{activity.pk}/", {"colour": "blue", "id": 9})
    assert unknown.status_code == 400
    assert set(messages(unknown)) == {"colour", "id"}
    wrong = api.patch(f"{A}/activities/{activity.pk}/", {"starts_on": "soon", "ladder_rung": "x"})
    assert wrong.status_code == 400 and set(messages(wrong)) == {"starts_on", "ladder_rung"}
    theirs = api.patch(
        f"{A}/activities/{activity.pk}/",
        {"service_areas": [their_area], "young_people": [their_person]},
    )
    assert theirs.status_code == 400
    assert set(messages(theirs)) == {"service_areas[0]", "young_people[0]"}
    rule = api.patch(f"{A}/activities/{activity.pk}/", {"ends_on": "2000-01-01"})
    assert rule.status_code == 400 and "ends_on" in messages(rule)
    not_object = api.patch(f"{A}/activities/{activity.pk}/", "[1]")
    assert not_object.status_code == 400
    assert snapshot() == before
    activity.refresh_from_db()
    assert activity.ends_on is None


def test_a_read_only_token_cannot_change_or_delete(council_a, officer_a):
    activity = ActivityFactory(council=council_a)
    api = _quiet(api_for(officer_a, can_write=False))
    before = snapshot()
    response = api.patch(f"{A}/activities/{activity.pk}/", {"title": "x"})
    assert response.status_code == 403 and "read-only" in messages(response)[None][0]
    assert api.delete(f"{A}/activities/{activity.pk}/").status_code == 403
    assert snapshot() == before


def test_deleting_an_activity_is_the_pages_deletion(council_a, officer_a):
    activity = ActivityFactory(council=council_a)
    ParticipationFactory(activity=activity)
    response = api_for(officer_a).delete(f"{A}/activities/{activity.pk}/")
    assert response.status_code == 204 and not response.content
    assert not Activity.objects.filter(pk=activity.pk).exists()
    assert AuditEvent.objects.filter(verb="deleted activity", subject_id=activity.pk).exists()
    assert api_for(officer_a).get(f"{A}/activities/{activity.pk}/").status_code == 404


def test_a_forum_meetings_activity_is_changed_through_the_meeting(council_a, officer_a):
    meeting = make_meeting(ForumFactory(council=council_a))
    api = _quiet(api_for(officer_a))
    before = snapshot()
    for response in (
        api.patch(f"{A}/activities/{meeting.activity_id}/", {"title": "x"}),
        api.delete(f"{A}/activities/{meeting.activity_id}/"),
    ):
        assert response.status_code == 400
        assert "forum meeting" in messages(response)[None][0]
    assert snapshot() == before


def test_council_b_cannot_change_or_delete_council_as_activity(council_a, admin_b):
    activity = ActivityFactory(council=council_a)
    api = api_for(admin_b)
    assert api.get(f"{B}/activities/").status_code == 200
    before = snapshot()
    for url in (f"{A}/activities/{activity.pk}/", f"{B}/activities/{activity.pk}/"):
        assert api.patch(url, {"title": "x"}).status_code == 404
        assert api.delete(url).status_code == 404
    assert snapshot() == before


# Young people -------------------------------------------------------------------------------


def test_changing_a_young_persons_record_calls_the_pages_service(council_a, officer_a):
    person = YoungPersonFactory(council=council_a, preferred_name="Sam")
    response = api_for(officer_a).patch(
        f"{A}/young-people/{person.pk}/", {"preferred_name": " Sammy ", "ethnicity": "white"}
    )
    assert response.status_code == 200, response.json()
    person.refresh_from_db()
    assert person.preferred_name == "Sammy" and person.ethnicity == "white"
    assert AuditEvent.objects.filter(verb="changed young person", subject_id=person.pk).exists()


def test_a_practitioner_changes_only_visible_people_and_no_equality_data(council_a, member_a):
    mine = YoungPersonFactory(council=council_a)
    ParticipationFactory(
        activity=ActivityFactory(council=council_a, lead_worker=member_a.user), young_person=mine
    )
    hidden = YoungPersonFactory(council=council_a, preferred_name="Hidden")
    api = _quiet(api_for(member_a))
    assert api.patch(f"{A}/young-people/{mine.pk}/", {"preferred_name": "Jo"}).status_code == 200
    before = snapshot()
    assert api.patch(f"{A}/young-people/{hidden.pk}/", {"preferred_name": "x"}).status_code == 404
    equality = api.patch(f"{A}/young-people/{mine.pk}/", {"gender": "girl"})
    assert equality.status_code == 400
    assert messages(equality) == {"gender": ["Your role cannot record equality data."]}
    # Deleting a record is for officers, as on the page.
    assert api.delete(f"{A}/young-people/{mine.pk}/").status_code == 403
    assert snapshot() == before


def test_bad_changes_to_a_record_are_refused(council_a, officer_a):
    person = YoungPersonFactory(council=council_a)
    other = YoungPersonFactory(council=council_a)
    api = _quiet(api_for(officer_a))
    read_only = _quiet(api_for(officer_a, can_write=False))
    before = snapshot()
    assert set(messages(api.patch(f"{A}/young-people/{person.pk}/", {"nhs": "1"}))) == {"nhs"}
    wrong = api.patch(f"{A}/young-people/{person.pk}/", {"date_of_birth": "last year"})
    assert wrong.status_code == 400 and "date_of_birth" in messages(wrong)
    clash = api.patch(f"{A}/young-people/{person.pk}/", {"reference": other.reference})
    assert clash.status_code == 400
    assert messages(clash)["reference"] == [
        "Another young person in this council has this reference."
    ]
    assert read_only.patch(
        f"{A}/young-people/{person.pk}/", {"preferred_name": "x"}
    ).status_code == (403)
    assert snapshot() == before


def test_deleting_a_record_is_the_pages_deletion_and_activities_stay(council_a, officer_a):
    person = YoungPersonFactory(council=council_a)
    activity = ActivityFactory(council=council_a)
    ParticipationFactory(activity=activity, young_person=person)
    response = api_for(officer_a).delete(f"{A}/young-people/{person.pk}/")
    assert response.status_code == 204
    assert not YoungPerson.objects.filter(pk=person.pk).exists()
    assert Activity.objects.filter(pk=activity.pk).exists()
    assert AuditEvent.objects.filter(verb="deleted young person", subject_id=person.pk).exists()


def test_council_b_cannot_change_or_delete_council_as_young_person(council_a, admin_b):
    person = YoungPersonFactory(council=council_a)
    api = api_for(admin_b)
    assert api.get(f"{B}/activities/").status_code == 200
    before = snapshot()
    for url in (f"{A}/young-people/{person.pk}/", f"{B}/young-people/{person.pk}/"):
        assert api.patch(url, {"preferred_name": "x"}).status_code == 404
        assert api.delete(url).status_code == 404
    assert snapshot() == before
