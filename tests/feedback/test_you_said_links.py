"""'You said, we did' entries linked to activities, and attached to strategy actions as evidence."""

import datetime

import pytest
from django.urls import reverse

from feedback.models import YouSaidActivity, YouSaidWeDid
from participation.strategy.models import EvidenceLink
from tests.conftest import client_for
from tests.feedback.factories import make_you_said
from tests.participation.activities.factories import ActivityFactory
from tests.participation.strategy.factories import ActionFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def url(name, council, *args):
    return reverse(name, args=[council.slug, *args])


def entry_post(**extra):
    data = {"you_said": "Nothing to do at weekends.", "we_did": "Saturday youth club."}
    data.update({"status": "planned", "date": "2026-05-01"})
    data.update(extra)
    return data


# Activities --------------------------------------------------------------------------------


def test_officer_links_activities_and_both_pages_show_the_link(council_a, officer_a, member_a):
    panel = ActivityFactory(council=council_a, title="Recruitment panel")
    forum = ActivityFactory(council=council_a, title="Youth forum May")
    client = client_for(officer_a)
    response = client.post(
        url("you_said_create", council_a),
        entry_post(activities=[panel.pk, forum.pk], owner=officer_a.user.pk),
    )
    assert response.status_code == 302
    entry = YouSaidWeDid.objects.get(council=council_a)
    assert response["Location"] == url("you_said_detail", council_a, entry.pk)
    assert set(entry.activities.all()) == {panel, forum}

    page = client.get(url("you_said_detail", council_a, entry.pk)).content.decode()
    assert "Recruitment panel" in page and "Youth forum May" in page
    assert url("activity_detail", council_a, panel.pk) in page

    # Every member sees the entry on the activity; only readers of results get the link.
    as_officer = client.get(url("activity_detail", council_a, panel.pk)).content.decode()
    assert "Nothing to do at weekends." in as_officer
    assert url("you_said_detail", council_a, entry.pk) in as_officer
    as_practitioner = client_for(member_a).get(url("activity_detail", council_a, panel.pk))
    assert "Nothing to do at weekends." in as_practitioner.content.decode()
    assert url("you_said_detail", council_a, entry.pk) not in as_practitioner.content.decode()


def test_untick_removes_only_that_link(council_a, officer_a):
    keep, drop = ActivityFactory(council=council_a), ActivityFactory(council=council_a)
    entry = make_you_said(council_a)
    YouSaidActivity.objects.create(council=council_a, entry=entry, activity=keep)
    YouSaidActivity.objects.create(council=council_a, entry=entry, activity=drop)
    response = client_for(officer_a).post(
        url("you_said_edit", council_a, entry.pk),
        entry_post(activities=[keep.pk], owner=officer_a.user.pk),
    )
    assert response.status_code == 302
    assert list(entry.activities.all()) == [keep]


def test_another_councils_activity_is_refused_and_nothing_changes(council_a, council_b, officer_a):
    mine = ActivityFactory(council=council_a)
    theirs = ActivityFactory(council=council_b)
    entry = make_you_said(council_a, we_did="Before")
    YouSaidActivity.objects.create(council=council_a, entry=entry, activity=mine)
    client = client_for(officer_a)
    response = client.post(
        url("you_said_edit", council_a, entry.pk),
        entry_post(we_did="After", activities=[mine.pk, theirs.pk], owner=officer_a.user.pk),
    )
    assert response.status_code == 200
    assert "Choose activities from your own council&#x27;s participation log." in (
        response.content.decode()
    )
    entry.refresh_from_db()
    assert entry.we_did == "Before"
    assert list(entry.activities.all()) == [mine]

    response = client.post(url("you_said_create", council_a), entry_post(activities=["x1"]))
    assert response.status_code == 200
    assert YouSaidWeDid.objects.filter(council=council_a).count() == 1


def test_service_refuses_another_councils_activity(council_a, council_b, officer_a):
    from django.core.exceptions import ValidationError

    from feedback import services

    with pytest.raises(ValidationError, match="your own council"):
        services.you_said_create(
            council=council_a,
            actor=officer_a.user,
            you_said="a",
            we_did="b",
            owner=officer_a.user,
            activities=[ActivityFactory(council=council_b)],
        )
    assert not YouSaidWeDid.objects.filter(council=council_a).exists()


def test_service_refuses_an_owner_from_another_council(council_a, officer_a, member_b):
    from django.core.exceptions import ValidationError

    from feedback import services

    with pytest.raises(ValidationError, match="member of this council"):
        services.you_said_create(
            council=council_a, actor=officer_a.user, you_said="a", we_did="b", owner=member_b.user
        )
    assert not YouSaidWeDid.objects.exists()


def test_service_refuses_an_owner_who_has_left_and_keeps_the_entry(council_a, officer_a, member_a):
    from django.core.exceptions import ValidationError

    from feedback import services

    entry = make_you_said(council_a, owner=officer_a.user)
    member_a.is_active = False
    member_a.save()
    with pytest.raises(ValidationError, match="member of this council"):
        services.you_said_update(entry=entry, actor=officer_a.user, owner=member_a.user)
    entry = YouSaidWeDid.objects.get(pk=entry.pk)
    assert entry.owner == officer_a.user
    # Changing something else keeps the owner, even one who has since left.
    officer_a.is_active = False
    officer_a.save()
    services.you_said_update(entry=entry, actor=officer_a.user, owner=officer_a.user, we_did="c")
    assert YouSaidWeDid.objects.get(pk=entry.pk).we_did == "c"


def test_search_finds_older_activities_keeps_typing_and_saves_nothing(council_a, officer_a):
    old = ActivityFactory(
        council=council_a, title="Takeover day 2019", starts_on=datetime.date(2019, 3, 1)
    )
    ticked = ActivityFactory(council=council_a, title="Ticked earlier")
    ActivityFactory.create_batch(31, council=council_a, starts_on=datetime.date(2026, 6, 1))
    client = client_for(officer_a)
    first = client.get(url("you_said_create", council_a)).content.decode()
    assert "Takeover day 2019" not in first  # only the 30 most recent are listed

    response = client.post(
        url("you_said_create", council_a),
        entry_post(
            you_said="Typed words",
            activity_search="takeover",
            activities=[ticked.pk],
            find_activities="1",
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Takeover day 2019" in page and "Typed words" in page
    assert f'value="{old.pk}"' in page
    assert f'value="{ticked.pk}"' in page  # still listed (and ticked) though it does not match
    assert "There is a problem" not in page
    assert not YouSaidWeDid.objects.filter(council=council_a).exists()


def test_who_may_link_activities(council_a, member_a, manager_a, member_b):
    entry = make_you_said(council_a, we_did="Before")
    activity = ActivityFactory(council=council_a)
    data = entry_post(we_did="After", activities=[activity.pk])
    assert (
        client_for(member_a).post(url("you_said_edit", council_a, entry.pk), data).status_code
        == 403
    )
    assert (
        client_for(manager_a).post(url("you_said_edit", council_a, entry.pk), data).status_code
        == 403
    )
    assert (
        client_for(member_b).post(url("you_said_edit", council_a, entry.pk), data).status_code
        == 404
    )
    entry.refresh_from_db()
    assert entry.we_did == "Before" and not entry.activities.exists()
    # Managers read the entry page; practitioners do not; council B sees nothing.
    assert client_for(manager_a).get(url("you_said_detail", council_a, entry.pk)).status_code == 200
    assert client_for(member_a).get(url("you_said_detail", council_a, entry.pk)).status_code == 403
    assert client_for(member_b).get(url("you_said_detail", council_a, entry.pk)).status_code == 404


# Evidence for strategy actions ------------------------------------------------------------------


def test_officer_attaches_entry_and_action_page_links_to_it(council_a, officer_a):
    entry = make_you_said(council_a)
    action = ActionFactory(council=council_a, title="Open youth centres at weekends")
    client = client_for(officer_a)
    response = client.post(
        url("you_said_attach", council_a, entry.pk),
        {"action": action.pk, "description": "Saturday club opened"},
    )
    assert response.status_code == 302
    link = EvidenceLink.objects.get(action=action)
    assert link.record == entry and link.added_by == officer_a.user

    page = client.get(url("action_detail", council_a, action.pk)).content.decode()
    assert f'href="{url("you_said_detail", council_a, entry.pk)}"' in page
    assert "Saturday club opened" in page
    detail = client.get(url("you_said_detail", council_a, entry.pk)).content.decode()
    assert "Open youth centres at weekends" in detail

    again = client.post(
        url("you_said_attach", council_a, entry.pk), {"action": action.pk, "description": "x"}
    )
    assert "This is already evidence for that action." in again.content.decode()
    assert EvidenceLink.objects.filter(action=action).count() == 1


def test_attach_refuses_another_councils_action(council_a, council_b, officer_a):
    entry = make_you_said(council_a)
    theirs = ActionFactory(council=council_b)
    response = client_for(officer_a).post(
        url("you_said_attach", council_a, entry.pk), {"action": theirs.pk, "description": "x"}
    )
    assert response.status_code == 200
    assert "Choose an action from your council&#x27;s action plans." in response.content.decode()
    assert not EvidenceLink.objects.exists()


def test_only_those_who_edit_actions_may_attach(council_a, member_a, manager_a, member_b):
    entry = make_you_said(council_a)
    action = ActionFactory(council=council_a)
    data = {"action": action.pk, "description": "x"}
    assert (
        client_for(member_a).post(url("you_said_attach", council_a, entry.pk), data).status_code
        == 403
    )
    assert (
        client_for(manager_a).post(url("you_said_attach", council_a, entry.pk), data).status_code
        == 403
    )
    assert (
        client_for(member_b).post(url("you_said_attach", council_a, entry.pk), data).status_code
        == 404
    )
    assert not EvidenceLink.objects.exists()
    page = client_for(manager_a).get(url("you_said_detail", council_a, entry.pk)).content.decode()
    assert "Attach to a strategy action" not in page


def _attached(council, actor):
    entry = make_you_said(council)
    action = ActionFactory(council=council)
    link = EvidenceLink.objects.create(
        council=council, action=action, description="Entry", record=entry, added_by=actor.user
    )
    return entry, action, link


def test_detach_asks_first_then_removes_only_the_link(council_a, admin_a):
    entry, action, link = _attached(council_a, admin_a)
    client = client_for(admin_a)
    detail = client.get(url("action_detail", council_a, action.pk)).content.decode()
    remove_url = url("evidence_remove", council_a, action.pk, link.pk)
    assert remove_url in detail
    confirm = client.get(remove_url)
    assert confirm.status_code == 200 and "Remove this evidence from the action?" in (
        confirm.content.decode()
    )
    assert EvidenceLink.objects.filter(pk=link.pk).exists()
    response = client.post(remove_url)
    assert response.status_code == 302
    assert not EvidenceLink.objects.filter(pk=link.pk).exists()
    assert YouSaidWeDid.objects.filter(pk=entry.pk).exists()


def test_who_may_detach(council_a, member_a, manager_a, member_b, officer_a):
    _, action, link = _attached(council_a, officer_a)
    remove_url = url("evidence_remove", council_a, action.pk, link.pk)
    assert client_for(member_a).post(remove_url).status_code == 403
    assert client_for(manager_a).post(remove_url).status_code == 403
    assert client_for(member_b).post(remove_url).status_code == 404
    assert EvidenceLink.objects.filter(pk=link.pk).exists()
    # Evidence of another action cannot be removed through this action's address.
    other = ActionFactory(council=council_a)
    wrong = url("evidence_remove", council_a, other.pk, link.pk)
    assert client_for(officer_a).post(wrong).status_code == 404
    assert EvidenceLink.objects.filter(pk=link.pk).exists()


# Query counts --------------------------------------------------------------------------------


def test_pages_have_constant_queries(council_a, officer_a):
    client = client_for(officer_a)
    entry = make_you_said(council_a)
    action = ActionFactory(council=council_a)
    activity = ActivityFactory(council=council_a)

    def grow_entry(n):
        for _ in range(n):
            YouSaidActivity.objects.create(
                council=council_a, entry=entry, activity=ActivityFactory(council=council_a)
            )
            EvidenceLink.objects.create(
                council=council_a,
                action=ActionFactory(council=council_a),
                description="e",
                record=entry,
            )

    assert_constant_queries(
        lambda: client.get(url("you_said_detail", council_a, entry.pk)), grow=grow_entry
    )

    def grow_action(n):
        for _ in range(n):
            EvidenceLink.objects.create(
                council=council_a,
                action=action,
                description="e",
                record=make_you_said(council_a),
            )

    assert_constant_queries(
        lambda: client.get(url("action_detail", council_a, action.pk)), grow=grow_action
    )

    def grow_activity(n):
        for _ in range(n):
            YouSaidActivity.objects.create(
                council=council_a, entry=make_you_said(council_a), activity=activity
            )

    assert_constant_queries(
        lambda: client.get(url("activity_detail", council_a, activity.pk)), grow=grow_activity
    )

    def grow_choices(n):
        ActivityFactory.create_batch(n, council=council_a)

    assert_constant_queries(
        lambda: client.get(url("you_said_edit", council_a, entry.pk)), grow=grow_choices
    )
