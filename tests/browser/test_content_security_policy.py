"""The browser enforces Heard's Content-Security-Policy; the browser tests notice a violation."""

from playwright.sync_api import expect

from participation.models import Membership
from tests.browser.conftest import assert_accessible, assert_no_page_problems, sign_in
from tests.factories import PASSWORD, CouncilFactory, MembershipFactory


def test_inline_code_is_refused_and_the_refusal_fails_the_test(page, live_server, transactional_db):
    council = CouncilFactory(slug="northbrook", name="Northbrook Borough Council")
    admin = MembershipFactory(council=council, role=Membership.Role.COUNCIL_ADMIN)
    sign_in(page, live_server.url, admin.user.email, PASSWORD)
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
    assert_accessible(page)  # axe runs, the page's own scripts and styles raise nothing

    # The page's own JavaScript ran (the class from static/heard/js-enabled.js) ...
    assert "js-enabled" in page.evaluate("document.body.className")
    # ... and the council's brand colour (a nonce'd <style>) applied.
    assert (
        page.evaluate(
            "getComputedStyle(document.documentElement).getPropertyValue('--heard-brand').trim()"
        )
        == council.brand_colour
    )

    # Code injected into the page, as an attacker's would be, is refused and reported.
    page.evaluate(
        """() => {
          const script = document.createElement('script');
          script.textContent = 'window.injected = true';
          document.body.appendChild(script);
          document.body.setAttribute('style', 'background: red');
        }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.injected") is None
    problems = list(page.heard_problems)
    page.heard_problems.clear()
    assert any("CSP violation: script-src" in p for p in problems), problems
    assert any("CSP violation: style-src" in p for p in problems), problems
    assert_no_page_problems(page)
