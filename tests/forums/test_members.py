import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from forums import services
from forums.models import ForumMember
from participation.models import AuditEvent
from tests.conftest import client_for
from tests.factories import ForumFactory
from tests.forums.factories import ForumMemberFactory
from tests.participation.activities.factories import (
    ActivityFactory,
    ParticipationFactory,
    YoungPersonFactory,
)
from tests.querycount import assert_constant_queries


def _url(forum, rest=""):
    return f"/c/council-a/forums/{forum.pk}/{rest}"


def test_officer_adds_a_member_who_shows_on_the_forum_and_the_record(council_a, officer_a):
    forum = ForumFactory(council=council_a, name="Children in Care Council")
    person = YoungPersonFactory(council=council_a, preferred_name="Ayla")
    client = client_for(officer_a)
    response = client.post(
        _url(forum, "members/add/"),
        {"young_person": person.pk, "role": "representative", "joined_on": "2026-02-03"},
    )
    assert response["Location"] == _url(forum)
    member = ForumMember.objects.get(forum=forum)
    assert (member.young_person, member.role, member.council) == (
        person,
        "representative",
        council_a,
    )
    assert AuditEvent.objects.filter(verb="added forum member", subject_id=member.pk).exists()
    html = client.get(_url(forum)).content.decode()
    assert "Ayla" in html and "Representative to the Corporate Parenting Board" in html
    record = client.get(f"/c/council-a/young-people/{person.pk}/").content.decode()
    assert "Joined" in record and "Children in Care Council" in record
    assert "3 February 2026" in record


def test_change_role_and_record_leaving_keeps_history(council_a, officer_a):
    member = ForumMemberFactory(
        council=council_a, young_person__preferred_name="Bilal", joined_on=datetime.date(2025, 9, 1)
    )
    forum = member.forum
    client = client_for(officer_a)
    client.post(_url(forum, f"members/{member.pk}/role/"), {"role": "chair"})
    member.refresh_from_db()
    assert member.role == "chair"
    confirm = client.get(_url(forum, f"members/{member.pk}/left/")).content.decode()
    assert "Record that Bilal left?" in confirm and "Nothing is deleted" in confirm
    client.post(_url(forum, f"members/{member.pk}/left/"), {"left_on": "2026-03-31"})
    member.refresh_from_db()
    assert member.left_on == datetime.date(2026, 3, 31)
    assert ForumMember.objects.count() == 1
    html = client.get(_url(forum)).content.decode()
    assert "Past members" in html and "31 March 2026" in html
    assert "No current members" in html
    record = client.get(f"/c/council-a/young-people/{member.young_person_id}/").content.decode()
    assert "Left" in record and "31 March 2026" in record and "Chair" in record


def test_leaving_before_joining_is_refused_and_nothing_changes(council_a, officer_a):
    member = ForumMemberFactory(council=council_a, joined_on=datetime.date(2026, 1, 10))
    html = (
        client_for(officer_a)
        .post(_url(member.forum, f"members/{member.pk}/left/"), {"left_on": "2026-01-09"})
        .content.decode()
    )
    assert "There is a problem" in html
    assert "must be the same as or after the date they joined (10 January 2026)" in html
    member.refresh_from_db()
    assert member.left_on is None
    assert not AuditEvent.objects.filter(verb="recorded forum leaver").exists()


def test_missing_and_bad_input_is_explained(council_a, officer_a):
    forum = ForumFactory(council=council_a)
    client = client_for(officer_a)
    html = client.post(_url(forum, "members/add/"), {}).content.decode()
    assert "Choose the young person who is joining" in html
    assert "Choose their role on the forum" in html
    assert "Enter the date they joined" in html
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    person = YoungPersonFactory(council=council_a)
    html = client.post(
        _url(forum, "members/add/"),
        {"young_person": person.pk, "role": "member", "joined_on": future},
    ).content.decode()
    assert "must be today or in the past" in html
    assert not ForumMember.objects.exists()


def test_another_councils_young_person_is_refused(council_a, council_b, officer_a):
    forum = ForumFactory(council=council_a)
    theirs = YoungPersonFactory(council=council_b)
    html = (
        client_for(officer_a)
        .post(
            _url(forum, "members/add/"),
            {"young_person": theirs.pk, "role": "member", "joined_on": "2026-01-01"},
        )
        .content.decode()
    )
    assert "Choose an option from the list" in html
    with pytest.raises(ValidationError, match="not recorded in this council"):
        services.forum_member_add(
            forum=forum,
            actor=officer_a.user,
            young_person=theirs,
            role="member",
            joined_on=datetime.date(2026, 1, 1),
        )
    assert not ForumMember.objects.exists()


def test_a_current_member_cannot_be_added_twice(council_a, officer_a):
    member = ForumMemberFactory(council=council_a)
    client_for(officer_a).post(
        _url(member.forum, "members/add/"),
        {"young_person": member.young_person_id, "role": "member", "joined_on": "2026-02-01"},
    )
    assert ForumMember.objects.count() == 1


def test_a_past_member_can_join_again(council_a, officer_a):
    member = ForumMemberFactory(council=council_a, left_on=datetime.date(2026, 2, 1))
    client_for(officer_a).post(
        _url(member.forum, "members/add/"),
        {"young_person": member.young_person_id, "role": "member", "joined_on": "2026-03-01"},
    )
    assert ForumMember.objects.filter(young_person=member.young_person).count() == 2


def test_a_visitor_who_joins_is_a_member_at_the_meetings_since_they_joined(council_a, officer_a):
    from forums.models import Attendance
    from tests.forums.factories import make_meeting

    forum = ForumFactory(council=council_a)
    visitor = YoungPersonFactory(council=council_a)
    today = timezone.localdate()
    before, after = (make_meeting(forum, date=today - datetime.timedelta(days=d)) for d in (40, 10))
    elsewhere = make_meeting(ForumFactory(council=council_a), date=today)
    for meeting in (before, after, elsewhere):
        services.attendance_add_visitor(meeting=meeting, actor=officer_a.user, young_person=visitor)
    services.forum_member_add(
        forum=forum,
        actor=officer_a.user,
        young_person=visitor,
        role="member",
        joined_on=today - datetime.timedelta(days=20),
    )
    is_member = dict(
        Attendance.objects.filter(young_person=visitor).values_list("meeting", "is_member")
    )
    assert is_member == {before.pk: False, after.pk: True, elsewhere.pk: False}
    # At the later meeting they are now expected like any member, and can be marked absent.
    after.refresh_from_db()
    services.attendance_save(
        meeting=after,
        actor=officer_a.user,
        statuses={visitor.pk: "absent"},
        version=after.attendance_version,
    )
    assert Attendance.objects.get(meeting=after).status == "absent"


def test_permissions_three_personas(council_a, member_a, officer_a, manager_a):
    mine = YoungPersonFactory(council=council_a, preferred_name="Mina", created_by=member_a.user)
    other = YoungPersonFactory(council=council_a, preferred_name="Otis")
    led = YoungPersonFactory(council=council_a, preferred_name="Leah")
    ParticipationFactory(
        council=council_a,
        activity=ActivityFactory(council=council_a, lead_worker=member_a.user),
        young_person=led,
    )
    forum = ForumFactory(council=council_a)
    for person in (mine, other, led):
        ForumMemberFactory(council=council_a, forum=forum, young_person=person)
    member = ForumMember.objects.get(young_person=other)

    officer_html = client_for(officer_a).get(_url(forum)).content.decode()
    assert all(name in officer_html for name in ("Mina", "Otis", "Leah"))
    assert "Record that they left" in officer_html

    practitioner = client_for(member_a)
    html = practitioner.get(_url(forum)).content.decode()
    assert "Mina" in html and "Leah" in html and "Otis" not in html
    assert "members/add/" not in html and "Change role" not in html
    assert practitioner.get(_url(forum, "members/add/")).status_code == 403
    assert (
        practitioner.post(_url(forum, f"members/{member.pk}/left/"), {"left_on": "2026-02-01"})
    ).status_code == 403

    manager = client_for(manager_a)
    html = manager.get(_url(forum)).content.decode()
    assert not any(name in html for name in ("Mina", "Otis", "Leah"))
    assert "Members' names are shown to practitioners" in html
    assert (
        manager.post(_url(forum, f"members/{member.pk}/role/"), {"role": "chair"}).status_code
        == 403
    )
    member.refresh_from_db()
    assert (member.role, member.left_on) == ("member", None)


def test_council_b_cannot_reach_council_a_members(council_a, admin_b):
    member = ForumMemberFactory(council=council_a)
    client = client_for(admin_b)
    url = f"/c/council-b/forums/{member.forum_id}/members/{member.pk}/left/"
    assert client.post(url, {"left_on": "2026-02-01"}).status_code == 404
    member.refresh_from_db()
    assert member.left_on is None


def test_forum_list_counts_current_members_in_constant_queries(council_a, officer_a):
    forum = ForumFactory(council=council_a, name="Youth Council")
    ForumMemberFactory(council=council_a, forum=forum)
    ForumMemberFactory(council=council_a, forum=forum, left_on=datetime.date(2026, 2, 1))
    client = client_for(officer_a)
    html = client.get("/c/council-a/forums/").content.decode()
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">1</td>' in html

    def grow(n):
        for _ in range(n):
            ForumMemberFactory.create_batch(
                2, council=council_a, forum=ForumFactory(council=council_a)
            )

    assert_constant_queries(lambda: client.get("/c/council-a/forums/"), grow=grow)


def test_forum_page_and_record_in_constant_queries(council_a, officer_a):
    forum = ForumFactory(council=council_a)
    person = YoungPersonFactory(council=council_a)
    client = client_for(officer_a)

    def grow(n):
        for _ in range(n):
            ForumMemberFactory(council=council_a, forum=forum)
            ForumMemberFactory(
                council=council_a,
                young_person=person,
                left_on=datetime.date(2026, 2, 1),
            )

    assert_constant_queries(lambda: client.get(_url(forum)), grow=grow)
    assert_constant_queries(
        lambda: client.get(f"/c/council-a/young-people/{person.pk}/"),
        grow=grow,
        sizes=(14, 24),
    )
