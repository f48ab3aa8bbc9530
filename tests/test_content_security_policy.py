"""Content-Security-Policy: the header on every page, and no inline code that it would refuse.

The scan renders every council page (as council A's admin, who may open them all), the pages
outside a council, the public feedback pages and the platform admin, and fails on an inline
<script> or <style> without the response's nonce, or on any style="..." attribute (a nonce cannot
allow those, and the policy has no 'unsafe-inline').
"""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from feedback.models import FormLink
from participation.models import Membership
from tests.conftest import client_for
from tests.factories import MembershipFactory, UserFactory
from tests.feedback import factories as fb
from tests.probes import PROBES
from tests.urlwalk import council_patterns

REQUIRED = {
    "default-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
}


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


class InlineCode(HTMLParser):
    """Collects what the policy would refuse: inline scripts and styles without this nonce, and
    style attributes."""

    def __init__(self, nonce: str):
        super().__init__()
        self.nonce = nonce
        self.refused: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "style" in attrs:
            self.refused.append(f'<{tag} style="{attrs["style"]}">')
        if tag == "script" and "src" not in attrs:
            if attrs.get("type") in ("application/json", "application/ld+json"):
                return  # data, never run
            if attrs.get("nonce") != self.nonce:
                self.refused.append("<script> without src or this response's nonce")
        if tag == "style" and attrs.get("nonce") != self.nonce:
            self.refused.append("<style> without this response's nonce")
        if any(name.startswith("on") for name in attrs):
            self.refused.append(f"<{tag}> with an inline event handler")


def assert_policy_and_no_inline_code(response, url):
    assert response.status_code == 200, url
    directives = policy(response)
    for name, value in REQUIRED.items():
        assert directives.get(name) == [value], f"{url}: {name} {directives.get(name)}"
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header, url
    nonces = {w for words in directives.values() for w in words if w.startswith("'nonce-")}
    html = response.content.decode()
    used = set(re.findall(r'nonce="([^"]+)"', html))
    assert used <= {n[len("'nonce-") : -1] for n in nonces}, f"{url}: a nonce not in the header"
    scan = InlineCode(next(iter(used), "no nonce on this page"))
    scan.feed(html)
    assert not scan.refused, f"{url}: {scan.refused}"


def _html_pages(client, urls):
    seen = 0
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        assert_policy_and_no_inline_code(response, url)
        seen += 1
    return seen


def test_every_council_page_has_the_policy_and_no_inline_code(council_a, admin_a):
    urls = []
    for name, route in council_patterns():
        if route.count("<") == 1:
            urls.append(reverse(name, kwargs={"council_slug": council_a.slug}))
        elif name in PROBES:
            urls.append(
                reverse(name, kwargs={"council_slug": council_a.slug, **PROBES[name](council_a)})
            )
    client = client_for(admin_a)
    seen = _html_pages(client, urls)
    # Most council pages answer a GET with HTML; a drop means the scan has stopped looking.
    assert seen >= 60, seen


def test_pages_outside_a_council_have_the_policy_and_no_inline_code(council_a, manager_a):
    signed_out = Client()
    urls = [reverse("login"), reverse("password_reset")]
    assert _html_pages(signed_out, urls) == 2
    form = fb.make_form(council_a)
    link = FormLink.objects.filter(form=form, revoked_at=None).first() or FormLink.objects.create(
        council=council_a, form=form
    )
    public = [reverse("public_form", args=[link.token]), f"/c/{council_a.slug}/you-said-we-did/"]
    assert _html_pages(signed_out, public) == 2

    # Two-factor pages, for someone who has not set up an app yet.
    newcomer = MembershipFactory(council=council_a, role=Membership.Role.PRACTITIONER)
    client = client_for(newcomer)
    assert _html_pages(client, [reverse("two_factor"), reverse("two_factor_setup")]) == 2
    verified = client_for(manager_a)
    response = verified.post(reverse("two_factor_recovery_codes"))
    assert_policy_and_no_inline_code(response, "recovery codes")


@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/participation/council/", "/admin/participation/user/"]
)
def test_the_platform_admin_has_the_policy_and_no_inline_code(db, path):
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert _html_pages(client, [path]) == 1


def test_the_report_preview_uses_the_nonce_and_the_pdf_needs_none(council_a, officer_a):
    from reporting.rendering import report_html
    from tests.reporting.factories import make_draft

    run = make_draft(council_a)
    response = client_for(officer_a).get(reverse("report_preview", args=[council_a.slug, run.pk]))
    assert_policy_and_no_inline_code(response, "report preview")
    assert 'nonce="' in response.content.decode()  # the brand colour's <style>
    # WeasyPrint applies no policy: the PDF's HTML keeps its <style> as it was.
    from reporting import selectors

    figures = selectors.report_figures(
        council=council_a,
        quarter_start=run.quarter_start,
        sections=run.sections,
        audience=run.audience,
    )
    html = report_html(run=run, figures=figures, for_pdf=True)
    assert "<style>:root { --brand: " + council_a.brand_colour in html
