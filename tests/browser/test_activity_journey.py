from datetime import date

from playwright.sync_api import expect

from participation.activities.models import Activity
from participation.models import Membership
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, CouncilFactory, MembershipFactory
from tests.participation.activities.factories import (
    ActivityFactory,
    ParticipationFactory,
    YoungPersonFactory,
)


def test_officer_logs_an_activity_with_two_young_people_on_a_phone(
    phone_page, live_server, transactional_db
):
    page = phone_page
    council = CouncilFactory(name="Northbrook Borough Council", slug="northbrook")
    officer = MembershipFactory(
        council=council, role=Membership.Role.PARTICIPATION_OFFICER, user__full_name="Tom Okafor"
    )
    YoungPersonFactory(council=council, preferred_name="Amani", reference="YP-0001")
    YoungPersonFactory(council=council, preferred_name="Wren", reference="YP-0002")
    YoungPersonFactory(council=council, preferred_name="Kit", reference="YP-0003")
    ActivityFactory(council=council, title="Survey on youth club hours")

    sign_in(page, live_server.url, officer.user.email, PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Activities").click()
    expect(page.get_by_role("heading", name="Activities", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Log an activity").click()
    expect(page.get_by_role("heading", name="Log an activity")).to_be_visible()
    assert_accessible(page)

    # First without a title: the error summary says what to fix.
    page.get_by_role("button", name="Log activity").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter what the activity was.")
    assert_accessible(page)

    page.get_by_label("What was the activity?").fill("Recruitment panel for a new IRO")
    page.get_by_label("Kind of activity").select_option(label="Recruitment panel")
    page.get_by_label("Consultation", exact=True).check()
    page.get_by_label("Adult-initiated, shared decisions with young people").check()
    page.get_by_label("Voice").check()
    page.get_by_label("Children in care", exact=True).check()
    page.get_by_label("Amani (YP-0001)").check()
    page.get_by_label("Wren (YP-0002)").check()
    page.get_by_label("What changed as a result").fill("The panel's choice was appointed.")
    page.get_by_role("button", name="Log activity").click()

    expect(page.get_by_text("Activity logged.")).to_be_visible()
    expect(page.get_by_role("heading", name="Recruitment panel for a new IRO")).to_be_visible()
    expect(page.get_by_role("link", name="Amani", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Wren", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Kit", exact=True)).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="All activities").click()
    page.get_by_text("More filters").click()
    page.get_by_label("Kind").select_option(label="Recruitment panel")
    page.get_by_role("button", name="Show activities").click()
    results = page.get_by_role("region", name="Activities")
    expect(results.get_by_role("link", name="Recruitment panel for a new IRO")).to_be_visible()
    expect(results.get_by_role("link", name="Survey on youth club hours")).to_have_count(0)
    expect(page.get_by_text("1 activity matches these filters")).to_be_visible()
    assert_accessible(page)

    activity = Activity.objects.get(title="Recruitment panel for a new IRO")
    assert {p.young_person.preferred_name for p in activity.participations.all()} == {
        "Amani",
        "Wren",
    }


def test_young_people_reach_and_import_pages_are_accessible(page, live_server, transactional_db):
    council = CouncilFactory(name="Westmoor County Council", slug="westmoor")
    officer = MembershipFactory(council=council, role=Membership.Role.COUNCIL_ADMIN)
    people = [
        YoungPersonFactory(council=council, preferred_name=name, in_care=True, gender="girl")
        for name in ("Nia", "Rosa", "Tia", "Zara", "Isla", "Bea")
    ]
    activity = ActivityFactory(council=council, title="CiCC meeting", starts_on=date.today())
    for person in people:
        ParticipationFactory(activity=activity, young_person=person)
    base = f"{live_server.url}/c/westmoor"

    sign_in(page, live_server.url, officer.user.email, PASSWORD)
    page.goto(f"{base}/young-people/")
    expect(page.get_by_role("link", name="Nia")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Nia").click()
    expect(page.get_by_role("link", name="CiCC meeting")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{base}/young-people/new/")
    page.get_by_role("button", name="Add young person").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the name they like to be called.")
    assert_accessible(page)

    page.goto(f"{base}/reach/")
    expect(page.get_by_text("different young people with a record took part")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Enter the cohort sizes").click()
    page.get_by_label("Children in care").fill("60")
    page.get_by_role("button", name="Save cohort sizes").click()
    expect(page.get_by_text("10%")).to_be_visible()

    page.goto(f"{base}/activities/{activity.pk}/")
    page.get_by_role("link", name="Record recognition for Nia").click()
    assert_accessible(page)

    page.goto(f"{base}/activities/lists/")
    page.get_by_role("button", name="Add service area").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the name of the service area.")
    assert_accessible(page)

    page.goto(f"{base}/activities/import/")
    assert_accessible(page)
    page.get_by_label("CSV or Excel file").set_input_files(
        files=[
            {
                "name": "activities.csv",
                "mimeType": "text/csv",
                "buffer": b"Title,Date,Status,Kind,Participation type,Hart's ladder rung\n"
                b"Panel,2026-05-12,Done,Zumba,Consultation,5\n",
            }
        ]
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("alert")).to_contain_text("Row 2, column “Kind”")
    assert_accessible(page)
