from playwright.sync_api import expect

from participation.models import Membership
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, CouncilFactory, ForumFactory, MembershipFactory


def test_sign_in_see_home_switch_council_sign_out(page, live_server, transactional_db):
    north = CouncilFactory(name="Northbrook Borough Council", slug="northbrook")
    west = CouncilFactory(name="Westmoor County Council", slug="westmoor", brand_colour="#6b2c6f")
    officer = MembershipFactory(
        council=north, role=Membership.Role.PARTICIPATION_OFFICER, user__full_name="Jordan Reeve"
    )
    MembershipFactory(council=west, user=officer.user, role=Membership.Role.MANAGER)
    ForumFactory(council=north, name="Children in Care Council")

    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="Sign in to Heard")).to_be_visible()
    assert_accessible(page)

    sign_in(page, live_server.url, officer.user.email, PASSWORD)
    expect(page.get_by_role("heading", name="Choose a council")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Northbrook Borough Council").click()
    expect(page.get_by_role("heading", name="Welcome, Jordan")).to_be_visible()
    expect(page.get_by_text("Participation officer")).to_be_visible()
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link", name="Forums")).to_be_visible()
    expect(menu.get_by_role("link", name="People")).to_have_count(0)
    assert_accessible(page)

    page.get_by_label("Council").select_option(label="Westmoor County Council")
    page.get_by_role("button", name="Switch").click()
    expect(page).to_have_url(f"{live_server.url}/c/westmoor/")
    expect(page.get_by_role("link", name="Westmoor County Council")).to_be_visible()
    expect(page.get_by_text("Manager", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Forums").click()
    expect(page.get_by_text("No forums yet.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to Heard")).to_be_visible()
    page.goto(f"{live_server.url}/c/westmoor/")
    expect(page).to_have_url(f"{live_server.url}/account/sign-in/?next=/c/westmoor/")
    assert_accessible(page)


def test_sign_in_error_is_announced_and_accessible(page, live_server, transactional_db):
    page.goto(live_server.url + "/account/sign-in/")
    page.get_by_label("Email address").fill("nobody@example.org")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter a correct email address and password")
    assert_accessible(page)


def test_repeated_wrong_passwords_pause_sign_in_with_a_clear_page(
    page, live_server, transactional_db
):
    member = MembershipFactory(council=CouncilFactory(slug="northbrook"))
    for _ in range(5):
        sign_in(page, live_server.url, member.user.email, "not the password")
    expect(page.get_by_role("heading", name="Sign in paused for 30 minutes")).to_be_visible()
    expect(page.get_by_role("link", name="Reset your password")).to_be_visible()
    assert_accessible(page)
