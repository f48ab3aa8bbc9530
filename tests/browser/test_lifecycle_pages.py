from playwright.sync_api import expect

from lifecycle.models import RetentionPeriod
from participation.models import Membership
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, CouncilFactory, MembershipFactory
from tests.lifecycle.factories import named_everywhere


def test_data_protection_pages_are_accessible(page, phone_page, live_server, transactional_db):
    council = CouncilFactory(name="Northbrook Borough Council", slug="northbrook")
    admin = MembershipFactory(council=council, role=Membership.Role.COUNCIL_ADMIN)
    person, _ = named_everywhere(council, name="Harper")
    sign_in(page, live_server.url, admin.user.email, PASSWORD)

    page.goto(f"{live_server.url}/c/northbrook/settings/")
    page.get_by_role("link", name="How long records are kept").click()
    expect(page.get_by_role("heading", name="How long records are kept")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Written answers to feedback (months)").fill("0")
    page.get_by_role("button", name="Save periods").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("must be at least 1 month")
    assert_accessible(page)
    assert not RetentionPeriod.objects.exists()

    page.get_by_role("link", name="See what will be removed next month").click()
    expect(page.get_by_role("heading", name="What will be removed next month")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/c/northbrook/data/privacy-notice/")
    expect(page.get_by_role("heading", name="Privacy notice")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/c/northbrook/young-people/{person.pk}/erase/")
    expect(page.get_by_role("heading", name="Erase Harper's record")).to_be_visible()
    assert_accessible(page)

    # The public notice, on a phone, signed out.
    phone_page.goto(f"{live_server.url}/c/northbrook/privacy/")
    expect(phone_page.get_by_role("heading", name="How we look after your answers")).to_be_visible()
    assert_accessible(phone_page)
