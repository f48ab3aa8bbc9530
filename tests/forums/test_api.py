from django.test import Client

from tests.conftest import client_for
from tests.factories import ForumFactory


def test_member_lists_their_councils_forums_as_json(council_a, council_b, member_a):
    ForumFactory(council=council_a, name="Youth Council")
    ForumFactory(council=council_b, name="Westmoor Only")
    response = client_for(member_a).get("/c/council-a/api/forums/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert [f["name"] for f in body["results"]] == ["Youth Council"]


def test_detail_by_id(council_a, member_a):
    forum = ForumFactory(council=council_a, name="Youth Council", audience="young_people")
    body = client_for(member_a).get(f"/c/council-a/api/forums/{forum.pk}/").json()
    assert body["name"] == "Youth Council" and body["audience"] == "young_people"


def test_api_answers_like_the_pages(council_a, member_a, member_b):
    forum = ForumFactory(council=council_a)
    assert client_for(member_b).get("/c/council-a/api/forums/").status_code == 404
    assert client_for(member_b).get(f"/c/council-b/api/forums/{forum.pk}/").status_code == 404
    assert Client().get("/c/council-a/api/forums/").status_code == 403


def test_api_is_read_only(council_a, admin_a):
    forum = ForumFactory(council=council_a, name="Youth Council")
    client = client_for(admin_a)
    assert client.post("/c/council-a/api/forums/", {"name": "x"}).status_code == 405
    assert client.delete(f"/c/council-a/api/forums/{forum.pk}/").status_code == 405
    forum.refresh_from_db()
    assert forum.name == "Youth Council"
