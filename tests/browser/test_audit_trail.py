from playwright.sync_api import expect

from participation.models import Membership
from tests.browser.conftest import assert_accessible, assert_no_sideways_scroll, sign_in
from tests.factories import PASSWORD, CouncilFactory, MembershipFactory
from tests.participation.activities.factories import YoungPersonFactory


def test_an_admin_reads_and_filters_the_audit_trail(phone_page, live_server, transactional_db):
    page = phone_page
    council = CouncilFactory(name="Northbrook Borough Council", slug="northbrook")
    admin = MembershipFactory(council=council, role=Membership.Role.COUNCIL_ADMIN)
    sign_in(page, live_server.url, admin.user.email, PASSWORD)
    page.goto(f"{live_server.url}/c/northbrook/settings/")
    page.get_by_label("Council name").fill("Northbrook Council")
    page.get_by_role("button", name="Save settings").click()
    person = YoungPersonFactory(council=council, preferred_name="Kai")

    page.get_by_role("link", name="See the audit trail").click()
    expect(page.get_by_role("heading", name="Audit trail")).to_be_visible()
    expect(page.get_by_text("Changed council #")).to_be_visible()
    expect(page.locator("ins", has_text="Northbrook Council")).to_be_visible()
    expect(page.get_by_text("Signed in").first).to_be_visible()
    assert_accessible(page)
    assert_no_sideways_scroll(page)

    page.get_by_label("Record type").select_option(label="Young person")
    page.get_by_label("Record id").fill(str(person.pk))
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text(f"Created young person #{person.pk}")).to_be_visible()
    expect(page.get_by_text("Changed council #")).to_have_count(0)
    assert_accessible(page)

    page.get_by_label("Record id").fill("999999")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("No entries match these filters.")).to_be_visible()
    page.get_by_label("From").fill("2026-05-02")
    page.get_by_label("To").fill("2026-05-01")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The end date must be")
    assert_accessible(page)
