from datetime import date

from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from feedback import services as feedback_services
from participation.models import Membership
from reporting import selectors
from reporting.models import ReportRun
from tests.browser.conftest import DESKTOP, _new_page, assert_accessible, sign_in
from tests.factories import PASSWORD, CouncilFactory, ForumFactory, MembershipFactory
from tests.feedback.factories import make_form, submit
from tests.forums.factories import make_meeting
from tests.participation.activities.factories import ActivityFactory, ParticipationFactory


def test_officer_writes_previews_finalises_and_a_manager_downloads(
    browser, page, live_server, transactional_db, tmp_path
):
    council = CouncilFactory(name="Northbrook Borough Council", slug="northbrook")
    officer = MembershipFactory(council=council, role=Membership.Role.PARTICIPATION_OFFICER)
    manager = MembershipFactory(council=council, role=Membership.Role.MANAGER)
    quarter = selectors.quarter_of(council=council, day=timezone.localdate())
    activity = ActivityFactory(council=council, starts_on=quarter.start)
    for _ in range(6):
        ParticipationFactory(activity=activity)
    # The forums section's tables are checked by axe on the preview too.
    make_meeting(ForumFactory(council=council, name="Youth Council"), date=quarter.start)
    # So is an approved quote.
    form = make_form(council)
    answer = submit(form, {0: "4", 3: "The new drop-in is great"}).answers.exclude(text="").get()
    feedback_services.answer_approve_quote(answer=answer, actor=officer.user, approved=True)

    sign_in(page, live_server.url, officer.user.email, PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", name="Quarterly reports")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Start a report").click()
    assert_accessible(page)
    page.get_by_label(quarter.short_label, exact=False).first.check()
    page.get_by_label("Corporate Parenting Board").check()
    page.get_by_role("button", name="Start the draft").click()

    expect(page.get_by_role("heading", name="Corporate Parenting Board report")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Introduction", exact=True).fill("Young people shaped the care offer.")
    page.get_by_role("button", name="Save and preview").click()
    expect(
        page.get_by_role("heading", name=f"Participation report: {quarter.short_label}")
    ).to_be_visible()
    expect(page.get_by_text("Young people shaped the care offer.")).to_be_visible()
    expect(page.get_by_text("6 different young people with a record")).to_be_visible()
    expect(page.get_by_role("table", name="Meetings, attendance and asks by forum")).to_be_visible()
    expect(page.get_by_text("The new drop-in is great")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Back to the report").click()

    page.get_by_role("button", name="Finalise and make the PDF").click()
    expect(page.get_by_text("The figures are frozen")).to_be_visible()
    link = page.get_by_role("link", name="Download the PDF")
    expect(link).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        link.click()
    path = tmp_path / "officer.pdf"
    download.value.save_as(path)
    text = " ".join(PdfReader(path).pages[0].extract_text().split())
    assert "Northbrook Borough Council" in text
    run = ReportRun.objects.get(council=council)
    assert run.is_final and run.introduction == "Young people shaped the care offer."
    assert date.fromisoformat(run.figures["quarter"]["start"]) == quarter.start

    context, manager_page = _new_page(browser, viewport=DESKTOP)
    sign_in(manager_page, live_server.url, manager.user.email, PASSWORD)
    manager_page.goto(f"{live_server.url}/c/northbrook/reports/")
    assert_accessible(manager_page)
    with manager_page.expect_download() as download:
        manager_page.get_by_role("link", name="Download the PDF").click()
    path = tmp_path / "manager.pdf"
    download.value.save_as(path)
    assert path.read_bytes() == run.file.open("rb").read()
    problems = list(manager_page.heard_problems)
    context.close()
    assert not problems, "\n".join(problems)


def test_the_young_peoples_version_preview_is_accessible(page, live_server, transactional_db):
    from reporting import services as report_services
    from tests.feedback.factories import make_you_said

    council = CouncilFactory(name="Northbrook Borough Council", slug="northbrook")
    officer = MembershipFactory(council=council, role=Membership.Role.PARTICIPATION_OFFICER)
    quarter = selectors.quarter_of(council=council, day=timezone.localdate())
    activity = ActivityFactory(council=council, starts_on=quarter.start)
    for _ in range(3):
        ParticipationFactory(activity=activity)
    make_you_said(council, date=quarter.start, is_published=True)
    form = make_form(council)
    answer = submit(form, {0: "4", 3: "The new drop-in is great"}).answers.exclude(text="").get()
    feedback_services.answer_approve_quote(answer=answer, actor=officer.user, approved=True)
    run = report_services.report_create_draft(
        council=council,
        actor=officer.user,
        quarter_start=quarter.start,
        audience=ReportRun.Audience.YOUNG_PEOPLE,
    )

    sign_in(page, live_server.url, officer.user.email, PASSWORD)
    page.goto(f"{live_server.url}/c/northbrook/reports/{run.pk}/preview/")
    expect(page.get_by_role("heading", name="What you told us and what we did")).to_be_visible()
    expect(page.get_by_role("table", name="What happened in these three months")).to_contain_text(
        "fewer than 5"
    )
    expect(page.get_by_text("The new drop-in is great")).to_be_visible()
    assert_accessible(page)
