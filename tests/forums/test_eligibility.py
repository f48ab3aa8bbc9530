import datetime

import pytest
from django.core.exceptions import ValidationError

from forums import selectors, services
from forums.models import ForumAdult, ForumMember
from tests.conftest import client_for
from tests.factories import ForumFactory
from tests.forums.factories import ForumMemberFactory
from tests.participation.activities.factories import YoungPersonFactory

# A frozen clock: every warning below is worked out as on this day.
TODAY = datetime.date(2026, 6, 1)


def on_forum(forum, name, **person):
    return ForumMemberFactory(
        council=forum.council,
        forum=forum,
        young_person=YoungPersonFactory(council=forum.council, preferred_name=name, **person),
    )


def messages(forum, today=TODAY):
    members = ForumMember.objects.filter(forum=forum).select_related("young_person")
    return [
        w.message for w in selectors.eligibility_warnings(forum=forum, members=members, today=today)
    ]


def test_a_care_leaver_turning_26_is_warned_before_the_day(council_a):
    forum = ForumFactory(council=council_a, audience="care_leavers", min_age=16, max_age=25)
    on_forum(forum, "Jordan", date_of_birth=datetime.date(2000, 7, 15), age_band="")
    on_forum(forum, "Priya", date_of_birth=datetime.date(2002, 1, 1), age_band="")
    assert messages(forum) == [
        "Jordan turns 26 on 15 July 2026, past the forum's age range (up to 25)."
    ]
    # Too early to warn in March; after the birthday, they are past it.
    assert messages(forum, today=datetime.date(2026, 3, 1)) == []
    assert messages(forum, today=datetime.date(2026, 8, 1)) == [
        "Jordan is 26: older than the forum's age range (up to 25)."
    ]


def test_a_child_turning_18_on_a_childrens_forum(council_a):
    forum = ForumFactory(council=council_a, max_age=17)
    on_forum(forum, "Sam", date_of_birth=datetime.date(2008, 6, 20), age_band="")
    assert messages(forum) == [
        "Sam turns 18 on 20 June 2026, past the forum's age range (up to 17)."
    ]


def test_an_age_band_alone_gives_a_warning_to_check(council_a):
    forum = ForumFactory(council=council_a, max_age=17)
    on_forum(forum, "Ali", age_band="18_25")
    on_forum(forum, "Bea", age_band="13_15")
    assert messages(forum) == [
        "Ali's age band (18 to 25) is above the forum's age range (up to 17)."
    ]
    wide = ForumFactory(council=council_a, max_age=16)
    on_forum(wide, "Cam", age_band="16_17")
    assert "Add their date of birth" in messages(wide)[0]


def test_no_age_range_no_warnings(council_a):
    forum = ForumFactory(council=council_a)
    on_forum(forum, "Old", age_band="18_25")
    assert messages(forum) == []


def test_the_forum_page_shows_the_warning(council_a, officer_a):
    forum = ForumFactory(council=council_a, max_age=17)
    on_forum(forum, "Ali", age_band="18_25")
    html = client_for(officer_a).get(f"/c/council-a/forums/{forum.pk}/").content.decode()
    assert "Check who can stay on the forum" in html and "Ali&#x27;s age band" in html


def test_an_age_range_the_wrong_way_round_is_refused(council_a, officer_a):
    forum = ForumFactory(council=council_a)
    with pytest.raises(ValidationError, match="oldest age must be"):
        services.forum_update(forum=forum, actor=officer_a.user, min_age=18, max_age=16)
    forum.refresh_from_db()
    assert forum.min_age is None


def test_roles_include_vice_chair_and_a_named_board(council_a, officer_a):
    member = on_forum(ForumFactory(council=council_a), "Rae")
    services.forum_member_change_role(
        member=member, actor=officer_a.user, role="representative", board="Youth Justice Board"
    )
    member.refresh_from_db()
    assert member.role_label == "Representative to the Youth Justice Board"
    services.forum_member_change_role(member=member, actor=officer_a.user, role="vice_chair")
    member.refresh_from_db()
    assert member.role_label == "Vice-chair" and member.board == ""


def test_adults_staff_and_advocacy_workers(council_a, officer_a, manager_a, admin_b):
    forum = ForumFactory(council=council_a)
    client = client_for(officer_a)
    client.post(
        f"/c/council-a/forums/{forum.pk}/adults/add/",
        {
            "name": "Dee Mensah",
            "organisation": "Coram Voice",
            "role": "member",
            "joined_on": "2026-01-05",
        },
    )
    client.post(
        f"/c/council-a/forums/{forum.pk}/adults/add/",
        {"user": manager_a.user.pk, "role": "chair", "joined_on": "2026-01-05"},
    )
    html = client.get(f"/c/council-a/forums/{forum.pk}/").content.decode()
    assert "Dee Mensah, Coram Voice" in html and str(manager_a.user) in html
    with pytest.raises(ValidationError, match="member of staff of this council"):
        services.forum_adult_add(
            forum=forum, actor=officer_a.user, user=admin_b.user, joined_on=TODAY
        )
    with pytest.raises(ValidationError, match="Choose a member of staff, or enter"):
        services.forum_adult_add(forum=forum, actor=officer_a.user, joined_on=TODAY)
    adult = ForumAdult.objects.get(name="Dee Mensah")
    with pytest.raises(ValidationError, match="same as or after"):
        services.forum_adult_leave(
            adult=adult, actor=officer_a.user, left_on=datetime.date(2025, 12, 1)
        )
    adult.refresh_from_db()
    assert ForumAdult.objects.count() == 2 and adult.left_on is None
