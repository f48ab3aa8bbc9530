from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from feedback.models import YouSaidWeDid
from forums.models import Attendance, Meeting
from participation.models import Membership
from tests.browser.conftest import _new_page, assert_accessible, sign_in
from tests.factories import PASSWORD, CouncilFactory, ForumFactory, MembershipFactory
from tests.forums.factories import ForumMemberFactory
from tests.participation.activities.factories import YoungPersonFactory

TABLET = {"width": 820, "height": 1180}


@pytest.fixture
def tablet(browser):
    context, page = _new_page(
        browser, viewport=TABLET, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    yield page
    problems = list(page.heard_problems)
    context.close()
    assert not problems, "\n".join(problems)


@pytest.fixture
def desktop(browser):
    context, page = _new_page(browser, viewport={"width": 1280, "height": 900})
    yield page
    problems = list(page.heard_problems)
    context.close()
    assert not problems, "\n".join(problems)


def test_a_meeting_its_attendance_and_an_ask_answered_into_you_said_we_did(
    tablet, desktop, live_server, transactional_db
):
    council = CouncilFactory(name="Northbrook Borough Council", slug="northbrook")
    officer = MembershipFactory(
        council=council, role=Membership.Role.PARTICIPATION_OFFICER, user__full_name="Tom Okafor"
    )
    manager = MembershipFactory(
        council=council, role=Membership.Role.MANAGER, user__full_name="Grace Adeyemi"
    )
    forum = ForumFactory(council=council, name="Children in Care Council")
    joined = timezone.localdate() - timedelta(days=200)
    for name in ("Amani", "Wren", "Kit"):
        ForumMemberFactory(
            council=council,
            forum=forum,
            joined_on=joined,
            young_person=YoungPersonFactory(council=council, preferred_name=name),
        )
    day = timezone.localdate() - timedelta(days=2)

    page = tablet
    sign_in(page, live_server.url, officer.user.email, PASSWORD)
    page.goto(f"{live_server.url}/c/northbrook/forums/")
    assert_accessible(page)
    page.get_by_role("link", name="Children in Care Council").click()
    assert_accessible(page)
    page.get_by_role("button", name="Record a meeting").click()
    assert_accessible(page)
    page.get_by_label("Date of the meeting").fill(day.isoformat())
    page.get_by_label("Where").fill("The Youth Hub")
    page.get_by_label("Summary for the young people").fill("We talked about bus passes.")
    page.get_by_role("button", name="Record meeting").click()
    expect(page.get_by_text("logged as a participation activity")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Record attendance").click()
    expect(page.get_by_role("heading", name="Attendance")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="Amani").get_by_label("Present").check()
    page.get_by_role("group", name="Wren").get_by_label("Present").check()
    page.get_by_role("group", name="Kit").get_by_label("Apologies").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance saved.")).to_be_visible()
    # The whole summary: "2 present" alone also matches a row whose reference ends in 2.
    expect(page.get_by_text("2 present, 1 sent apologies")).to_be_visible()

    page.get_by_role("link", name="Record an ask from this meeting").click()
    assert_accessible(page)
    page.get_by_label("What did the forum ask for?").fill("Free bus passes for care leavers")
    page.get_by_label("Who is it for in the council?").select_option(label="Grace Adeyemi")
    page.get_by_label("Answer due by").fill((timezone.localdate() + timedelta(days=20)).isoformat())
    page.get_by_role("button", name="Record ask").click()
    expect(page.get_by_text("Ask recorded.")).to_be_visible()
    assert_accessible(page)

    meeting = Meeting.objects.get()
    assert meeting.activity.participations.count() == 2
    assert Attendance.objects.filter(status="apologies").count() == 1

    page = desktop
    sign_in(page, live_server.url, manager.user.email, PASSWORD)
    waiting = page.get_by_role("region", name="Asks waiting for your answer")
    expect(waiting).to_contain_text("Free bus passes for care leavers")
    assert_accessible(page)
    waiting.get_by_role("link", name="Free bus passes for care leavers").click()
    assert_accessible(page)
    page.get_by_role("button", name="Answer the ask").click()
    assert_accessible(page)
    page.get_by_label("Done: we did what they asked").check()
    page.get_by_label("What was done, or why it is not possible").fill(
        "Care leavers travel free on buses from April."
    )
    page.get_by_label("Add it to 'you said, we did'").check()
    page.get_by_label("Publish it on the council's public").check()
    page.get_by_role("button", name="Save answer").click()
    expect(page.get_by_text("Answer saved.")).to_be_visible()
    assert_accessible(page)

    entry = YouSaidWeDid.objects.get()
    assert entry.forum_ask.meeting == meeting and entry.is_published
    page.goto(f"{live_server.url}/c/northbrook/you-said-we-did/")
    expect(page.get_by_text("Care leavers travel free on buses from April.")).to_be_visible()
    assert_accessible(page)


def test_consultation_and_other_forum_pages_are_accessible(desktop, live_server, transactional_db):
    from forums import services

    council = CouncilFactory(name="Northbrook Borough Council", slug="northbrook")
    officer = MembershipFactory(council=council, role=Membership.Role.PARTICIPATION_OFFICER)
    forum = ForumFactory(council=council, name="Youth Council")
    member = ForumMemberFactory(
        council=council, forum=forum, joined_on=timezone.localdate() - timedelta(days=90)
    )
    meeting = services.meeting_create(
        forum=forum,
        actor=officer.user,
        date=timezone.localdate() + timedelta(days=7),
        place="Town Hall",
    )
    page = desktop
    sign_in(page, live_server.url, officer.user.email, PASSWORD)
    base = f"{live_server.url}/c/northbrook/forums/{forum.pk}/"
    page.goto(f"{base}consultations/new/")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter what you want to consult")
    assert_accessible(page)
    page.get_by_label("What do you want to consult them about?").fill("Youth club opening hours")
    page.get_by_label("Why, and what will change").fill("We will set the hours from it.")
    page.get_by_label("Date you need their views by").fill(
        (timezone.localdate() + timedelta(days=30)).isoformat()
    )
    page.get_by_label("A discussion at a meeting").check()
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Request sent.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Decide").click()
    assert_accessible(page)
    page.get_by_label("Schedule it into a meeting").check()
    page.get_by_label("Meeting (when scheduling)").select_option(label=f"{meeting.date:%-d %B %Y}")
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("Decision saved.")).to_be_visible()
    page.get_by_role("button", name="Record what the forum said").click()
    assert_accessible(page)
    page.goto(base)
    expect(page.get_by_text("1 consultation taken on in the last three months")).to_be_visible()
    assert_accessible(page)
    for path in (
        f"meetings/{meeting.pk}/edit/",
        f"meetings/{meeting.pk}/guests/add/",
        f"meetings/{meeting.pk}/attendance/",
        "asks/new/",
        "work/new/",
        "adults/add/",
        "edit/",
        "terms-of-reference/",
        "calendar/",
        "summary/",
    ):
        page.goto(base + path)
        assert_accessible(page)
    page.goto(f"{live_server.url}/c/northbrook/forums/asks/mine/")
    assert_accessible(page)
    page.goto(f"{live_server.url}/c/northbrook/young-people/{member.young_person_id}/")
    assert_accessible(page)
