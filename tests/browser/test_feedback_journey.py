"""A young person on a phone, keyboard only, says they don't feel safe; an officer acknowledges."""

from playwright.sync_api import expect

from feedback import services
from feedback.models import SafeguardingAlert
from participation.models import Membership
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, CouncilFactory, MembershipFactory
from tests.feedback.factories import make_form, make_you_said, submit


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element has focus, as a keyboard user would."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement === document.querySelector(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"could not reach {selector} with the Tab key")


def test_young_person_asks_for_help_and_officer_acknowledges(
    phone_page, page, live_server, transactional_db
):
    council = CouncilFactory(name="Northbrook Borough Council", slug="northbrook")
    officer = MembershipFactory(
        council=council, role=Membership.Role.PARTICIPATION_OFFICER, user__full_name="Sam Officer"
    )
    services.safeguarding_settings_update(
        council=council,
        actor=officer.user,
        worrying_phrases="not safe",
        contact_text="Children's Services front door, 0300 555 0100",
        renotify_after_minutes=60,
    )
    form = make_form(council, intro="Tell us how things are going.")
    first = form.live_version.questions.order_by("position").first()
    url = f"{live_server.url}/f/{form.links.get().token}/"

    young = phone_page
    young.goto(url)
    expect(young.get_by_role("heading", name="How are we doing?")).to_be_visible()
    expect(young.get_by_label("I want to talk to someone / I don't feel safe")).to_be_visible()
    assert_accessible(young)

    # Sending without the required answer: an error summary, and what was typed is kept.
    tab_to(young, "#contact")
    young.keyboard.type("My school, Year 8")
    tab_to(young, "button[type=submit]")
    young.keyboard.press("Enter")
    summary = young.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Choose an answer.")
    expect(young.locator("#contact")).to_have_value("My school, Year 8")
    assert_accessible(young)

    # Follow the error link with the keyboard, pick "Very sad", and send.
    tab_to(young, f'.govuk-error-summary a[href="#q{first.pk}"]')
    young.keyboard.press("Enter")
    tab_to(young, f"#q{first.pk}")
    young.keyboard.press("Space")
    expect(young.locator(f"#q{first.pk}")).to_be_checked()
    tab_to(young, "#talk")
    young.keyboard.press("Space")
    expect(young.locator("#talk")).to_be_checked()
    tab_to(young, "button[type=submit]")
    young.keyboard.press("Enter")

    expect(young.get_by_role("heading", name="Thank you for telling us")).to_be_visible()
    expect(young.get_by_text("will read your answers and try to contact you")).to_be_visible()
    expect(young.get_by_text("0800 1111").first).to_be_visible()
    expect(young.get_by_text("Children's Services front door, 0300 555 0100")).to_be_visible()
    assert_accessible(young)
    assert SafeguardingAlert.objects.filter(council=council).count() == 1

    # The officer sees the alert and acknowledges it.
    sign_in(page, live_server.url, officer.user.email, PASSWORD)
    page.goto(f"{live_server.url}/c/northbrook/feedback/alerts/")
    expect(page.get_by_role("heading", name="Safeguarding alerts")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("table").get_by_role("link").first.click()
    expect(page.get_by_text("Asked to talk to someone or does not feel safe")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Acknowledge: I am dealing with this").click()
    expect(page.get_by_text("By Sam Officer")).to_be_visible()
    assert_accessible(page)
    alert = SafeguardingAlert.objects.get()
    assert alert.acknowledged_by == officer.user


def test_public_pages_are_accessible_on_a_phone(phone_page, live_server, transactional_db):
    council = CouncilFactory(name="Westmoor County Council", slug="westmoor")
    make_you_said(council, is_published=True)
    form = make_form(
        council,
        questions=[
            {"kind": "scale", "text": "How much did we help?"},
            {"kind": "multiple", "text": "Who do you see?", "choices": "Mum\nDad"},
            {"kind": "short_text", "text": "One word?", "help_text": "Just one."},
        ],
        is_anonymous=False,
    )
    phone_page.goto(f"{live_server.url}/f/{form.links.get().token}/")
    assert_accessible(phone_page)
    steps = make_form(council, one_per_screen=True, title="One at a time")
    phone_page.goto(f"{live_server.url}/f/{steps.links.get().token}/")
    expect(phone_page.get_by_text("Question 1 of 4")).to_be_visible()
    assert_accessible(phone_page)
    phone_page.get_by_role("button", name="Next").click()
    expect(phone_page.get_by_role("alert")).to_contain_text("Choose an answer.")
    assert_accessible(phone_page)
    phone_page.get_by_role("radio", name="Happy", exact=True).check()
    phone_page.get_by_role("button", name="Next").click()
    expect(phone_page.get_by_text("Question 2 of 4")).to_be_visible()
    phone_page.goto(f"{live_server.url}/c/westmoor/you-said-we-did/")
    expect(phone_page.get_by_role("heading", name="You said, we did")).to_be_visible()
    assert_accessible(phone_page)
    services.form_set_closed(form=form, actor=None, closed=True)
    phone_page.goto(f"{live_server.url}/f/{form.links.get().token}/")
    expect(phone_page.get_by_role("heading", name="This form is closed")).to_be_visible()
    assert_accessible(phone_page)


def test_officer_pages_are_accessible(page, live_server, transactional_db):
    council = CouncilFactory(name="Northbrook Borough Council", slug="northbrook")
    officer = MembershipFactory(council=council, role=Membership.Role.PARTICIPATION_OFFICER)
    form = make_form(council)
    for score in ("1", "2", "3", "4", "5", "5"):
        submit(form, {0: score, 1: "Yes", 2: ["Mum"], 3: "More trips please"})
    make_you_said(council, is_published=True)
    sign_in(page, live_server.url, officer.user.email, PASSWORD)
    base = f"{live_server.url}/c/northbrook/feedback"
    for path in (
        "/",
        f"/{form.pk}/",
        f"/{form.pk}/results/",
        f"/{form.pk}/answers/",
        f"/{form.pk}/questions/new/",
        "/templates/",
        "/scorecard/",
        "/safeguarding/",
        "/you-said-we-did/",
        "/you-said-we-did/new/",
    ):
        page.goto(base + path)
        expect(page.locator("h1")).to_be_visible()
        assert_accessible(page)
    # Approving a written answer for reports works without JavaScript's help: a plain form post.
    page.goto(f"{base}/{form.pk}/answers/")
    page.get_by_role("button", name="Approve for reports").first.click()
    expect(page.get_by_text("Answer approved for reports.")).to_be_visible()
    expect(page.get_by_role("button", name="Withdraw from reports")).to_have_count(1)
    assert_accessible(page)
    page.goto(f"{base}/{form.pk}/questions/new/")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the question.")
    assert_accessible(page)
