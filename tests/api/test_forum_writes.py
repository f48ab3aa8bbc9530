"""Forum writes over the API: meetings, attendance, asks and answers, consultation requests,
each through the forum pages' service and with the pages' role rules."""

import datetime
import uuid

from django.utils import timezone

from forums.models import Ask, AskAnswer, Attendance, ConsultationRequest, Meeting
from participation.activities.models import Activity
from participation.models import AuditEvent
from tests.api.helpers import A, B, api_for, messages
from tests.factories import ForumFactory, MembershipFactory
from tests.forums.factories import ForumMemberFactory, make_ask, make_meeting
from tests.participation.activities.factories import YoungPersonFactory
from tests.test_cross_council_probe import snapshot


def _quiet(api):
    assert api.get(f"{A}/forums/").status_code == 200  # sets the token's "last used"
    return api


def _days(n: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


# Meetings -----------------------------------------------------------------------------------


def test_an_officer_records_a_meeting_and_its_activity_is_logged(council_a, officer_a):
    forum = ForumFactory(council=council_a, name="Children in Care Council")
    body = {"date": _days(-2), "place": "Youth Hub", "agenda": "Bus passes"}
    api = api_for(officer_a)
    response = api.post(f"{A}/forums/{forum.pk}/meetings/", body, **{"Idempotency-Key": "m1"})
    assert response.status_code == 201, response.json()
    meeting = Meeting.objects.get()
    assert response.json()["id"] == meeting.pk and response.json()["present_count"] == 0
    assert meeting.activity.title == "Children in Care Council meeting"
    assert AuditEvent.objects.filter(verb="recorded forum meeting", subject_id=meeting.pk).exists()
    # The retry gets the first answer and makes nothing new.
    again = api.post(f"{A}/forums/{forum.pk}/meetings/", body, **{"Idempotency-Key": "m1"})
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert Meeting.objects.count() == 1 and Activity.objects.count() == 1


def test_a_practitioner_cannot_record_or_change_a_meeting(council_a, member_a):
    forum = ForumFactory(council=council_a)
    meeting = make_meeting(forum)
    api = _quiet(api_for(member_a))
    before = snapshot()
    body = {"date": _days(-1), "place": "Hub"}
    assert api.post(f"{A}/forums/{forum.pk}/meetings/", body).status_code == 403
    url = f"{A}/forums/{forum.pk}/meetings/{meeting.pk}/"
    assert api.patch(url, {"place": "Elsewhere"}).status_code == 403
    assert snapshot() == before


def test_bad_meetings_are_refused_with_the_pages_words(council_a, officer_a):
    forum = ForumFactory(council=council_a)
    archived = ForumFactory(council=council_a, is_archived=True)
    api = _quiet(api_for(officer_a))
    before = snapshot()
    url = f"{A}/forums/{forum.pk}/meetings/"
    unknown = api.post(url, {"date": _days(-1), "place": "Hub", "activity": 3})
    assert messages(unknown) == {"activity": ["This field is not accepted here."]}
    wrong = api.post(url, {"date": "Tuesday", "starts_at": "teatime", "online": "maybe"})
    assert set(messages(wrong)) == {"date", "starts_at", "online"}
    nowhere = api.post(url, {"date": _days(-1)})
    assert messages(nowhere) == {
        "place": ["Enter where the meeting is, or tick that it is online."]
    }
    gone = api.post(f"{A}/forums/{archived.pk}/meetings/", {"date": _days(-1), "place": "Hub"})
    assert gone.status_code == 400 and "archived" in messages(gone)[None][0]
    assert snapshot() == before


def test_changing_a_meeting_changes_its_activity(council_a, officer_a):
    forum = ForumFactory(council=council_a)
    meeting = make_meeting(forum)
    url = f"{A}/forums/{forum.pk}/meetings/{meeting.pk}/"
    response = api_for(officer_a).patch(url, {"summary": "We talked about bus passes."})
    assert response.status_code == 200, response.json()
    assert response.json()["summary"] == "We talked about bus passes."
    meeting.activity.refresh_from_db()
    assert meeting.activity.what_young_people_said == "We talked about bus passes."
    bad = api_for(officer_a).patch(url, {"ends_at": "09:00", "starts_at": "10:00"})
    assert bad.status_code == 400 and "ends_at" in messages(bad)


# Attendance ---------------------------------------------------------------------------------


def _sheet(council):
    member = ForumMemberFactory(council=council)
    meeting = make_meeting(member.forum)
    return member, meeting, f"{A}/forums/{member.forum_id}/meetings/{meeting.pk}/attendance/"


def test_recording_attendance_through_the_pages_service(council_a, officer_a):
    member, meeting, url = _sheet(council_a)
    api = api_for(officer_a)
    sheet = api.get(url).json()
    assert sheet == {
        "version": 0,
        "attendance": [{"young_person": member.young_person_id, "status": "", "is_member": True}],
    }
    body = {
        "version": 0,
        "attendance": [{"young_person": member.young_person_id, "status": "present"}],
    }
    response = api.put(url, body)
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 1
    assert response.json()["attendance"][0]["status"] == "present"
    assert Attendance.objects.get().status == "present"
    meeting.activity.refresh_from_db()
    assert list(meeting.activity.participations.values_list("young_person", flat=True)) == [
        member.young_person_id
    ]
    # The same version again: someone saved since, nothing is saved.
    stale = api.put(url, {**body, "attendance": [{**body["attendance"][0], "status": "absent"}]})
    assert stale.status_code == 400 and "Someone else saved" in messages(stale)[None][0]
    assert Attendance.objects.get().status == "present"


def test_bad_attendance_is_refused_and_nothing_changes(council_a, council_b, officer_a):
    member, meeting, url = _sheet(council_a)
    theirs = YoungPersonFactory(council=council_b).pk
    stranger = YoungPersonFactory(council=council_a).pk
    api = _quiet(api_for(officer_a))
    read_only = _quiet(api_for(officer_a, can_write=False))
    before = snapshot()
    mark = {"young_person": member.young_person_id, "status": "present"}
    other = api.put(
        url, {"version": 0, "attendance": [{"young_person": theirs, "status": "present"}]}
    )
    assert (
        other.status_code == 400
        and "does not exist" in messages(other)["attendance[0].young_person"][0]
    )
    not_member = api.put(
        url, {"version": 0, "attendance": [mark, {"young_person": stranger, "status": "present"}]}
    )
    assert not_member.status_code == 400 and "members of the forum" in messages(not_member)[None][0]
    wrong = api.put(url, {"version": "new", "attendance": [{**mark, "status": "late"}]})
    assert set(messages(wrong)) == {"version", "attendance[0].status"}
    twice = api.put(url, {"version": 0, "attendance": [mark, mark]})
    assert messages(twice) == {"attendance": ["Give each young person once."]}
    unknown = api.put(url, {"version": 0, "attendance": [mark], "notes": "x"})
    assert set(messages(unknown)) == {"notes"}
    assert read_only.put(url, {"version": 0, "attendance": [mark]}).status_code == 403
    assert snapshot() == before


# Asks and answers ---------------------------------------------------------------------------


def test_an_officer_records_an_ask_for_a_manager(council_a, officer_a, manager_a):
    forum = ForumFactory(council=council_a)
    meeting = make_meeting(forum)
    body = {
        "you_said": "Free bus passes for care leavers.",
        "raised_on": _days(-1),
        "addressed_to": manager_a.user_id,
        "meeting": meeting.pk,
        "due_on": _days(20),
    }
    response = api_for(officer_a).post(
        f"{A}/forums/{forum.pk}/asks/", body, **{"Idempotency-Key": str(uuid.uuid4())}
    )
    assert response.status_code == 201, response.json()
    ask = Ask.objects.get()
    assert ask.addressed_to == manager_a.user and ask.meeting == meeting
    assert AuditEvent.objects.filter(verb="recorded forum ask", subject_id=ask.pk).exists()


def test_asks_refuse_another_councils_person_and_another_forums_meeting(
    council_a, council_b, officer_a, member_a
):
    forum = ForumFactory(council=council_a)
    other_forum_meeting = make_meeting(ForumFactory(council=council_a))
    their_manager = MembershipFactory(council=council_b, role="manager").user_id
    api = _quiet(api_for(officer_a))
    member = _quiet(api_for(member_a))
    before = snapshot()
    url = f"{A}/forums/{forum.pk}/asks/"
    body = {"you_said": "x", "raised_on": _days(-1)}
    response = api.post(
        url, {**body, "addressed_to": their_manager, "meeting": other_forum_meeting.pk}
    )
    assert response.status_code == 400
    errors = messages(response)
    assert set(errors) == {"addressed_to", "meeting"}
    assert all("does not exist" in errors[field][0] for field in errors)
    # A practitioner cannot be asked (the page's list is managers, officers and admins).
    practitioner = api.post(url, {**body, "addressed_to": member_a.user_id})
    assert "does not exist" in messages(practitioner)["addressed_to"][0]
    nobody = api.post(url, body)
    assert "addressed_to" in messages(nobody)
    assert member.post(url, {**body, "addressed_to_role": "Mayor"}).status_code == 403
    assert snapshot() == before


def test_the_manager_it_is_addressed_to_answers_it(council_a, manager_a, officer_a):
    forum = ForumFactory(council=council_a)
    ask = make_ask(forum, addressed_to=manager_a.user, addressed_to_role="")
    url = f"{A}/forums/{forum.pk}/asks/{ask.pk}/answers/"
    response = api_for(manager_a).post(url, {"status": "answered", "response": "Done from May."})
    assert response.status_code == 201, response.json()
    ask.refresh_from_db()
    assert ask.status == "answered" and ask.response == "Done from May."
    assert response.json()["id"] == AskAnswer.objects.get().pk
    # Answered again, the earlier answer stays in the history.
    api_for(officer_a).post(url, {"status": "partly_done", "response": "Half of it."})
    history = api_for(manager_a).get(url).json()["results"]
    assert [a["status"] for a in history] == ["partly_done", "answered"]


def test_only_officers_and_the_person_asked_answer(council_a, manager_a, member_a):
    forum = ForumFactory(council=council_a)
    ask = make_ask(forum)  # addressed to a role outside Heard
    url = f"{A}/forums/{forum.pk}/asks/{ask.pk}/answers/"
    manager = _quiet(api_for(manager_a))
    member = _quiet(api_for(member_a))
    before = snapshot()
    body = {"status": "answered", "response": "Yes"}
    assert manager.post(url, body).status_code == 403
    assert member.post(url, body).status_code == 403
    assert snapshot() == before


def test_bad_answers_are_refused(council_a, officer_a):
    forum = ForumFactory(council=council_a)
    ask = make_ask(forum)
    url = f"{A}/forums/{forum.pk}/asks/{ask.pk}/answers/"
    api = _quiet(api_for(officer_a))
    before = snapshot()
    assert set(messages(api.post(url, {"status": "open", "response": ""}))) == {
        "status",
        "response",
    }
    assert set(messages(api.post(url, {"status": "answered", "response": "x", "by": 1}))) == {"by"}
    blank = api.post(url, {"status": "answered", "response": "   "})
    assert messages(blank) == {"response": ["This field may not be blank."]}
    assert snapshot() == before


# Consultation requests ----------------------------------------------------------------------


def test_anyone_asks_to_consult_a_forum_and_sees_their_request(council_a, member_a, manager_a):
    forum = ForumFactory(council=council_a)
    body = {
        "topic": "Placement sufficiency",
        "reason": "To change the plan",
        "needed_by": _days(30),
        "format": "discussion",
    }
    api = api_for(member_a)
    response = api.post(f"{A}/forums/{forum.pk}/consultations/", body, **{"Idempotency-Key": "c"})
    assert response.status_code == 201, response.json()
    request = ConsultationRequest.objects.get()
    assert request.requested_by == member_a.user and request.status == "submitted"
    url = f"{A}/forums/{forum.pk}/consultations/{request.pk}/"
    assert api.get(url).json()["topic"] == "Placement sufficiency"
    # Someone else who is not an officer does not see it, and the requester cannot decide it.
    assert api_for(manager_a).get(url).status_code == 403
    assert api.patch(url, {"decision": "accept"}).status_code == 403
    past = api.post(f"{A}/forums/{forum.pk}/consultations/", {**body, "needed_by": _days(-1)})
    assert "today or later" in messages(past)["needed_by"][0]
    assert ConsultationRequest.objects.count() == 1


def _request(council):
    forum = ForumFactory(council=council)
    request = ConsultationRequest.objects.create(
        council=council,
        forum=forum,
        requested_by=MembershipFactory(council=council).user,
        topic="Placements",
        reason="To change the plan",
        needed_by=timezone.localdate() + datetime.timedelta(days=30),
        format="discussion",
    )
    return request, f"{A}/forums/{forum.pk}/consultations/{request.pk}/"


def test_an_officer_decides_then_records_what_the_forum_said(council_a, officer_a):
    request, url = _request(council_a)
    api = api_for(officer_a)
    coming = make_meeting(request.forum, date=timezone.localdate() + datetime.timedelta(days=7))
    response = api.patch(url, {"decision": "schedule", "meeting": coming.pk})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "scheduled" and response.json()["meeting"] == coming.pk
    said = api.patch(url, {"forum_said": "They want more say in placements."})
    assert said.status_code == 200 and said.json()["status"] == "done"
    request.refresh_from_db()
    assert request.forum_said == "They want more say in placements."


def test_bad_decisions_are_refused_and_nothing_changes(council_a, council_b, officer_a):
    request, url = _request(council_a)
    their_meeting = make_meeting(ForumFactory(council=council_b))
    api = _quiet(api_for(officer_a))
    before = snapshot()
    assert "decline_reason" in messages(api.patch(url, {"decision": "decline"}))
    other = api.patch(url, {"decision": "schedule", "meeting": their_meeting.pk})
    assert "does not exist" in messages(other)["meeting"][0]
    both = api.patch(url, {"decision": "accept", "forum_said": "x"})
    assert both.status_code == 400 and "not both" in messages(both)[None][0]
    assert "decision" in messages(api.patch(url, {}))
    early = api.patch(url, {"forum_said": "Too early"})
    assert "Accept or schedule" in messages(early)[None][0]
    assert set(messages(api.patch(url, {"decision": "accept", "status": "done"}))) == {"status"}
    assert set(messages(api.patch(url, {"decision": "maybe"}))) == {"decision"}
    assert snapshot() == before


def test_council_b_reaches_none_of_the_forum_writes(council_a, admin_b):
    request, url = _request(council_a)
    ask = make_ask(request.forum)
    meeting = make_meeting(request.forum)
    forum = f"forums/{request.forum_id}"
    api = api_for(admin_b)
    assert api.get(f"{B}/forums/").status_code == 200
    before = snapshot()
    for base in (A, B):
        assert api.post(f"{base}/{forum}/meetings/", {"date": _days(-1)}).status_code == 404
        assert api.patch(f"{base}/{forum}/meetings/{meeting.pk}/", {}).status_code == 404
        assert api.put(f"{base}/{forum}/meetings/{meeting.pk}/attendance/", {}).status_code == 404
        assert api.post(f"{base}/{forum}/asks/", {}).status_code == 404
        assert api.post(f"{base}/{forum}/asks/{ask.pk}/answers/", {}).status_code == 404
        assert api.post(f"{base}/{forum}/consultations/", {}).status_code == 404
        assert api.patch(f"{base}/{forum}/consultations/{request.pk}/", {}).status_code == 404
    assert snapshot() == before
