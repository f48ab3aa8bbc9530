"""Every form in the app, sent empty: where the page answers with an error summary, each of its
links lands on a field that is on the page, and the title starts with "Error:" (GOV.UK pattern).

The browser tests check the same on the pages their journeys visit; this reaches every council
page at once, so a new form cannot slip past.
"""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from participation.models import Membership
from tests.conftest import client_for
from tests.factories import MembershipFactory
from tests.probes import PROBES
from tests.urlwalk import council_patterns

FIELD_TAGS = {"input", "select", "textarea", "button", "fieldset"}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags_by_id: dict[str, str] = {}
        self.summary_links: list[str] = []
        self.title = ""
        self._in_summary = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.tags_by_id.setdefault(attrs["id"], tag)
        if tag == "div" and "govuk-error-summary" in (attrs.get("class") or "").split():
            self._in_summary = 1
        elif self._in_summary and tag == "div":
            self._in_summary += 1
        if self._in_summary and tag == "a":
            self.summary_links.append(attrs.get("href") or "")
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        if self._in_summary and tag == "div":
            self._in_summary -= 1
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def problems_on(html: str) -> list[str]:
    page = _Page()
    page.feed(html)
    if "govuk-error-summary" not in html:
        return []
    found = []
    if not page.title.strip().startswith("Error: "):
        found.append(f"title {page.title.strip()!r} does not start with 'Error: '")
    for href in page.summary_links:
        target = href[1:] if href.startswith("#") else None
        if page.tags_by_id.get(target) not in FIELD_TAGS:
            found.append(f"error link {href!r} lands on {page.tags_by_id.get(target)!r}")
    return found


def test_the_checker_sees_a_broken_link_and_a_missing_prefix():
    html = (
        "<title>Add</title><div class='govuk-error-summary'><div><a href='#id_role'>x</a>"
        "</div></div><input id='id_role_1'>"
    )
    assert len(problems_on(html)) == 2
    fixed = html.replace("<title>Add", "<title>Error: Add").replace("id_role_1", "id_role")
    assert problems_on(fixed) == []


@pytest.mark.django_db
def test_every_form_sent_empty_links_its_errors_to_fields(council_a):
    client = client_for(MembershipFactory(council=council_a, role=Membership.Role.COUNCIL_ADMIN))
    problems, checked = [], 0
    for name, _ in sorted(council_patterns()):
        kwargs = PROBES[name](council_a) if name in PROBES else {}
        url = reverse(name, kwargs={"council_slug": council_a.slug, **kwargs})
        response = client.post(url, {})
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        if "govuk-error-summary" in html:
            checked += 1
        problems += [f"{name} ({url}): {p}" for p in problems_on(html)]
    assert not problems, "\n".join(problems)
    # The walk found real error pages to check, not none at all.
    assert checked >= 10, checked
