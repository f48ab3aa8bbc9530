from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from participation.models import Membership
from participation.strategy.models import Action, IndicatorValue, Status, StatusUpdate
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, CouncilFactory, MembershipFactory
from tests.participation.strategy.factories import (
    ActionFactory,
    IndicatorFactory,
    ObjectiveFactory,
)


def test_manager_follows_the_amber_count_and_updates_an_action(page, live_server, transactional_db):
    council = CouncilFactory(name="Northbrook Borough Council", slug="northbrook")
    manager = MembershipFactory(
        council=council, role=Membership.Role.MANAGER, user__full_name="Helen Marsh"
    )
    objective = ObjectiveFactory(council=council, code="SP2", title="Children shape services")
    later = timezone.localdate() + timedelta(days=120)
    ActionFactory(council=council, objective=objective, status=Status.ON_TRACK, due_date=later)
    amber = ActionFactory(
        council=council,
        objective=objective,
        status=Status.OFF_TRACK,
        due_date=later,
        title="Recruit young inspectors",
        owner=manager,
    )
    ActionFactory(
        council=council,
        objective=objective,
        status=Status.OFF_TRACK,
        due_date=later,
        title="Train staff in MOMO",
    )

    indicator = IndicatorFactory(
        council=council, strategy=objective.strategy, title="Staff trained", unit="staff"
    )
    IndicatorValue.objects.create(
        council=council,
        indicator=indicator,
        quarter_end=objective.strategy.period_start + timedelta(days=90),
        value=361,
    )

    sign_in(page, live_server.url, manager.user.email, PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Action plans").click()
    page.get_by_role("link", name="Managers' dashboard").first.click()
    expect(page.get_by_role("heading", name="Managers' dashboard")).to_be_visible()
    expect(page.locator("svg[role=img]")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="2 off track actions").click()
    expect(page.get_by_role("heading", name="Actions", exact=True)).to_be_visible()
    expect(page.get_by_text("2 actions", exact=True)).to_be_visible()
    row = page.locator(f"#action-{amber.pk}")
    expect(row).to_contain_text("Off track")
    assert_accessible(page)

    row.get_by_label("New status for Recruit young inspectors").select_option("on_track")
    row.get_by_role("button", name="Update").click()
    # HTMX swaps the row in place: the page does not reload and the new status shows.
    row = page.locator(f"#action-{amber.pk}")
    expect(row).to_contain_text("Updated")
    expect(row).to_contain_text("On track")
    expect(page.get_by_text("2 actions", exact=True)).to_be_visible()
    assert_accessible(page)

    # The strategy page: the stacked bar, the quarter history and an indicator's trend chart.
    page.get_by_role("link", name="Action plans").click()
    page.get_by_role("link", name=objective.strategy.title).click()
    expect(page.get_by_role("heading", name="Staff trained", level=3)).to_be_visible()
    assert_accessible(page)

    amber.refresh_from_db()
    assert amber.status == Status.ON_TRACK
    assert StatusUpdate.objects.filter(action=amber, author=manager.user).count() == 1
    assert Action.objects.filter(status=Status.OFF_TRACK).count() == 1


def test_quick_update_works_without_javascript(browser, live_server, transactional_db):
    council = CouncilFactory(slug="westmoor")
    officer = MembershipFactory(council=council, role=Membership.Role.PARTICIPATION_OFFICER)
    action = ActionFactory(
        council=council,
        status=Status.NOT_STARTED,
        due_date=timezone.localdate() + timedelta(days=60),
        title="Launch the strategy",
    )
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    try:
        sign_in(page, live_server.url, officer.user.email, PASSWORD)
        page.goto(f"{live_server.url}/c/westmoor/strategy/actions/")
        row = page.locator(f"#action-{action.pk}")
        row.get_by_label("New status for Launch the strategy").select_option("completed")
        row.get_by_role("button", name="Update").click()
        expect(page.get_by_text("Status updated to Completed.")).to_be_visible()
        expect(page.locator(f"#action-{action.pk}")).to_contain_text("Completed")
    finally:
        context.close()
    action.refresh_from_db()
    assert action.status == Status.COMPLETED


def test_dashboard_and_list_fit_a_phone(phone_page, live_server, transactional_db):
    council = CouncilFactory(slug="northbrook")
    manager = MembershipFactory(council=council, role=Membership.Role.MANAGER)
    objective = ObjectiveFactory(council=council, code="SP1", title="A long objective title here")
    for status in Status.values:
        ActionFactory(
            council=council,
            objective=objective,
            status=status,
            owner=manager,
            title="Ensure children and young people are training new and current staff",
            due_date=timezone.localdate() + timedelta(days=20),
        )
    sign_in(phone_page, live_server.url, manager.user.email, PASSWORD)
    for path in ("/c/northbrook/strategy/dashboard/", "/c/northbrook/strategy/actions/"):
        phone_page.goto(live_server.url + path)
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= phone_page.viewport_size["width"], f"{path} is {width}px wide"
        assert_accessible(phone_page)


def test_officer_imports_a_plan_in_their_own_columns_and_links_an_owner(
    page, live_server, transactional_db, tmp_path
):
    from tests.participation.strategy.factories import StrategyFactory

    council = CouncilFactory(name="Northbrook Borough Council", slug="northbrook")
    officer = MembershipFactory(
        council=council, role=Membership.Role.PARTICIPATION_OFFICER, user__full_name="Priya Shah"
    )
    StrategyFactory(council=council, title="Northbrook participation strategy")
    plan = tmp_path / "our plan.csv"
    plan.write_text(
        "Ref,What we will do,Theme,Finish by,Lead officer,RAG\n"
        "1,Run a care leavers' drop-in,NT1 Care leavers shall be heard,31/03/2099,Sam Patel,Green\n"
        "2,Publish the booklet,NT2,30/09/2099,Priya Shah,Amber\n",
        encoding="utf-8",
    )

    sign_in(page, live_server.url, officer.user.email, PASSWORD)
    page.goto(f"{live_server.url}/c/northbrook/strategy/import/")
    assert_accessible(page)
    page.get_by_label("Upload the action plan").set_input_files(str(plan))
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_role("heading", name="Choose the columns to import")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Column C: Theme").select_option("objective")
    page.get_by_label("Column D: Finish by").select_option("due_date")
    page.get_by_label("Column E: Lead officer").select_option("owner")
    page.get_by_role("button", name="Use these columns").click()

    expect(page.get_by_role("heading", name="Check the import")).to_be_visible()
    expect(page.get_by_text("Columns not imported: Ref (column A).")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Import 2 actions").click()

    expect(page.get_by_role("heading", name="Owners to link to people in Heard")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Who is Sam Patel?").select_option(label="Priya Shah")
    page.get_by_role("button", name="Link Sam Patel").click()
    expect(page.get_by_text("1 action now owned by Priya Shah.")).to_be_visible()
    assert Action.objects.filter(owner=officer).count() == 2
