"""Forums and their members over the API: add, change, archive and restore a forum; add a
member, change their role, record that they left; delete a meeting. Each through the forum
pages' service, with the pages' role rules and words."""

import datetime

from django.utils import timezone

from forums.models import DEFAULT_BOARD, Forum, ForumMember, Meeting
from participation.activities.models import Activity
from participation.models import AuditEvent
from tests.api.helpers import A, B, api_for, messages
from tests.factories import ForumFactory
from tests.forums.factories import ForumMemberFactory, make_meeting
from tests.participation.activities.factories import YoungPersonFactory
from tests.test_cross_council_probe import snapshot


def _quiet(api):
    assert api.get(f"{A}/forums/").status_code == 200  # sets the token's "last used"
    return api


def _days(n: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


FORUM = {"name": "Children in Care Council", "audience": "children_in_care", "meets": "monthly"}


# Forums -------------------------------------------------------------------------------------


def test_an_officer_adds_a_forum_once_however_often_the_call_is_retried(council_a, officer_a):
    api = api_for(officer_a)
    body = {**FORUM, "purpose": "Tell the council what care is like.", "max_age": 17}
    response = api.post(f"{A}/forums/", body, **{"Idempotency-Key": "f1"})
    assert response.status_code == 201, response.json()
    forum = Forum.objects.get()
    assert (forum.council, forum.name, forum.max_age) == (council_a, FORUM["name"], 17)
    assert response.json()["id"] == forum.pk and response.json()["is_archived"] is False
    assert AuditEvent.objects.filter(verb="created forum", subject_id=forum.pk).exists()
    again = api.post(f"{A}/forums/", body, **{"Idempotency-Key": "f1"})
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert Forum.objects.count() == 1


def test_bad_forums_are_refused_with_the_pages_words(council_a, officer_a):
    ForumFactory(council=council_a, name="Youth Council")
    api = _quiet(api_for(officer_a))
    before = snapshot()
    url = f"{A}/forums/"
    assert set(messages(api.post(url, {}))) == {"name", "audience", "meets"}
    unknown = api.post(url, {**FORUM, "terms_of_reference": "x", "council": 2})
    assert set(messages(unknown)) == {"terms_of_reference", "council"}
    wrong = api.post(url, {**FORUM, "audience": "everyone", "min_age": "eleven"})
    assert set(messages(wrong)) == {"audience", "min_age"}
    taken = api.post(url, {**FORUM, "name": " youth council "})
    assert messages(taken) == {"name": ["This council already has a forum with this name."]}
    ages = api.post(url, {**FORUM, "min_age": 16, "max_age": 12})
    assert messages(ages) == {
        "max_age": ["The oldest age must be the same as or more than the youngest."]
    }
    assert messages(api.post(url, {**FORUM, "max_age": 99})) == {
        "max_age": ["Enter an age from 0 to 25."]
    }
    assert snapshot() == before


def test_an_officer_changes_archives_and_restores_a_forum(council_a, officer_a):
    forum = ForumFactory(council=council_a, name="Youth Council")
    api = api_for(officer_a)
    url = f"{A}/forums/{forum.pk}/"
    changed = api.patch(url, {"purpose": "Speak up", "meets": "fortnightly"})
    assert changed.status_code == 200, changed.json()
    assert changed.json()["purpose"] == "Speak up" and changed.json()["name"] == "Youth Council"
    archived = api.patch(url, {"is_archived": True})
    assert archived.status_code == 200 and archived.json()["is_archived"] is True
    assert api.get(f"{A}/forums/").json()["results"] == []  # as the page's list: archived go
    assert api.patch(url, {"is_archived": False}).json()["is_archived"] is False
    verbs = set(AuditEvent.objects.filter(subject_id=forum.pk).values_list("verb", flat=True))
    assert {"changed forum", "archived forum", "restored forum"} <= verbs


def test_a_refused_change_does_not_archive_the_forum(council_a, officer_a):
    ForumFactory(council=council_a, name="Youth Council")
    forum = ForumFactory(council=council_a, name="Care Leavers Forum")
    api = _quiet(api_for(officer_a))
    before = snapshot()
    response = api.patch(f"{A}/forums/{forum.pk}/", {"name": "Youth Council", "is_archived": True})
    assert "name" in messages(response)
    assert set(messages(api.patch(f"{A}/forums/{forum.pk}/", {"id": 3}))) == {"id"}
    assert snapshot() == before


def test_a_practitioner_and_a_read_only_token_cannot_change_forums(council_a, member_a, admin_a):
    forum = ForumFactory(council=council_a)
    for api in (_quiet(api_for(member_a)), _quiet(api_for(admin_a, can_write=False))):
        before = snapshot()
        assert api.post(f"{A}/forums/", FORUM).status_code == 403
        assert api.patch(f"{A}/forums/{forum.pk}/", {"is_archived": True}).status_code == 403
        assert snapshot() == before


# Members ------------------------------------------------------------------------------------


def test_an_officer_adds_a_member_and_a_representative_gets_the_board(council_a, officer_a):
    forum = ForumFactory(council=council_a)
    young_person = YoungPersonFactory(council=council_a)
    api = api_for(officer_a)
    url = f"{A}/forums/{forum.pk}/members/"
    body = {"young_person": young_person.pk, "role": "representative", "joined_on": _days(-3)}
    response = api.post(url, body, **{"Idempotency-Key": "m1"})
    assert response.status_code == 201, response.json()
    member = ForumMember.objects.get()
    assert response.json() == {
        "id": member.pk,
        "young_person": young_person.pk,
        "role": "representative",
        "board": DEFAULT_BOARD,
        "joined_on": _days(-3),
        "left_on": None,
        "updated_at": response.json()["updated_at"],
    }
    assert api.post(url, body, **{"Idempotency-Key": "m1"})["Idempotent-Replayed"] == "true"
    assert ForumMember.objects.count() == 1
    assert AuditEvent.objects.filter(verb="added forum member", subject_id=member.pk).exists()


def test_bad_members_are_refused_and_nothing_changes(council_a, council_b, officer_a):
    forum = ForumFactory(council=council_a)
    archived = ForumFactory(council=council_a, is_archived=True)
    existing = ForumMemberFactory(council=council_a, forum=forum)
    theirs = YoungPersonFactory(council=council_b)
    mine = YoungPersonFactory(council=council_a)
    api = _quiet(api_for(officer_a))
    before = snapshot()
    url = f"{A}/forums/{forum.pk}/members/"
    assert set(messages(api.post(url, {}))) == {"young_person", "joined_on"}
    other = api.post(url, {"young_person": theirs.pk, "joined_on": _days(-1)})
    assert "does not exist" in messages(other)["young_person"][0]
    twice = api.post(url, {"young_person": existing.young_person_id, "joined_on": _days(-1)})
    assert messages(twice) == {
        "young_person": ["This young person is already a member of this forum."]
    }
    future = api.post(url, {"young_person": mine.pk, "joined_on": _days(5)})
    assert messages(future) == {"joined_on": ["The date they joined must be today or in the past."]}
    body = {"young_person": mine.pk, "joined_on": _days(-1)}
    assert set(messages(api.post(url, {**body, "left_on": None}))) == {"left_on"}
    assert set(messages(api.post(url, {**body, "role": "boss"}))) == {"role"}
    gone = api.post(f"{A}/forums/{archived.pk}/members/", body)
    assert gone.status_code == 400 and "archived" in messages(gone)[None][0]
    assert snapshot() == before


def test_an_officer_changes_a_role_then_records_the_leaver(council_a, officer_a):
    member = ForumMemberFactory(council=council_a, joined_on=datetime.date(2026, 1, 10))
    api = api_for(officer_a)
    url = f"{A}/forums/{member.forum_id}/members/{member.pk}/"
    assert api.get(url).json()["role"] == "member"
    role = api.patch(url, {"role": "representative", "board": "Scrutiny Board"})
    assert role.status_code == 200, role.json()
    assert (role.json()["role"], role.json()["board"]) == ("representative", "Scrutiny Board")
    left = api.patch(url, {"left_on": _days(-1)})
    assert left.status_code == 200 and left.json()["left_on"] == _days(-1)
    verbs = set(AuditEvent.objects.filter(subject_id=member.pk).values_list("verb", flat=True))
    assert {"changed forum role", "recorded forum leaver"} <= verbs
    # Someone who has left keeps their record; their role no longer changes.
    again = api.patch(url, {"role": "member"})
    assert "has left the forum" in messages(again)[None][0]


def test_bad_member_changes_are_refused_and_nothing_changes(council_a, officer_a):
    member = ForumMemberFactory(council=council_a, joined_on=datetime.date(2026, 1, 10))
    api = _quiet(api_for(officer_a))
    url = f"{A}/forums/{member.forum_id}/members/{member.pk}/"
    before = snapshot()
    assert "role" in messages(api.patch(url, {}))
    both = api.patch(url, {"role": "member", "left_on": _days(-1)})
    assert "not both" in messages(both)[None][0]
    assert "role" in messages(api.patch(url, {"board": "Scrutiny Board"}))
    early = api.patch(url, {"left_on": "2025-12-01"})
    assert "after the date they joined (10 January 2026)" in messages(early)["left_on"][0]
    assert set(messages(api.patch(url, {"role": "boss"}))) == {"role"}
    assert set(messages(api.patch(url, {"young_person": 1}))) == {"young_person"}
    assert snapshot() == before


def test_members_are_limited_to_the_young_people_a_person_may_see(council_a, member_a):
    """A practitioner sees the members whose records they may see, as in the forum's list."""
    forum = ForumFactory(council=council_a)
    hidden = ForumMemberFactory(council=council_a, forum=forum)
    theirs = ForumMemberFactory(
        council=council_a,
        forum=forum,
        young_person=YoungPersonFactory(council=council_a, created_by=member_a.user),
    )
    api = api_for(member_a)
    url = f"{A}/forums/{forum.pk}/members/"
    assert [m["id"] for m in api.get(url).json()["results"]] == [theirs.pk]
    assert api.get(f"{url}{theirs.pk}/").status_code == 200
    assert messages(api.get(f"{url}{hidden.pk}/")) == {None: ["Not found."]}


def test_a_practitioner_cannot_add_or_change_members(council_a, member_a):
    member = ForumMemberFactory(council=council_a)
    young_person = YoungPersonFactory(council=council_a)
    api = _quiet(api_for(member_a))
    before = snapshot()
    body = {"young_person": young_person.pk, "joined_on": _days(-1)}
    assert api.post(f"{A}/forums/{member.forum_id}/members/", body).status_code == 403
    url = f"{A}/forums/{member.forum_id}/members/{member.pk}/"
    assert api.patch(url, {"left_on": _days(-1)}).status_code == 403
    assert snapshot() == before


def test_a_member_of_another_forum_is_not_found_here(council_a, officer_a):
    member = ForumMemberFactory(council=council_a)
    elsewhere = ForumFactory(council=council_a)
    api = api_for(officer_a)
    assert api.get(f"{A}/forums/{elsewhere.pk}/members/{member.pk}/").status_code == 404


# Deleting a meeting -------------------------------------------------------------------------


def test_an_officer_deletes_a_meeting_and_its_activity_goes_with_it(council_a, officer_a):
    forum = ForumFactory(council=council_a)
    meeting = make_meeting(forum)
    kept = make_meeting(forum, date=timezone.localdate() - datetime.timedelta(days=9))
    api = api_for(officer_a)
    response = api.delete(f"{A}/forums/{forum.pk}/meetings/{meeting.pk}/")
    assert response.status_code == 204
    assert list(Meeting.objects.all()) == [kept]
    assert list(Activity.objects.all()) == [kept.activity]
    assert AuditEvent.objects.filter(verb="deleted forum meeting", subject_id=meeting.pk).exists()
    assert api.delete(f"{A}/forums/{forum.pk}/meetings/{meeting.pk}/").status_code == 404


def test_a_practitioner_and_a_read_only_token_cannot_delete_a_meeting(council_a, member_a, admin_a):
    forum = ForumFactory(council=council_a)
    meeting = make_meeting(forum)
    url = f"{A}/forums/{forum.pk}/meetings/{meeting.pk}/"
    for api in (_quiet(api_for(member_a)), _quiet(api_for(admin_a, can_write=False))):
        before = snapshot()
        assert api.delete(url).status_code == 403
        assert snapshot() == before


# Visitors at a meeting -----------------------------------------------------------------------


def test_an_officer_adds_a_visitor_who_counts_as_present_then_removes_them(council_a, officer_a):
    member = ForumMemberFactory(council=council_a, joined_on=datetime.date(2025, 1, 1))
    meeting = make_meeting(member.forum)
    visitor = YoungPersonFactory(council=council_a)
    api = api_for(officer_a)
    url = f"{A}/forums/{member.forum_id}/meetings/{meeting.pk}/attendance/visitors/"
    assert api.get(url).json() == []
    added = api.post(url, {"young_person": visitor.pk}, **{"Idempotency-Key": "v1"})
    assert added.status_code == 201, added.json()
    assert added.json() == {"young_person": visitor.pk, "status": "present"}
    assert (
        api.post(url, {"young_person": visitor.pk}, **{"Idempotency-Key": "v1"}).status_code == 201
    )
    assert api.get(url).json() == [{"young_person": visitor.pk, "status": "present"}]
    meeting.refresh_from_db()
    assert meeting.attendance_version == 1
    assert meeting.activity.participations.filter(young_person=visitor).exists()
    assert api.get(f"{url}{visitor.pk}/").json()["status"] == "present"
    # A member is not a visitor: they are on the sheet already.
    assert api.get(f"{url}{member.young_person_id}/").status_code == 404
    assert api.delete(f"{url}{visitor.pk}/").status_code == 204
    assert api.get(url).json() == []
    assert not meeting.activity.participations.filter(young_person=visitor).exists()
    assert api.delete(f"{url}{visitor.pk}/").status_code == 404


def test_bad_visitors_are_refused_and_nothing_changes(council_a, council_b, officer_a):
    member = ForumMemberFactory(council=council_a, joined_on=datetime.date(2025, 1, 1))
    meeting = make_meeting(member.forum)
    coming = make_meeting(member.forum, date=timezone.localdate() + datetime.timedelta(days=7))
    theirs = YoungPersonFactory(council=council_b)
    mine = YoungPersonFactory(council=council_a)
    api = _quiet(api_for(officer_a))
    before = snapshot()
    url = f"{A}/forums/{member.forum_id}/meetings/{meeting.pk}/attendance/visitors/"
    other = api.post(url, {"young_person": theirs.pk})
    assert "does not exist" in messages(other)["young_person"][0]
    assert messages(api.post(url, {"young_person": member.young_person_id})) == {
        "young_person": ["This young person is a member: mark them present in the list."]
    }
    assert set(messages(api.post(url, {"young_person": "Sam"}))) == {"young_person"}
    assert set(messages(api.post(url, {"young_person": mine.pk, "status": "absent"}))) == {"status"}
    early_url = f"{A}/forums/{member.forum_id}/meetings/{coming.pk}/attendance/visitors/"
    early = api.post(early_url, {"young_person": mine.pk})
    assert "has not happened yet" in messages(early)[None][0]
    assert api.delete(f"{url}{member.young_person_id}/").status_code == 404
    assert snapshot() == before


def test_a_practitioner_cannot_add_or_remove_visitors(council_a, member_a):
    forum = ForumFactory(council=council_a)
    meeting = make_meeting(forum)
    visitor = YoungPersonFactory(council=council_a, created_by=member_a.user)
    api = _quiet(api_for(member_a))
    before = snapshot()
    url = f"{A}/forums/{forum.pk}/meetings/{meeting.pk}/attendance/visitors/"
    assert api.post(url, {"young_person": visitor.pk}).status_code == 403
    assert api.delete(f"{url}{visitor.pk}/").status_code == 403
    assert snapshot() == before


def test_council_b_reaches_none_of_these_writes(council_a, admin_b):
    member = ForumMemberFactory(council=council_a)
    meeting = make_meeting(member.forum)
    young_person = YoungPersonFactory(council=council_a)
    forum = f"forums/{member.forum_id}"
    api = api_for(admin_b)
    assert api.get(f"{B}/forums/").status_code == 200
    before = snapshot()
    for base in (A, B):
        assert api.patch(f"{base}/{forum}/", {"is_archived": True}).status_code == 404
        body = {"young_person": young_person.pk, "joined_on": _days(-1)}
        assert api.post(f"{base}/{forum}/members/", body).status_code == 404
        member_url = f"{base}/{forum}/members/{member.pk}/"
        assert api.patch(member_url, {"left_on": _days(-1)}).status_code == 404
        assert api.delete(f"{base}/{forum}/meetings/{meeting.pk}/").status_code == 404
        visitors = f"{base}/{forum}/meetings/{meeting.pk}/attendance/visitors/"
        assert api.post(visitors, {"young_person": young_person.pk}).status_code == 404
        assert api.delete(f"{visitors}{young_person.pk}/").status_code == 404
    assert api.post(f"{A}/forums/", FORUM).status_code == 404
    assert snapshot() == before
