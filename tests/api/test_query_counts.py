"""The token page and the API's lists: the query count does not grow with the data."""

import pytest

from api.services import token_create
from tests.api.helpers import A, api_for
from tests.conftest import client_for
from tests.factories import ForumFactory
from tests.participation.activities.factories import (
    ActivityFactory,
    ParticipationFactory,
    YoungPersonFactory,
)
from tests.participation.strategy.factories import ActionFactory
from tests.querycount import assert_constant_queries


def test_token_page(council_a, member_a):
    client = client_for(member_a)
    assert_constant_queries(
        lambda: client.get("/c/council-a/api-tokens/"),
        grow=lambda n: [
            token_create(membership=member_a, name=f"Token {i}", can_write=False) for i in range(n)
        ],
    )


def _activities(council, n):
    for _ in range(n):
        ParticipationFactory(activity=ActivityFactory(council=council))


@pytest.mark.parametrize(
    "path, grow",
    [
        ("activities/", _activities),
        ("young-people/", lambda c, n: YoungPersonFactory.create_batch(n, council=c)),
        ("forums/", lambda c, n: ForumFactory.create_batch(n, council=c)),
        ("actions/", lambda c, n: ActionFactory.create_batch(n, council=c)),
    ],
)
def test_api_lists(path, grow, council_a, admin_a):
    api = api_for(admin_a)
    assert_constant_queries(lambda: api.get(f"{A}/{path}"), grow=lambda n: grow(council_a, n))


def test_attendance_sheet(council_a, admin_a):
    from tests.forums.factories import ForumMemberFactory, make_meeting

    forum = ForumFactory(council=council_a)
    meeting = make_meeting(forum)
    api = api_for(admin_a)
    assert_constant_queries(
        lambda: api.get(f"{A}/forums/{forum.pk}/meetings/{meeting.pk}/attendance/"),
        grow=lambda n: ForumMemberFactory.create_batch(n, council=council_a, forum=forum),
    )


def test_ask_answers(council_a, admin_a):
    from forums import services
    from tests.forums.factories import make_ask

    forum = ForumFactory(council=council_a)
    ask = make_ask(forum)
    api = api_for(admin_a)
    assert_constant_queries(
        lambda: api.get(f"{A}/forums/{forum.pk}/asks/{ask.pk}/answers/"),
        grow=lambda n: [
            services.ask_answer(ask=ask, actor=admin_a.user, status="answered", response=f"{i}")
            for i in range(n)
        ],
    )


def test_consultation_detail(council_a, admin_a):
    from tests.probes import _consultation

    kwargs = _consultation(council_a)
    url = f"{A}/forums/{kwargs['forum_id']}/consultations/{kwargs['consultation_id']}/"
    api = api_for(admin_a)
    assert_constant_queries(
        lambda: api.get(url), grow=lambda n: [_consultation(council_a) for _ in range(n)]
    )


def test_forum_member_detail(council_a, admin_a):
    from tests.forums.factories import ForumMemberFactory

    member = ForumMemberFactory(council=council_a)
    api = api_for(admin_a)
    assert_constant_queries(
        lambda: api.get(f"{A}/forums/{member.forum_id}/members/{member.pk}/"),
        grow=lambda n: ForumMemberFactory.create_batch(n, council=council_a, forum=member.forum),
    )


def test_meeting_visitors(council_a, admin_a):
    from tests.forums.factories import add_visitor, make_meeting

    meeting = make_meeting(ForumFactory(council=council_a))
    api = api_for(admin_a)
    assert_constant_queries(
        lambda: api.get(
            f"{A}/forums/{meeting.forum_id}/meetings/{meeting.pk}/attendance/visitors/"
        ),
        grow=lambda n: [add_visitor(meeting) for _ in range(n)],
    )
