from playwright.sync_api import expect

from participation.models import Invitation, Membership
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, CouncilFactory, ForumFactory, MembershipFactory


def test_admin_pages_forms_and_errors_are_accessible(phone_page, live_server, transactional_db):
    page = phone_page
    council = CouncilFactory(name="Northbrook Borough Council", slug="northbrook")
    admin = MembershipFactory(council=council, role=Membership.Role.COUNCIL_ADMIN)
    MembershipFactory(council=council, role=Membership.Role.PRACTITIONER)
    # Long names and addresses must wrap at 200% zoom (640 px), not push the page sideways.
    MembershipFactory(
        council=council,
        user__full_name="Alexandra Montgomery-Fitzwilliam-Featherstonehaugh",
        user__email="alexandra.montgomery-fitzwilliam@childrens-services.northbrook.example",
    )
    forum = ForumFactory(council=council, name="Youth Council", purpose="Campaigns.")
    sign_in(page, live_server.url, admin.user.email, PASSWORD)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", name="People in Northbrook Borough Council")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Name or email").fill("nobody at all")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("No one matches these filters.")).to_be_visible()
    assert_accessible(page)  # the filtered list, with its "Clear filters" link
    page.goto(f"{live_server.url}/c/northbrook/forums/?q=youth")
    expect(page.get_by_role("link", name="Youth Council")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/c/northbrook/people/")

    page.get_by_role("button", name="Invite someone").click()
    page.get_by_label("Email address").fill("not an email")
    page.get_by_role("button", name="Send invitation").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter an email address in the right format")
    expect(summary).to_contain_text("Choose what they will do in Heard")
    # GOV.UK Frontend's JavaScript (static/heard/init.mjs) moves focus to the summary.
    expect(summary).to_be_focused()
    assert_accessible(page)
    assert not Invitation.objects.exists()

    page.get_by_label("Email address").fill("new.officer@northbrook.example")
    page.get_by_label("Participation officer").check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to new.officer@northbrook.example")).to_be_visible()
    expect(
        page.get_by_role("cell", name="new.officer@northbrook.example", exact=True)
    ).to_be_visible()

    page.goto(f"{live_server.url}/c/northbrook/forums/new/")
    page.get_by_role("button", name="Add forum").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the forum")
    assert_accessible(page)

    page.goto(f"{live_server.url}/c/northbrook/forums/{forum.pk}/")
    expect(page.get_by_role("heading", name="Youth Council")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/c/northbrook/settings/")
    assert_accessible(page)

    page.goto(f"{live_server.url}/c/somewhere-else/")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    assert_accessible(page)


def test_403_page_is_accessible(page, live_server, transactional_db):
    council = CouncilFactory(slug="northbrook")
    practitioner = MembershipFactory(council=council, role=Membership.Role.PRACTITIONER)
    sign_in(page, live_server.url, practitioner.user.email, PASSWORD)
    page.goto(f"{live_server.url}/c/northbrook/people/")
    expect(page.get_by_role("heading", name="Your role does not include this")).to_be_visible()
    assert_accessible(page)
