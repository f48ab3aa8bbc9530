from playwright.sync_api import expect

from api.models import ApiToken
from participation.models import Membership
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, CouncilFactory, MembershipFactory


def test_officer_creates_and_revokes_an_api_token(page, live_server, transactional_db):
    council = CouncilFactory(name="Northbrook Borough Council", slug="northbrook")
    officer = MembershipFactory(council=council, role=Membership.Role.PARTICIPATION_OFFICER)
    sign_in(page, live_server.url, officer.user.email, PASSWORD)
    page.goto(f"{live_server.url}/c/northbrook/")
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", name="Your API tokens")).to_be_visible()
    assert_accessible(page)

    # Without a name: the error summary says what to fix.
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter what the token is for")
    assert_accessible(page)

    page.get_by_label("What is it for?").fill("Mosaic sync")
    page.get_by_label("Read only").check()
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("heading", name="Your new token")).to_be_visible()
    shown = page.locator("#new-token").inner_text()
    assert shown.startswith("heard_") and ApiToken.objects.get().prefix in shown
    assert_accessible(page)

    page.get_by_role("button", name="Revoke Mosaic sync").click()
    expect(page.get_by_text("no longer works")).to_be_visible()
    assert ApiToken.objects.get().revoked_at is not None
    assert_accessible(page)
