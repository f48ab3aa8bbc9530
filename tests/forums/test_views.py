from forums.models import Forum
from participation.models import AuditEvent
from tests.conftest import client_for
from tests.factories import ForumFactory
from tests.querycount import assert_constant_queries

NEW_FORUM = {
    "name": "Care Leavers Forum",
    "audience": "care_leavers",
    "meets": "monthly",
    "purpose": "Shape the local offer.",
}


def test_officer_adds_a_forum(council_a, officer_a):
    response = client_for(officer_a).post("/c/council-a/forums/new/", NEW_FORUM)
    forum = Forum.objects.get(council=council_a)
    assert response["Location"] == f"/c/council-a/forums/{forum.pk}/"
    assert AuditEvent.objects.filter(verb="created forum", subject_id=forum.pk).exists()


def test_missing_fields_are_summarised(council_a, officer_a):
    html = client_for(officer_a).post("/c/council-a/forums/new/", {}).content.decode()
    assert "There is a problem" in html
    for message in ("Enter the forum", "Choose who the forum is for", "Choose how often"):
        assert message in html
    assert not Forum.objects.exists()


def test_duplicate_name_in_the_same_council_is_refused(council_a, officer_a):
    ForumFactory(council=council_a, name="Care Leavers Forum")
    data = {**NEW_FORUM, "name": "care leavers forum"}
    html = client_for(officer_a).post("/c/council-a/forums/new/", data).content.decode()
    assert "already has a forum with this name" in html
    assert Forum.objects.count() == 1


def test_the_same_name_in_another_council_is_fine(council_a, council_b, officer_a):
    ForumFactory(council=council_b, name="Care Leavers Forum")
    client_for(officer_a).post("/c/council-a/forums/new/", NEW_FORUM)
    assert Forum.objects.filter(name="Care Leavers Forum").count() == 2


def test_edit(council_a, officer_a):
    forum = ForumFactory(council=council_a)
    client_for(officer_a).post(f"/c/council-a/forums/{forum.pk}/edit/", NEW_FORUM)
    forum.refresh_from_db()
    assert forum.name == "Care Leavers Forum" and forum.audience == "care_leavers"


def test_archive_asks_first_and_restore_undoes_it(council_a, officer_a):
    forum = ForumFactory(council=council_a, name="Youth Council")
    client = client_for(officer_a)
    assert (
        "Archive Youth Council?"
        in client.get(f"/c/council-a/forums/{forum.pk}/archive/").content.decode()
    )
    link = f'href="/c/council-a/forums/{forum.pk}/"'
    client.post(f"/c/council-a/forums/{forum.pk}/archive/")
    assert link not in client.get("/c/council-a/forums/").content.decode()
    assert link in client.get("/c/council-a/forums/?archived=1").content.decode()
    client.post(f"/c/council-a/forums/{forum.pk}/restore/")
    assert link in client.get("/c/council-a/forums/").content.decode()


def test_practitioner_reads_but_cannot_change(council_a, member_a):
    forum = ForumFactory(council=council_a, name="Youth Council")
    client = client_for(member_a)
    html = client.get(f"/c/council-a/forums/{forum.pk}/").content.decode()
    assert "Youth Council" in html and "/edit/" not in html
    assert client.post(f"/c/council-a/forums/{forum.pk}/archive/").status_code == 403
    forum.refresh_from_db()
    assert not forum.is_archived


def test_list_search_filter_and_empty_state(council_a, member_a):
    ForumFactory(council=council_a, name="Youth Council", audience="young_people")
    ForumFactory(council=council_a, name="Parent Carer Forum", audience="parents_carers")
    client = client_for(member_a)
    html = client.get("/c/council-a/forums/", {"q": "youth"}).content.decode()
    assert "Youth Council" in html and "Parent Carer Forum" not in html
    html = client.get("/c/council-a/forums/", {"audience": "parents_carers"}).content.decode()
    assert "Parent Carer Forum" in html and "Youth Council" not in html
    html = client.get("/c/council-a/forums/", {"q": "nothing like this"}).content.decode()
    assert "No forums match these filters." in html


def test_list_shows_only_this_councils_forums(council_a, council_b, member_a):
    ForumFactory(council=council_b, name="Westmoor Only Forum")
    assert (
        "Westmoor Only Forum"
        not in client_for(member_a).get("/c/council-a/forums/").content.decode()
    )


def test_list_paginates(council_a, member_a):
    ForumFactory.create_batch(30, council=council_a)
    html = client_for(member_a).get("/c/council-a/forums/", {"page": 2}).content.decode()
    assert "Showing 26 to 30 of 30" in html


def test_list_query_count_is_constant(council_a, member_a):
    client = client_for(member_a)
    assert_constant_queries(
        lambda: client.get("/c/council-a/forums/"),
        grow=lambda n: ForumFactory.create_batch(n, council=council_a),
    )


def test_search_with_odd_characters_is_not_an_error(council_a, member_a, admin_a):
    ForumFactory(council=council_a, name="Youth Council")
    for url in ("/c/council-a/forums/", "/api/v1/c/council-a/forums/"):
        assert client_for(member_a).get(url, {"q": "youth\x00"}).status_code == 200
    assert client_for(admin_a).get("/c/council-a/people/", {"q": "\x00"}).status_code == 200
