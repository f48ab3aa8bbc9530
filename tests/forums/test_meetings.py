import datetime
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from forums import selectors, services
from forums.models import Attendance, ForumMember, Meeting
from participation.activities import selectors as activity_selectors
from participation.activities import services as activity_services
from participation.activities.models import FORUM_MEETING, Activity, ActivityKind, Participation
from participation.quarters import Quarter
from tests.conftest import client_for
from tests.factories import ForumFactory
from tests.forums.factories import ForumMemberFactory, make_meeting
from tests.participation.activities.factories import YoungPersonFactory
from tests.querycount import assert_constant_queries

TODAY = timezone.localdate()
LAST_MONTH = TODAY - timedelta(days=30)


@pytest.fixture
def forum(council_a):
    return ForumFactory(council=council_a, name="Children in Care Council")


def member(forum, name="Amira", joined=TODAY - timedelta(days=400), **kwargs):
    return ForumMemberFactory(
        council=forum.council,
        forum=forum,
        young_person=YoungPersonFactory(council=forum.council, preferred_name=name),
        joined_on=joined,
        **kwargs,
    )


def record(meeting, actor, statuses):
    return services.attendance_save(
        meeting=meeting,
        actor=actor,
        statuses={m.young_person_id: s for m, s in statuses.items()},
        version=Meeting.objects.get(pk=meeting.pk).attendance_version,
    )


# A meeting is one participation activity ---------------------------------------------------


def test_recording_a_meeting_logs_exactly_one_activity_linked_both_ways(forum, officer_a):
    meeting = make_meeting(forum, actor=officer_a.user, date=LAST_MONTH, online=True)
    activity = Activity.objects.get(council=forum.council)
    assert meeting.activity == activity and activity.forum_meeting == meeting
    assert activity.kind.code == FORUM_MEETING
    assert activity.status == Activity.Status.DONE and activity.starts_on == LAST_MONTH
    assert activity.title == "Children in Care Council meeting"
    assert set(activity.methods) == {"face_to_face", "online"}


def test_a_planned_meeting_is_a_planned_activity(forum, officer_a):
    make_meeting(forum, actor=officer_a.user, date=TODAY + timedelta(days=20))
    assert Activity.objects.get().status == Activity.Status.PLANNED


def test_attendance_sets_the_activitys_young_people(forum, officer_a):
    amira, ben, cai = member(forum, "Amira"), member(forum, "Ben"), member(forum, "Cai")
    meeting = make_meeting(forum, actor=officer_a.user)
    record(meeting, officer_a.user, {amira: "present", ben: "apologies", cai: "present"})
    people = set(meeting.activity.participations.values_list("young_person_id", flat=True))
    assert people == {amira.young_person_id, cai.young_person_id}
    # Editing attendance follows through; recognition recorded on the activity is kept.
    Participation.objects.filter(young_person=amira.young_person).update(voucher_amount=10)
    record(meeting, officer_a.user, {amira: "present", ben: "present", cai: "absent"})
    people = dict(meeting.activity.participations.values_list("young_person_id", "voucher_amount"))
    assert set(people) == {amira.young_person_id, ben.young_person_id}
    assert people[amira.young_person_id] == 10
    assert Activity.objects.count() == 1


def test_editing_the_meeting_updates_its_activity(forum, officer_a):
    meeting = make_meeting(forum, actor=officer_a.user)
    earlier = LAST_MONTH - timedelta(days=7)
    services.meeting_update(
        meeting=meeting, actor=officer_a.user, date=earlier, summary="We chose the new logo."
    )
    activity = Activity.objects.get()
    assert activity.starts_on == earlier and activity.what_young_people_said.startswith("We chose")


def test_deleting_the_meeting_removes_its_activity(forum, officer_a):
    amira = member(forum)
    meeting = make_meeting(forum, actor=officer_a.user)
    record(meeting, officer_a.user, {amira: "present"})
    services.meeting_delete(meeting=meeting, actor=officer_a.user)
    assert not Meeting.objects.exists()
    assert not Activity.objects.exists() and not Participation.objects.exists()
    assert not Attendance.objects.exists()


def test_reach_and_the_activity_list_count_a_meeting_once(forum, officer_a):
    amira, ben = member(forum, "Amira"), member(forum, "Ben")
    meeting = make_meeting(forum, actor=officer_a.user, date=TODAY)
    record(meeting, officer_a.user, {amira: "present", ben: "present"})
    services.meeting_update(meeting=meeting, actor=officer_a.user, minutes="Long minutes")
    reach = activity_selectors.reach(
        council=forum.council,
        quarter=Quarter.containing(TODAY, year_starts=forum.council.year_starts),
    )
    assert reach.unique == 2 and reach.total == 2
    listed = activity_selectors.activity_list(
        council=forum.council, filters=activity_selectors.ActivityFilters()
    )
    assert [a.pk for a in listed] == [meeting.activity_id]
    timeline = activity_selectors.young_person_timeline(young_person=amira.young_person)
    assert [p.activity_id for p in timeline] == [meeting.activity_id]


def test_a_forum_meeting_activity_cannot_be_logged_by_hand(forum, officer_a):
    make_meeting(forum, actor=officer_a.user)
    kind = ActivityKind.objects.get(council=forum.council, code=FORUM_MEETING)
    with pytest.raises(ValidationError, match="recorded from the forum's page"):
        activity_services.activity_create(
            council=forum.council,
            actor=officer_a.user,
            title="CiCC meeting",
            starts_on=LAST_MONTH,
            kind=kind,
            participation_type="consultation",
            ladder_rung=6,
        )
    assert Activity.objects.count() == 1


def test_the_meetings_activity_cannot_be_edited_or_deleted_on_its_own(forum, officer_a):
    meeting = make_meeting(forum, actor=officer_a.user)
    client = client_for(officer_a)
    url = f"/c/council-a/activities/{meeting.activity_id}/"
    html = client.get(url).content.decode()
    assert "go to the meeting" in html and f"{url}edit/" not in html
    client.post(f"{url}delete/")
    assert Activity.objects.filter(pk=meeting.activity_id).exists()
    with pytest.raises(ValidationError):
        activity_services.activity_update(activity=meeting.activity, actor=officer_a.user)


def test_a_council_whose_kind_predates_codes_adopts_its_forum_meeting_kind(forum, officer_a):
    old = ActivityKind.objects.get(council=forum.council, code=FORUM_MEETING)
    ActivityKind.objects.filter(pk=old.pk).update(code="")
    count = ActivityKind.objects.filter(council=forum.council).count()
    make_meeting(forum, actor=officer_a.user)
    old.refresh_from_db()
    assert old.code == FORUM_MEETING
    assert ActivityKind.objects.filter(council=forum.council).count() == count


def test_default_kinds_include_the_forum_meeting_kind(council_a):
    assert ActivityKind.objects.get(council=council_a, code=FORUM_MEETING).name == "Forum meeting"


# Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"date": None}, "Enter the date"),
        ({"date": TODAY + timedelta(days=365 * 3)}, "up to 2 years ahead"),
        ({"date": datetime.date(1999, 5, 1)}, "2000 or later"),
        ({"place": "", "online": False}, "or tick that it is online"),
        (
            {"starts_at": datetime.time(18), "ends_at": datetime.time(17)},
            "end time must be after",
        ),
    ],
)
def test_a_meeting_with_bad_details_is_refused(forum, officer_a, fields, message):
    data = {"date": LAST_MONTH, "place": "Youth Hub", **fields}
    with pytest.raises(ValidationError, match=message):
        services.meeting_create(forum=forum, actor=officer_a.user, **data)
    assert not Meeting.objects.exists() and not Activity.objects.exists()


def test_attendance_for_someone_neither_member_nor_visitor_is_refused(forum, officer_a):
    amira = member(forum)
    stranger = YoungPersonFactory(council=forum.council)
    meeting = make_meeting(forum, actor=officer_a.user)
    with pytest.raises(ValidationError, match="only be recorded for members"):
        services.attendance_save(
            meeting=meeting,
            actor=officer_a.user,
            statuses={amira.young_person_id: "present", stranger.pk: "present"},
            version=0,
        )
    assert not Attendance.objects.exists() and not Participation.objects.exists()


def test_a_member_who_joined_after_the_meeting_is_not_expected(forum, officer_a):
    meeting = make_meeting(forum, actor=officer_a.user, date=LAST_MONTH)
    late = member(forum, "Late", joined=LAST_MONTH + timedelta(days=1))
    left = member(forum, "Left", joined=LAST_MONTH - timedelta(days=90))
    services.forum_member_leave(
        member=left, actor=officer_a.user, left_on=LAST_MONTH - timedelta(days=1)
    )
    assert selectors.attendance_sheet(meeting=meeting) == []
    with pytest.raises(ValidationError, match="only be recorded for members"):
        record(meeting, officer_a.user, {late: "present"})
    assert not Attendance.objects.exists()


def test_every_member_needs_a_choice(forum, officer_a):
    amira = member(forum, "Amira")
    member(forum, "Ben")
    meeting = make_meeting(forum, actor=officer_a.user)
    with pytest.raises(ValidationError, match="for Ben"):
        record(meeting, officer_a.user, {amira: "present"})
    assert not Attendance.objects.exists()


def test_attendance_cannot_be_recorded_before_the_day(forum, officer_a):
    amira = member(forum)
    meeting = make_meeting(forum, actor=officer_a.user, date=TODAY + timedelta(days=3))
    with pytest.raises(ValidationError, match="not happened yet"):
        record(meeting, officer_a.user, {amira: "present"})
    assert not Attendance.objects.exists()


def test_the_later_of_two_saves_from_the_same_page_is_refused(forum, officer_a, admin_a):
    amira = member(forum)
    meeting = make_meeting(forum, actor=officer_a.user)
    url = f"/c/council-a/forums/{forum.pk}/meetings/{meeting.pk}/attendance/"
    first, second = client_for(officer_a), client_for(admin_a)
    field = f"status-{amira.young_person_id}"
    assert 'name="version" value="0"' in first.get(url).content.decode()
    assert 'name="version" value="0"' in second.get(url).content.decode()
    assert first.post(url, {"version": "0", field: "present"}).status_code == 302
    response = second.post(url, {"version": "0", field: "absent"})
    assert response.status_code == 400
    assert "Someone else saved the attendance" in response.content.decode()
    assert Attendance.objects.get().status == "present"
    assert meeting.activity.participations.count() == 1


def test_a_young_person_can_move_to_a_future_meeting_date_only_without_attendance(forum, officer_a):
    amira = member(forum)
    meeting = make_meeting(forum, actor=officer_a.user)
    record(meeting, officer_a.user, {amira: "present"})
    with pytest.raises(ValidationError, match="cannot move to a future date"):
        services.meeting_update(
            meeting=meeting, actor=officer_a.user, date=TODAY + timedelta(days=5)
        )
    assert Meeting.objects.get().date == LAST_MONTH


# Visitors and guests ------------------------------------------------------------------------


def test_a_visitor_counts_as_present_and_can_be_made_a_member(forum, officer_a):
    visitor = YoungPersonFactory(council=forum.council, preferred_name="Dev")
    meeting = make_meeting(forum, actor=officer_a.user)
    client = client_for(officer_a)
    base = f"/c/council-a/forums/{forum.pk}/meetings/{meeting.pk}/attendance/"
    client.post(f"{base}visitors/add/", {"young_person": visitor.pk})
    assert meeting.activity.participations.get().young_person == visitor
    html = client.get(base).content.decode()
    assert "Make Dev a member" in html
    client.post(f"{base}visitors/join/", {"young_person": visitor.pk})
    joined = ForumMember.objects.get(forum=forum, young_person=visitor)
    assert joined.joined_on == meeting.date
    assert Attendance.objects.get().is_member


def test_a_member_cannot_be_added_as_a_visitor(forum, officer_a):
    amira = member(forum)
    meeting = make_meeting(forum, actor=officer_a.user)
    with pytest.raises(ValidationError, match="is a member"):
        services.attendance_add_visitor(
            meeting=meeting, actor=officer_a.user, young_person=amira.young_person
        )
    assert not Attendance.objects.exists()


def test_guests_are_added_and_removed(forum, officer_a):
    meeting = make_meeting(forum, actor=officer_a.user)
    client = client_for(officer_a)
    base = f"/c/council-a/forums/{forum.pk}/meetings/{meeting.pk}/"
    assert "Enter their role" in client.post(f"{base}guests/add/", {"name": "Sam"}).content.decode()
    client.post(f"{base}guests/add/", {"name": "Sam Okafor", "role": "Director of Children's"})
    guest = meeting.guests.get()
    assert "Sam Okafor, Director of Children" in client.get(base).content.decode()
    client.post(f"{base}guests/{guest.pk}/remove/")
    assert not meeting.guests.exists()


def test_latest_and_next_meetings_match_the_two_lists_they_replace(forum, officer_a):
    def both():
        return (
            list(selectors.forum_meetings(forum=forum)[:12]),
            selectors.next_meeting(forum=forum, today=TODAY),
        )

    assert selectors.latest_and_next_meetings(forum=forum, today=TODAY) == ([], None)
    for days in (-40, -20, -5):
        make_meeting(forum, actor=officer_a.user, date=TODAY + timedelta(days=days))
    assert selectors.latest_and_next_meetings(forum=forum, today=TODAY) == both()
    assert both()[1] is None
    # Fifteen ahead: the next one is older than the latest twelve, and still found.
    for days in range(15):
        make_meeting(forum, actor=officer_a.user, date=TODAY + timedelta(days=days * 7))
    latest, upcoming = selectors.latest_and_next_meetings(forum=forum, today=TODAY)
    assert (latest, upcoming) == both()
    assert upcoming.date == TODAY and upcoming not in latest
    assert hasattr(latest[0], "present_count")


# Attendance rates ---------------------------------------------------------------------------


def test_attendance_rates_per_member_and_forum_over_twelve_months(forum, officer_a):
    amira, ben = member(forum, "Amira"), member(forum, "Ben")
    old = make_meeting(forum, actor=officer_a.user, date=TODAY - timedelta(days=380))
    record(old, officer_a.user, {amira: "absent", ben: "absent"})
    for days, statuses in (
        (90, {amira: "present", ben: "apologies"}),
        (60, {amira: "present", ben: "absent"}),
        (30, {amira: "present", ben: "present"}),
        (10, {amira: "apologies", ben: "present"}),
    ):
        meeting = make_meeting(forum, actor=officer_a.user, date=TODAY - timedelta(days=days))
        record(meeting, officer_a.user, statuses)
    rates = selectors.member_attendance_rates(forum=forum, today=TODAY)
    assert rates == {amira.young_person_id: 75, ben.young_person_id: 50}
    assert selectors.forum_attendance_rate(forum=forum, today=TODAY) == 62  # 5 of 8
    # The forum page's one-query version gives the same figures.
    assert selectors.forum_attendance(forum=forum, today=TODAY) == (62, rates)
    # On a later day the oldest meetings fall out of the window.
    later = TODAY + timedelta(days=310)
    assert selectors.member_attendance_rates(forum=forum, today=later) == {
        amira.young_person_id: 50,
        ben.young_person_id: 100,
    }
    assert selectors.young_person_attendance(young_person=amira.young_person)[0]["rate"] == 75
    assert (
        selectors.attendance_rate_between(
            council=forum.council, start=TODAY - timedelta(days=400), end=TODAY
        )
        == 50
    )  # 5 of 10, the old meeting included
    html = client_for(officer_a).get(f"/c/council-a/forums/{forum.pk}/").content.decode()
    assert "62% of members came" in html and "75%" in html


def test_no_attendance_is_not_zero_percent(forum):
    assert selectors.forum_attendance_rate(forum=forum) is None
    assert selectors.forum_attendance(forum=forum) == (None, {})


# Pages and permissions ----------------------------------------------------------------------


def test_officer_records_a_meeting_and_its_attendance_through_the_pages(forum, officer_a):
    amira = member(forum)
    client = client_for(officer_a)
    response = client.post(
        f"/c/council-a/forums/{forum.pk}/meetings/new/",
        {"date": LAST_MONTH.isoformat(), "place": "Youth Hub", "summary": "We planned a trip."},
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == f"/c/council-a/forums/{forum.pk}/meetings/{meeting.pk}/"
    url = f"/c/council-a/forums/{forum.pk}/meetings/{meeting.pk}/attendance/"
    client.post(url, {"version": "0", f"status-{amira.young_person_id}": "present"})
    html = client.get(f"/c/council-a/forums/{forum.pk}/meetings/{meeting.pk}/").content.decode()
    assert "1 present" in html and "We planned a trip." in html


def test_a_meeting_form_without_a_date_says_what_to_fix(forum, officer_a):
    response = client_for(officer_a).post(
        f"/c/council-a/forums/{forum.pk}/meetings/new/", {"place": "Youth Hub"}
    )
    assert "Enter the date of the meeting" in response.content.decode()
    assert not Meeting.objects.exists()


def test_practitioners_and_managers_read_meetings_but_do_not_run_them(
    forum, officer_a, member_a, manager_a
):
    amira = member(forum)
    meeting = make_meeting(forum, actor=officer_a.user)
    base = f"/c/council-a/forums/{forum.pk}/meetings/{meeting.pk}/"
    for persona in (member_a, manager_a):
        client = client_for(persona)
        html = client.get(base).content.decode()
        assert "Youth Hub" in html and amira.young_person.preferred_name not in html
        assert client.get(f"{base}attendance/").status_code == 403
        assert client.post(f"{base}delete/").status_code == 403
        assert client.post(f"/c/council-a/forums/{forum.pk}/meetings/new/").status_code == 403
    assert Meeting.objects.count() == 1


def _grow_members(forum, meeting, actor):
    def grow(n):
        for _ in range(n):
            member(forum, joined=TODAY - timedelta(days=500))
        statuses = {m.young_person_id: "present" for m in ForumMember.objects.filter(forum=forum)}
        services.attendance_save(
            meeting=meeting,
            actor=actor,
            statuses=statuses,
            version=Meeting.objects.get(pk=meeting.pk).attendance_version,
        )

    return grow


@pytest.mark.parametrize("page", ["forum", "meeting", "attendance"])
def test_pages_query_counts_do_not_grow(forum, officer_a, page):
    meeting = make_meeting(forum, actor=officer_a.user)
    client = client_for(officer_a)
    urls = {
        "forum": f"/c/council-a/forums/{forum.pk}/",
        "meeting": f"/c/council-a/forums/{forum.pk}/meetings/{meeting.pk}/",
        "attendance": f"/c/council-a/forums/{forum.pk}/meetings/{meeting.pk}/attendance/",
    }
    grow_members = _grow_members(forum, meeting, officer_a.user)

    def grow(n):
        grow_members(n)
        for i in range(n):
            make_meeting(forum, actor=officer_a.user, date=LAST_MONTH - timedelta(days=i + 1))

    assert_constant_queries(lambda: client.get(urls[page]), grow=grow)


def test_forum_list_query_count_does_not_grow(council_a, officer_a):
    client = client_for(officer_a)

    def grow(n):
        for _ in range(n):
            forum = ForumFactory(council=council_a)
            amira = member(forum)
            meeting = make_meeting(forum, actor=officer_a.user)
            record(meeting, officer_a.user, {amira: "present"})

    assert_constant_queries(lambda: client.get("/c/council-a/forums/"), grow=grow)


def test_the_young_persons_record_shows_their_attendance_rate(forum, officer_a):
    amira = member(forum)
    for days, status in ((40, "present"), (20, "absent")):
        meeting = make_meeting(forum, actor=officer_a.user, date=TODAY - timedelta(days=days))
        record(meeting, officer_a.user, {amira: status})
    html = (
        client_for(officer_a)
        .get(f"/c/council-a/young-people/{amira.young_person_id}/")
        .content.decode()
    )
    assert "1 of 2" in html and "50%" in html
