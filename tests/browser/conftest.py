"""Real-browser tests: Playwright driving Debian's Chromium (headless), with axe-core checks.

Use the `page` fixture with pytest-django's `live_server`; call `assert_accessible(page)` on every
page a journey visits. Tests here are marked `browser` automatically.

Besides axe, `assert_accessible` checks what axe does not catch: every error-summary link lands on
a field, a page with errors has a title starting "Error:", and nothing scrolls sideways at 360 px
(public pages: a small phone) or 640 px (staff pages: 1280 px at 200% zoom). Every page the
fixtures open also fails its test on a JavaScript console error, an uncaught exception, a request
that fails, or any response of 400 or more other than the page the test navigated to itself
(tests visit 403, 404 and a public form's 400 on purpose; they assert on what those pages say).
"""

import functools
import json
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run while one
# is running unless told that this (test) thread is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("HEARD_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PUBLIC_WIDTH = 360
STAFF_WIDTH = 640
# Pages young people see without signing in (a feedback form, the council's "you said, we did").
PUBLIC_PATH = re.compile(r"^/(f/[^/]+/|c/[^/]+/you-said-we-did/$)")


@functools.cache
def _axe_source() -> str:
    return AXE.read_text()


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath) or "browser" in item.keywords:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            # No sandbox as root in CI; no background networking on a machine with no network.
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def watch(page) -> list[str]:
    """Record the page's console errors, uncaught exceptions and failed requests."""
    problems: list[str] = []
    documents: set[str] = set()

    def on_response(response):
        request = response.request
        if response.status < 400:
            return
        own_page = request.is_navigation_request() and request.frame == page.main_frame
        if own_page and response.status < 500:
            documents.add(response.url)  # the page the test asked for; it checks the content
            return
        problems.append(f"{request.method} {response.url}: {response.status}")

    def on_console(message):
        if message.type != "error":
            return
        # Chromium also logs the deliberate 4xx page above as "Failed to load resource".
        if message.location.get("url") in documents and "Failed to load resource" in message.text:
            return
        problems.append(f"console error on {page.url}: {message.text}")

    def on_request_failed(request):
        failure = request.failure or ""
        # Following a link before the previous page finished loading aborts that page's loads
        # (the page itself, its favicon): harmless. A missing file answers 404 instead.
        if "ERR_ABORTED" in failure:
            return
        problems.append(f"{request.method} {request.url} failed: {failure}")

    page.on("response", on_response)
    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"uncaught on {page.url}: {error}"))
    page.on("requestfailed", on_request_failed)
    return problems


# Every Content-Security-Policy violation becomes a console error, which fails the test: Chromium
# logs most itself, and this catches the rest (e.g. one raised while the page is closing). Init
# scripts are added by the browser's debugging protocol, so the policy does not block this one.
CSP_WATCH = """document.addEventListener('securitypolicyviolation', (event) => {
  const where = `${event.sourceFile || document.URL}:${event.lineNumber}`;
  console.error(`CSP violation: ${event.effectiveDirective} refused ` +
    `${event.blockedURI || 'inline code'} at ${where}`);
});"""


def _new_page(browser, **options):
    # The policy is enforced: no bypass_csp. axe is evaluated through the debugging protocol
    # (assert_accessible), which the page's policy does not govern, instead of a <script> tag.
    context = browser.new_context(locale="en-GB", **options)
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.heard_problems = watch(page)
    return context, page


def assert_no_page_problems(page) -> None:
    problems, page.heard_problems[:] = list(page.heard_problems), []
    assert not problems, "\n".join(problems)


@pytest.fixture
def page(browser):
    context, page = _new_page(browser, viewport=DESKTOP)
    yield page
    problems = list(page.heard_problems)
    context.close()
    assert not problems, "\n".join(problems)


@pytest.fixture
def phone_page(browser):
    context, page = _new_page(
        browser, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    yield page
    problems = list(page.heard_problems)
    context.close()
    assert not problems, "\n".join(problems)


def assert_accessible(page) -> None:
    """axe-core, WCAG 2.0/2.1/2.2 A and AA: no violations on the page as it is now."""
    # Not page.add_script_tag: that adds an inline <script>, which the page's CSP refuses.
    page.evaluate(_axe_source())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    violations = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"][:5]],
        }
        for v in result["violations"]
    ]
    assert not violations, f"{page.url}: " + json.dumps(violations, indent=2)
    assert_error_summary_links_land_on_fields(page)
    assert_error_title(page)
    assert_no_sideways_scroll(page)
    assert_no_page_problems(page)


ERROR_LINK_TARGETS = """() => [...document.querySelectorAll('.govuk-error-summary a')].map(a => {
  const href = a.getAttribute('href') || '';
  const target = href.startsWith('#') ? document.getElementById(href.slice(1)) : null;
  const fields = ['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON', 'FIELDSET'];
  const ok = !!target && fields.includes(target.tagName);
  return {href, text: a.textContent.trim(), ok, found: target ? target.tagName : null};
})"""


def assert_error_summary_links_land_on_fields(page) -> None:
    """GOV.UK error summary: each link goes to the field to fix (a form control or fieldset)."""
    broken = [link for link in page.evaluate(ERROR_LINK_TARGETS) if not link["ok"]]
    assert not broken, f"{page.url}: error-summary links that land on no field: {broken}"


def assert_error_title(page) -> None:
    """A page that shows an error summary starts its title with "Error:" (GOV.UK pattern)."""
    if page.locator(".govuk-error-summary").count():
        title = page.title()
        assert title.startswith("Error: "), f"{page.url}: title {title!r} has no 'Error: '"


def assert_no_sideways_scroll(page) -> None:
    """WCAG 1.4.10 reflow: no horizontal scrolling at the width the page's users have."""
    path = urlsplit(page.url).path
    widths = [PUBLIC_WIDTH] if PUBLIC_PATH.match(path) else [STAFF_WIDTH]
    original = page.viewport_size
    try:
        for width in widths:
            page.set_viewport_size({"width": width, "height": original["height"]})
            sizes = page.evaluate(
                "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert sizes[0] <= sizes[1], (
                f"{page.url} scrolls sideways at {width} px: content {sizes[0]} px wide"
                f" in {sizes[1]} px; widest: {widest_elements(page, sizes[1])}"
            )
    finally:
        page.set_viewport_size(original)


def widest_elements(page, width: int) -> list[str]:
    """The elements that stick out, to say what to fix."""
    return page.evaluate(
        """(width) => [...document.querySelectorAll('body *')]
          .filter(e => e.getBoundingClientRect().right > width + 1)
          .slice(0, 5)
          .map(e => e.tagName.toLowerCase() + '.' + String(e.className).split(' ').join('.'))""",
        width,
    )


def sign_in(page, base_url: str, email: str, password: str) -> None:
    """Sign in through the sign-in page. Whoever must give the second step (managers, admins,
    staff, a council that asks everyone) has an authenticator app made for them, and its code is
    typed on the code page, as a person would."""
    from participation.models import User
    from tests.two_factor import fresh_code, give_app, second_step_needed

    user = User.objects.filter(email__iexact=email).first()
    device = give_app(user) if user is not None and second_step_needed(user) else None
    page.goto(f"{base_url}/account/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if device is not None:
        page.wait_for_url("**/account/two-factor/code/**")
        page.get_by_label("Code").fill(fresh_code(device))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()
