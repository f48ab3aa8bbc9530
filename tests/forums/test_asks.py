from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from feedback.models import YouSaidActivity, YouSaidWeDid
from forums import selectors, services, tasks
from forums.models import Ask, AskAnswer
from tests.conftest import client_for
from tests.factories import ForumFactory, MembershipFactory
from tests.forums.factories import make_ask, make_meeting
from tests.querycount import assert_constant_queries

TODAY = timezone.localdate()


@pytest.fixture
def forum(council_a):
    return ForumFactory(council=council_a, name="Care Leavers Forum")


def test_the_ask_lifecycle_keeps_every_answer(forum, officer_a, manager_a):
    ask = make_ask(forum, actor=officer_a.user, addressed_to=manager_a.user)
    assert ask.status == Ask.Status.OPEN and ask.is_waiting
    services.ask_answer(
        ask=ask, actor=manager_a.user, status="partly_done", response="Passes for under-21s."
    )
    ask.refresh_from_db()
    assert ask.status == "partly_done" and ask.is_waiting
    services.ask_answer(
        ask=ask, actor=manager_a.user, status="answered", response="Passes for everyone."
    )
    ask.refresh_from_db()
    assert ask.status == "answered" and not ask.is_waiting
    assert ask.response == "Passes for everyone." and ask.answered_by == manager_a.user
    history = list(selectors.ask_history(ask=ask))
    assert [a.response for a in history] == ["Passes for everyone.", "Passes for under-21s."]
    html = (
        client_for(officer_a).get(f"/c/council-a/forums/{forum.pk}/asks/{ask.pk}/").content.decode()
    )
    assert "Passes for under-21s." in html and "(the current answer)" in html


def test_an_answer_without_words_is_refused(forum, officer_a):
    ask = make_ask(forum, actor=officer_a.user)
    with pytest.raises(ValidationError):
        services.ask_answer(ask=ask, actor=officer_a.user, status="answered", response="  ")
    with pytest.raises(ValidationError):
        services.ask_answer(ask=ask, actor=officer_a.user, status="open", response="Done")
    ask.refresh_from_db()
    assert ask.status == "open" and not AskAnswer.objects.exists()


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"due_on": TODAY - timedelta(days=10)}, "cannot be due before the ask was raised"),
        ({"addressed_to_role": ""}, "Choose the person in the council"),
        ({"raised_on": TODAY + timedelta(days=1)}, "today or in the past"),
        ({"you_said": " "}, "Enter what the forum asked for"),
    ],
)
def test_bad_asks_are_refused(forum, officer_a, fields, message):
    data = {
        "you_said": "Bus passes",
        "raised_on": TODAY - timedelta(days=5),
        "addressed_to_role": "Lead Member",
        **fields,
    }
    with pytest.raises(ValidationError, match=message):
        services.ask_create(forum=forum, actor=officer_a.user, **data)
    assert not Ask.objects.exists()


def test_an_ask_cannot_be_for_a_practitioner_or_another_councils_person(
    forum, officer_a, member_a, admin_b
):
    for person in (member_a.user, admin_b.user):
        with pytest.raises(ValidationError, match="Choose a manager"):
            make_ask(forum, actor=officer_a.user, addressed_to=person)
    assert not Ask.objects.exists()


def test_an_ask_cannot_name_another_forums_meeting(forum, officer_a):
    other = make_meeting(ForumFactory(council=forum.council), actor=officer_a.user)
    with pytest.raises(ValidationError, match="this forum's meetings"):
        make_ask(forum, actor=officer_a.user, meeting=other)
    assert not Ask.objects.exists()


def test_the_person_asked_sees_it_on_their_home_page_and_answers_it(
    forum, officer_a, manager_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask = make_ask(forum, actor=officer_a.user, addressed_to=manager_a.user)
    assert mail.outbox[-1].to == [manager_a.user.email]
    assert "bus passes" not in mail.outbox[-1].body  # the words stay in Heard
    client = client_for(manager_a)
    home = client.get("/c/council-a/").content.decode()
    assert "Asks waiting for your answer" in home and "free bus passes" in home
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/c/council-a/forums/{forum.pk}/asks/{ask.pk}/answer/",
            {"status": "answered", "response": "Free passes from April.", "make_you_said": "on"},
        )
    assert response.status_code == 302
    assert mail.outbox[-1].to == [officer_a.user.email]
    assert "Asks waiting for your answer" not in client.get("/c/council-a/").content.decode()
    assert YouSaidWeDid.objects.get().we_did == "Free passes from April."


def test_managers_answer_only_the_asks_for_them(forum, officer_a, manager_a, member_a):
    other_manager = MembershipFactory(council=forum.council, role="manager")
    ask = make_ask(forum, actor=officer_a.user, addressed_to=other_manager.user)
    url = f"/c/council-a/forums/{forum.pk}/asks/{ask.pk}/answer/"
    data = {"status": "answered", "response": "No"}
    assert client_for(manager_a).post(url, data).status_code == 403
    assert client_for(member_a).post(url, data).status_code == 403
    assert client_for(member_a).get(f"/c/council-a/forums/{forum.pk}/asks/new/").status_code == 403
    ask.refresh_from_db()
    assert ask.status == "open" and not AskAnswer.objects.exists()
    # Officers may answer any ask (on behalf of an outside role, say).
    assert client_for(officer_a).post(url, data).status_code == 302


def test_an_answered_ask_becomes_a_published_you_said_we_did_in_one_step(
    forum, officer_a, manager_a
):
    meeting = make_meeting(forum, actor=officer_a.user)
    ask = make_ask(forum, actor=officer_a.user, addressed_to=manager_a.user, meeting=meeting)
    services.ask_answer(ask=ask, actor=manager_a.user, status="answered", response="Done.")
    client = client_for(manager_a)
    client.post(f"/c/council-a/forums/{forum.pk}/asks/{ask.pk}/you-said/", {"publish": "1"})
    ask.refresh_from_db()
    entry = ask.you_said_entry
    assert entry.forum_ask == ask
    assert entry.you_said == ask.you_said and entry.we_did == "Done." and entry.status == "done"
    assert entry.is_published and entry.owner == manager_a.user
    assert YouSaidActivity.objects.get(entry=entry).activity == meeting.activity
    assert "free bus passes" in Client().get("/c/council-a/you-said-we-did/").content.decode()
    # Answering again updates what young people are told; the old answer stays in history.
    services.ask_answer(
        ask=ask, actor=manager_a.user, status="answered", response="Done, and more."
    )
    entry.refresh_from_db()
    assert entry.we_did == "Done, and more." and AskAnswer.objects.count() == 2


def test_an_open_ask_cannot_become_you_said_we_did(forum, officer_a):
    ask = make_ask(forum, actor=officer_a.user)
    with pytest.raises(ValidationError, match="Only an answered"):
        services.ask_to_you_said(ask=ask, actor=officer_a.user)
    assert not YouSaidWeDid.objects.exists()


def test_the_owner_is_reminded_once_as_the_due_date_nears(forum, officer_a, manager_a):
    soon = make_ask(
        forum, actor=officer_a.user, addressed_to=manager_a.user, due_on=TODAY + timedelta(days=3)
    )
    make_ask(forum, actor=officer_a.user, due_on=TODAY + timedelta(days=30))  # not yet
    outside = make_ask(forum, actor=officer_a.user, due_on=TODAY + timedelta(days=2))
    mail.outbox.clear()
    assert tasks.remind_asks_due() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [manager_a.user.email, officer_a.user.email]  # an outside role's ask: its recorder
    )
    assert all("bus passes" not in m.body for m in mail.outbox)
    assert tasks.remind_asks_due() == 0 and len(mail.outbox) == 2
    # A new due date is a new reminder; an answered ask is not chased.
    services.ask_answer(ask=outside, actor=officer_a.user, status="not_possible", response="No.")
    Ask.objects.filter(pk=soon.pk).update(due_on=TODAY + timedelta(days=5))
    assert tasks.remind_asks_due() == 1


def test_report_counts_of_asks_raised_and_answered(forum, officer_a):
    start, end = TODAY - timedelta(days=30), TODAY
    make_ask(forum, actor=officer_a.user, raised_on=TODAY - timedelta(days=40))
    a = make_ask(forum, actor=officer_a.user)
    b = make_ask(forum, actor=officer_a.user)
    services.ask_answer(ask=a, actor=officer_a.user, status="answered", response="Yes")
    services.ask_answer(ask=b, actor=officer_a.user, status="not_possible", response="No")
    council = forum.council
    assert selectors.asks_raised(council=council, start=start, end=end) == 2
    answered = selectors.asks_answered(council=council, start=start, end=end)
    assert answered == {"answered": 1, "partly_done": 0, "not_possible": 1, "total": 2}
    html = client_for(officer_a).get("/c/council-a/forums/").content.decode()
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">1</td>' in html


@pytest.mark.parametrize("page", ["mine", "detail", "home"])
def test_ask_pages_query_counts_do_not_grow(forum, officer_a, manager_a, page):
    ask = make_ask(forum, actor=officer_a.user, addressed_to=manager_a.user)
    urls = {
        "mine": "/c/council-a/forums/asks/mine/",
        "detail": f"/c/council-a/forums/{forum.pk}/asks/{ask.pk}/",
        "home": "/c/council-a/",
    }
    client = client_for(manager_a)

    def grow(n):
        for i in range(n):
            extra = make_ask(forum, actor=officer_a.user, addressed_to=manager_a.user)
            services.ask_answer(
                ask=ask if page == "detail" else extra,
                actor=manager_a.user,
                status="partly_done",
                response=f"Step {i}",
            )

    assert_constant_queries(lambda: client.get(urls[page]), grow=grow)
