"""Heard run as production runs it: DEBUG off, `collectstatic` into a folder, the manifest storage,
WhiteNoise serving only what was collected.

In development and tests the static finders serve every file, so a template naming a file that is
not collected works there and answers 500 in production ("Missing staticfiles manifest entry").
This walks every page of every role (and the public and account pages) against a real collection
and fetches every static file the pages name, so the docker compose deployment cannot ship broken.
"""

import re
from html.parser import HTMLParser
from posixpath import dirname, join, normpath

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from whitenoise.storage import CompressedManifestStaticFilesStorage

from feedback.models import FormLink
from participation.models import Membership
from tests.conftest import client_for
from tests.factories import MembershipFactory
from tests.probes import PROBES
from tests.urlwalk import PUBLIC_COUNCIL_URL_NAMES, council_patterns

# 405: a POST-only action (publish, archive, remove...) asked for with GET.
FINE = {200, 302, 403, 405}
# A practitioner sees only the young people they work with: anyone else's is not found, on purpose.
OUT_OF_SIGHT = {
    ("practitioner", name)
    for name in ("young_person_detail", "young_person_edit", "young_person_delete")
} | {
    # Someone else's API token: only its owner and the council's admins reach it.
    (role, "api_token_revoke")
    for role in ("practitioner", "participation_officer", "manager")
}
STORAGE = "tests.test_production_static.UncompressedProductionStorage"


class UncompressedProductionStorage(CompressedManifestStaticFilesStorage):
    """Production's storage, manifest and strictness included, minus the gzip/brotli copies that
    take half a minute and change nothing about which names resolve."""

    def compress_files(self, names):
        return iter(())


@pytest.fixture(scope="session")
def collected(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, STORAGES=_storages()):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


def _storages():
    return {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": STORAGE},
    }


@pytest.fixture
def production(collected):
    with override_settings(
        DEBUG=False,
        STATIC_ROOT=collected,
        STORAGES=_storages(),
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    ):
        yield


class _StaticRefs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href") and value and value.startswith("/static/"):
                self.urls.add(value)


def static_urls(html: str) -> set[str]:
    parser = _StaticRefs()
    parser.feed(html)
    return parser.urls


def referenced_from(url: str, body: str) -> set[str]:
    """Files a stylesheet or a JavaScript module loads in turn (url(...), import ... from)."""
    if url.endswith(".css"):
        found = re.findall(r"url\(\s*['\"]?([^'\")]+)", body)
    elif url.endswith((".mjs", ".js")) and "/heard/" in url:
        found = re.findall(r"""(?:import|from)\s*['"]([^'"]+)['"]""", body)
    else:
        return set()
    out = set()
    for ref in found:
        if ref.startswith("data:") or "://" in ref:
            continue
        out.add(ref if ref.startswith("/") else normpath(join(dirname(url), ref)))
    return out


class Walk:
    def __init__(self):
        self.problems: list[str] = []
        self.fetched: dict[str, int] = {}
        self.pages = 0

    def get(self, client: Client, url: str, who: str, name: str = "") -> None:
        try:
            response = client.get(url)
        except Exception as exc:  # the test client re-raises a view's exception: that is a 500
            self.problems.append(f"{who} GET {url}: {exc!r}"[:400])
            return
        self.pages += 1
        fine = FINE | ({404} if (who, name) in OUT_OF_SIGHT else set())
        if response.status_code not in fine:
            self.problems.append(f"{who} GET {url}: {response.status_code}")
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            for ref in static_urls(response.content.decode()):
                self.fetch_static(ref, f"{who} {url}")

    def fetch_static(self, url: str, page: str) -> None:
        if url in self.fetched:
            return
        response = Client().get(url)
        self.fetched[url] = response.status_code
        if response.status_code != 200:
            self.problems.append(f"{page} names {url}: {response.status_code}")
            return
        body = b"".join(response.streaming_content).decode(errors="replace")
        for ref in referenced_from(url, body):
            self.fetch_static(ref, url)


@pytest.mark.django_db
def test_every_page_of_every_role_works_with_collected_static_files(production, council_a):
    walk = Walk()
    kwargs_by_builder = {}

    def kwargs_for(name, route):
        if name not in PROBES:
            return {}
        builder = PROBES[name]
        if builder not in kwargs_by_builder:
            kwargs_by_builder[builder] = builder(council_a)
        return kwargs_by_builder[builder]

    routes = [(name, kwargs_for(name, route)) for name, route in sorted(council_patterns())]
    for role in Membership.Role:
        membership = MembershipFactory(council=council_a, role=role)
        client = client_for(membership)
        for name, kwargs in routes:
            url = reverse(name, kwargs={"council_slug": council_a.slug, **kwargs})
            walk.get(client, url, role.value, name)
        for name in ("home", "council_list", "password_change", "password_change_done"):
            walk.get(client, reverse(name), role.value)

    anonymous = Client()
    link = FormLink.objects.filter(council=council_a, revoked_at__isnull=True).first()
    assert link, "the probes made no published form to open"
    public = [reverse("public_form", kwargs={"token": link.token})]
    public += [
        reverse(name, kwargs={"council_slug": council_a.slug}) for name in PUBLIC_COUNCIL_URL_NAMES
    ]
    public += [reverse(name) for name in ("login", "password_reset", "password_reset_done")]
    public += [reverse("password_reset_complete"), reverse("home")]
    for url in public:
        walk.get(anonymous, url, "anonymous")

    superuser = MembershipFactory(council=council_a, role=Membership.Role.COUNCIL_ADMIN).user
    superuser.is_staff = superuser.is_superuser = True
    superuser.save()
    staff = Client()
    staff.force_login(superuser)
    walk.get(staff, reverse("admin:index"), "superuser")

    assert not walk.problems, "\n".join(walk.problems)
    # The walk really covered the app and its assets, not an empty corner of it.
    assert walk.pages > 4 * len(routes)
    for asset in ("heard/heard", "heard/init", "govuk/govuk-frontend.min", "htmx/htmx.min"):
        assert any(asset in url for url in walk.fetched), f"no page loaded {asset}"
    assert any(re.search(r"/static/heard/init\.[0-9a-f]{12}\.mjs$", u) for u in walk.fetched)


def test_a_missing_file_fails_the_walk(production):
    """The walk's check can fail: a name absent from the manifest is an error, as in production."""
    from django.templatetags.static import static

    with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
        static("heard/not-a-file.js")
