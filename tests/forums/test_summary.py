import datetime

from forums import selectors, services
from tests.conftest import client_for
from tests.factories import ForumFactory
from tests.forums.factories import ForumMemberFactory, make_ask, make_meeting
from tests.querycount import assert_constant_queries


def test_the_annual_summary_counts_the_forums_year(council_a, officer_a, manager_a):
    forum = ForumFactory(council=council_a, name="Youth Council")
    amira = ForumMemberFactory(council=council_a, forum=forum, joined_on=datetime.date(2025, 1, 1))
    start, end = selectors.summary_year(year=2025)
    assert (start, end) == (datetime.date(2025, 4, 1), datetime.date(2026, 3, 31))
    for day, status in (
        (datetime.date(2025, 5, 1), "present"),
        (datetime.date(2025, 9, 1), "absent"),
    ):
        meeting = make_meeting(forum, actor=officer_a.user, date=day)
        services.attendance_save(
            meeting=meeting,
            actor=officer_a.user,
            statuses={amira.young_person_id: status},
            version=meeting.attendance_version,
        )
    make_meeting(forum, actor=officer_a.user, date=datetime.date(2025, 3, 1))  # year before
    ask = make_ask(
        forum,
        actor=officer_a.user,
        addressed_to=manager_a.user,
        raised_on=datetime.date(2025, 9, 1),
        you_said="A quiet room at the hub",
    )
    services.ask_answer(
        ask=ask, actor=manager_a.user, status="answered", response="Room 4 is yours"
    )
    services.ask_to_you_said(ask=ask, actor=manager_a.user)
    # The answer was given today; count the year it falls in.
    today = datetime.date.today()
    this_start, this_end = selectors.summary_year(year=None, today=today)
    summary = selectors.annual_summary(forum=forum, start=start, end=end)
    assert summary["meetings_held"] == 2 and summary["attendance_rate"] == 50
    assert summary["asks_raised"] == 1
    html = (
        client_for(officer_a)
        .get(f"/c/council-a/forums/{forum.pk}/summary/", {"year": this_start.year})
        .content.decode()
    )
    assert "Room 4 is yours" in html and 'media="print"' in html
    html = (
        client_for(officer_a)
        .get(f"/c/council-a/forums/{forum.pk}/summary/", {"year": 2025})
        .content.decode()
    )
    assert '<dd class="govuk-summary-list__value">2</dd>' in html and "50%" in html


def test_summary_query_count_does_not_grow(council_a, officer_a):
    forum = ForumFactory(council=council_a)
    client = client_for(officer_a)
    assert_constant_queries(
        lambda: client.get(f"/c/council-a/forums/{forum.pk}/summary/"),
        grow=lambda n: [
            make_meeting(forum, actor=officer_a.user) and make_ask(forum, actor=officer_a.user)
            for _ in range(n)
        ],
    )
