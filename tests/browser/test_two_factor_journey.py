"""A council admin's first sign-in: set up an authenticator app, keep the recovery codes, then sign
in again with a code; every page accessible and allowed by the Content-Security-Policy."""

import time
from base64 import b32decode

from django_otp.oath import TOTP
from playwright.sync_api import expect

from participation.models import Membership
from tests.browser.conftest import assert_accessible
from tests.factories import PASSWORD, CouncilFactory, MembershipFactory


def _password(page, base_url, email):
    page.goto(f"{base_url}/account/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_setting_up_and_using_two_factor_sign_in(page, live_server, transactional_db):
    council = CouncilFactory(slug="northbrook", name="Northbrook Borough Council")
    admin = MembershipFactory(council=council, role=Membership.Role.COUNCIL_ADMIN)
    _password(page, live_server.url, admin.user.email)

    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(page.locator(".heard-qr svg")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()  # no code typed
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the code")
    assert_accessible(page)

    page.get_by_text("I cannot scan the QR code").click()
    typed = page.locator(".heard-secret-key code").inner_text().replace(" ", "")
    key = b32decode(typed + "=" * (-len(typed) % 8))
    totp = TOTP(key)
    totp.time = time.time()
    page.get_by_label("Code").fill(f"{totp.token():06d}")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Two-factor sign-in is set up")).to_be_visible()
    codes = page.locator(".heard-recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page)
    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()

    # Signed out and in again: the code page, a wrong code, then a recovery code.
    page.get_by_role("button", name="Sign out").click()
    _password(page, live_server.url, admin.user.email)
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Code").fill("not-a-code")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("That code is not right")
    assert_accessible(page)
    page.wait_for_timeout(1100)  # the throttle's pause after one wrong code
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("You used a recovery code; 9 left.")).to_be_visible()
    assert_accessible(page)
