from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from forums import selectors, services
from forums.models import ConsultationRequest
from tests.conftest import client_for
from tests.factories import ForumFactory
from tests.forums.factories import make_meeting
from tests.querycount import assert_constant_queries

TODAY = timezone.localdate()
REQUEST = {
    "topic": "The new placement sufficiency plan",
    "reason": "We will change the plan based on what they say.",
    "needed_by": (TODAY + timedelta(days=40)).isoformat(),
    "format": "discussion",
}


@pytest.fixture
def forum(council_a):
    return ForumFactory(council=council_a, name="Children in Care Council")


def ask_to_consult(forum, membership, **fields):
    data = {**REQUEST, **fields, "needed_by": TODAY + timedelta(days=40)}
    return services.consultation_request_create(forum=forum, actor=membership.user, **data)


def test_a_practitioner_asks_the_officer_schedules_and_the_forums_views_go_back(
    forum, member_a, officer_a, django_capture_on_commit_callbacks
):
    client = client_for(member_a)
    response = client.post(f"/c/council-a/forums/{forum.pk}/consultations/new/", REQUEST)
    request = ConsultationRequest.objects.get()
    assert response.status_code == 302 and request.requested_by == member_a.user
    assert "Waiting for the officer" in client.get("/c/council-a/").content.decode()
    meeting = make_meeting(forum, actor=officer_a.user, date=TODAY + timedelta(days=10))
    officer = client_for(officer_a)
    base = f"/c/council-a/forums/{forum.pk}/consultations/{request.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(f"{base}decide/", {"decision": "schedule", "meeting": meeting.pk})
    request.refresh_from_db()
    assert request.status == "scheduled" and request.meeting == meeting
    assert mail.outbox[-1].to == [member_a.user.email]
    assert "Scheduled into a meeting" in mail.outbox[-1].subject
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(f"{base}outcome/", {"forum_said": "Keep brothers and sisters together."})
    assert "Keep brothers and sisters" not in mail.outbox[-1].body  # the words stay in Heard
    html = client.get(base).content.decode()
    assert "Keep brothers and sisters together." in html
    assert selectors.forum_consultations(forum=forum)["recent"] == 1


def test_declining_needs_a_reason_the_requester_sees(forum, member_a, officer_a):
    request = ask_to_consult(forum, member_a)
    with pytest.raises(ValidationError, match="Enter why you are declining"):
        services.consultation_decide(request=request, actor=officer_a.user, decision="decline")
    request.refresh_from_db()
    assert request.status == "submitted"
    services.consultation_decide(
        request=request,
        actor=officer_a.user,
        decision="decline",
        decline_reason="They were consulted on this in May.",
    )
    html = (
        client_for(member_a)
        .get(f"/c/council-a/forums/{forum.pk}/consultations/{request.pk}/")
        .content.decode()
    )
    assert "They were consulted on this in May." in html
    with pytest.raises(ValidationError, match="already declined"):
        services.consultation_decide(request=request, actor=officer_a.user, decision="accept")


def test_a_consultation_cannot_be_scheduled_into_a_meeting_that_already_happened(
    forum, member_a, officer_a
):
    request = ask_to_consult(forum, member_a)
    held = make_meeting(forum, actor=officer_a.user, date=TODAY - timedelta(days=3))
    other_forum = make_meeting(
        ForumFactory(council=forum.council), actor=officer_a.user, date=TODAY + timedelta(days=3)
    )
    for meeting, message in ((held, "already happened"), (other_forum, "this forum's")):
        with pytest.raises(ValidationError, match=message):
            services.consultation_decide(
                request=request, actor=officer_a.user, decision="schedule", meeting=meeting
            )
    request.refresh_from_db()
    assert request.status == "submitted" and request.meeting is None


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"topic": ""}, "Enter what you want"),
        ({"reason": ""}, "Enter why"),
        ({"needed_by": ""}, "Enter the date you need"),
        ({"needed_by": (TODAY - timedelta(days=1)).isoformat()}, "today or later"),
    ],
)
def test_bad_requests_say_what_to_fix(forum, member_a, fields, message):
    html = (
        client_for(member_a)
        .post(f"/c/council-a/forums/{forum.pk}/consultations/new/", {**REQUEST, **fields})
        .content.decode()
    )
    assert message in html
    assert not ConsultationRequest.objects.exists()


def test_only_the_requester_and_officers_see_a_request(forum, member_a, manager_a, officer_a):
    request = ask_to_consult(forum, member_a)
    base = f"/c/council-a/forums/{forum.pk}/consultations/{request.pk}/"
    assert client_for(manager_a).get(base).status_code == 403
    assert client_for(officer_a).get(base).status_code == 200
    assert client_for(member_a).post(f"{base}decide/", {"decision": "accept"}).status_code == 403
    request.refresh_from_db()
    assert request.status == "submitted"
    # Managers may ask too.
    response = client_for(manager_a).post(
        f"/c/council-a/forums/{forum.pk}/consultations/new/", REQUEST
    )
    assert response.status_code == 302


def test_consultation_counts_for_the_report(forum, member_a, officer_a):
    a, b = ask_to_consult(forum, member_a), ask_to_consult(forum, member_a)
    ask_to_consult(forum, member_a)
    services.consultation_decide(request=a, actor=officer_a.user, decision="accept")
    services.consultation_decide(
        request=b, actor=officer_a.user, decision="decline", decline_reason="Too soon"
    )
    counts = selectors.consultation_counts(council=forum.council, start=TODAY, end=TODAY)
    assert counts["requested"] == 3 and counts["accepted"] == 1 and counts["declined"] == 1
    assert counts["submitted"] == 1


def test_forum_page_with_requests_keeps_its_query_count(forum, member_a, officer_a):
    client = client_for(officer_a)
    assert_constant_queries(
        lambda: client.get(f"/c/council-a/forums/{forum.pk}/"),
        grow=lambda n: [ask_to_consult(forum, member_a) for _ in range(n)],
    )


def test_forum_consultations_counts_the_window_and_lists_what_is_still_to_do(forum, member_a):
    CR = ConsultationRequest
    made = {
        key: ask_to_consult(forum, member_a, topic=f"Topic {key}")
        for key in ("waiting", "accepted", "done", "old", "declined")
    }
    week_ago = TODAY - timedelta(days=7)
    for key, status, day in (
        ("accepted", CR.Status.ACCEPTED, week_ago),
        ("done", CR.Status.DONE, week_ago),
        ("old", CR.Status.DONE, TODAY - timedelta(days=200)),
        ("declined", CR.Status.DECLINED, week_ago),
    ):
        CR.objects.filter(pk=made[key].pk).update(status=status, decided_on=day)
    data = selectors.forum_consultations(forum=forum)
    assert data["recent"] == 2  # accepted and done this week; not the old one, not the declined
    assert [r.pk for r in data["pending"]] == [made["waiting"].pk, made["accepted"].pk]
