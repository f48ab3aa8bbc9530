"""The forum endpoints moved to /api/v1/c/<slug>/forums/ (tests/api); the old addresses redirect."""

from tests.conftest import client_for
from tests.factories import ForumFactory


def test_member_lists_their_councils_forums_as_json(council_a, council_b, member_a):
    ForumFactory(council=council_a, name="Youth Council")
    ForumFactory(council=council_b, name="Westmoor Only")
    response = client_for(member_a).get("/c/council-a/api/forums/", follow=True)
    assert response.status_code == 200
    assert [f["name"] for f in response.json()["results"]] == ["Youth Council"]


def test_detail_by_id(council_a, member_a):
    forum = ForumFactory(council=council_a, name="Youth Council", audience="young_people")
    body = client_for(member_a).get(f"/c/council-a/api/forums/{forum.pk}/", follow=True).json()
    assert body["name"] == "Youth Council" and body["audience"] == "young_people"


def test_api_answers_like_the_pages(council_a, member_a, member_b):
    forum = ForumFactory(council=council_a)
    assert client_for(member_b).get("/api/v1/c/council-a/forums/").status_code == 404
    assert client_for(member_b).get(f"/api/v1/c/council-b/forums/{forum.pk}/").status_code == 404


def test_forums_are_never_deleted_and_a_form_post_makes_nothing(council_a, admin_a):
    """Forums are archived, not deleted (tests/api covers the writes); the API takes JSON only."""
    forum = ForumFactory(council=council_a, name="Youth Council")
    client = client_for(admin_a)
    assert client.post("/api/v1/c/council-a/forums/", {"name": "x"}).status_code == 415
    assert client.delete(f"/api/v1/c/council-a/forums/{forum.pk}/").status_code == 405
    forum.refresh_from_db()
    assert forum.name == "Youth Council"
    assert list(type(forum).objects.values_list("name", flat=True)) == ["Youth Council"]
