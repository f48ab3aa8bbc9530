import datetime
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from forums.calendar import escape, fold
from forums.models import CalendarLink
from tests.conftest import client_for
from tests.factories import ForumFactory
from tests.forums.factories import ForumMemberFactory, make_meeting
from tests.participation.activities.factories import YoungPersonFactory
from tests.querycount import assert_constant_queries

TODAY = timezone.localdate()


@pytest.fixture
def forum(council_a):
    return ForumFactory(council=council_a, name="Children in Care Council; Northbrook, East")


def make_link(client, forum):
    client.post(f"/c/council-a/forums/{forum.pk}/calendar/")
    return CalendarLink.objects.get(forum=forum, revoked_at__isnull=True)


def unfold(body: str) -> str:
    return body.replace("\r\n ", "")


def test_the_feed_is_valid_icalendar_without_names(forum, officer_a, member_a):
    person = YoungPersonFactory(council=forum.council, preferred_name="Zanele")
    ForumMemberFactory(council=forum.council, forum=forum, young_person=person)
    make_meeting(
        forum,
        actor=officer_a.user,
        date=TODAY + timedelta(days=7),
        starts_at=datetime.time(17, 30),
        ends_at=datetime.time(19),
        place="Youth Hub, Room 2",
        summary="Zanele chaired.",
    )
    make_meeting(
        forum, actor=officer_a.user, date=TODAY - timedelta(days=20), online=True, place=""
    )
    link = make_link(client_for(member_a), forum)
    response = Client().get(f"/calendar/{link.token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")  # every line ends CRLF
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    text = unfold(body)
    assert text.count("BEGIN:VEVENT") == 2 == text.count("END:VEVENT")
    assert "SUMMARY:Children in Care Council\\; Northbrook\\, East meeting" in text
    assert "LOCATION:Youth Hub\\, Room 2" in text and "LOCATION:Online" in text
    assert f"DTSTART;VALUE=DATE:{TODAY - timedelta(days=20):%Y%m%d}" in text
    assert "Zanele" not in text and person.reference not in text


def test_a_revoked_or_replaced_link_gives_404(forum, member_a):
    client = client_for(member_a)
    first = make_link(client, forum)
    second = make_link(client, forum)
    assert Client().get(f"/calendar/{first.token}.ics").status_code == 404
    assert Client().get(f"/calendar/{second.token}.ics").status_code == 200
    client.post(f"/c/council-a/forums/{forum.pk}/calendar/", {"action": "revoke"})
    assert Client().get(f"/calendar/{second.token}.ics").status_code == 404
    assert Client().get("/calendar/not-a-token.ics").status_code == 404


def test_a_link_stops_when_its_person_leaves_the_council(forum, member_a):
    link = make_link(client_for(member_a), forum)
    member_a.is_active = False
    member_a.save()
    assert Client().get(f"/calendar/{link.token}.ics").status_code == 404


def test_the_link_page_shows_only_your_own_link(forum, member_a, officer_a):
    mine = make_link(client_for(member_a), forum)
    html = client_for(officer_a).get(f"/c/council-a/forums/{forum.pk}/calendar/").content.decode()
    assert mine.token not in html and "Make my calendar link" in html


def test_escaping_and_folding():
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = fold("SUMMARY:" + "é" * 80)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "SUMMARY:" + "é" * 80


def test_feed_query_count_does_not_grow(forum, officer_a, member_a):
    link = make_link(client_for(member_a), forum)
    assert_constant_queries(
        lambda: Client().get(f"/calendar/{link.token}.ics"),
        grow=lambda n: [
            make_meeting(forum, actor=officer_a.user, date=TODAY + timedelta(days=i + 1))
            for i in range(n)
        ],
    )
