import datetime

import pytest
from django.core.exceptions import ValidationError

from forums import services
from forums.models import WorkItem
from tests.conftest import client_for
from tests.factories import ForumFactory
from tests.participation.strategy.factories import ObjectiveFactory
from tests.querycount import assert_constant_queries


@pytest.fixture
def forum(council_a):
    return ForumFactory(council=council_a, name="Care Leavers Forum")


def test_work_linked_to_an_objective_shows_on_the_objectives_page(forum, officer_a, member_a):
    objective = ObjectiveFactory(council=forum.council, code="SP3")
    response = client_for(officer_a).post(
        f"/c/council-a/forums/{forum.pk}/work/new/",
        {
            "title": "Review the local offer for care leavers",
            "starts_on": "2026-01-10",
            "due_on": "2026-07-31",
            "status": "in_progress",
            "objective": objective.pk,
        },
    )
    assert response.status_code == 302
    item = WorkItem.objects.get()
    assert item.objective == objective and item.forum == forum
    html = client_for(member_a).get(f"/c/council-a/strategy/objectives/{objective.pk}/")
    assert "Review the local offer for care leavers" in html.content.decode()
    forum_html = client_for(member_a).get(f"/c/council-a/forums/{forum.pk}/").content.decode()
    assert "Review the local offer" in forum_html and "SP3" in forum_html


def test_bad_work_items_are_refused(forum, officer_a, council_b):
    other = ObjectiveFactory(council=council_b)
    with pytest.raises(ValidationError, match="this council's strategies"):
        services.work_item_create(forum=forum, actor=officer_a.user, title="X", objective=other)
    with pytest.raises(ValidationError, match="finish date must be"):
        services.work_item_create(
            forum=forum,
            actor=officer_a.user,
            title="X",
            starts_on=datetime.date(2026, 5, 1),
            due_on=datetime.date(2026, 4, 1),
        )
    assert not WorkItem.objects.exists()


def test_editing_an_item(forum, officer_a, member_a):
    item = services.work_item_create(forum=forum, actor=officer_a.user, title="Mock inspection")
    url = f"/c/council-a/forums/{forum.pk}/work/{item.pk}/edit/"
    assert client_for(member_a).post(url, {"title": "Changed", "status": "done"}).status_code == 403
    client_for(officer_a).post(url, {"title": "Mock inspection", "status": "done"})
    item.refresh_from_db()
    assert item.status == "done" and item.title == "Mock inspection"


def test_objective_page_query_count_does_not_grow(forum, officer_a):
    objective = ObjectiveFactory(council=forum.council)
    client = client_for(officer_a)
    assert_constant_queries(
        lambda: client.get(f"/c/council-a/strategy/objectives/{objective.pk}/"),
        grow=lambda n: [
            services.work_item_create(
                forum=ForumFactory(council=forum.council),
                actor=officer_a.user,
                title="Work",
                objective=objective,
            )
            for _ in range(n)
        ],
    )
