import pytest
from django.test import Client
from django.urls import reverse

from participation.capabilities import CAPABILITIES
from tests.conftest import client_for
from tests.factories import MembershipFactory
from tests.probes import PROBES
from tests.urlwalk import council_patterns

COUNCIL_URLS = sorted({name for name, _ in council_patterns()})
API_URLS = {name for name, route in council_patterns() if "/api/" in route}


def council_url(name, council, other_kwargs=None):
    return reverse(name, kwargs={"council_slug": council.slug, **(other_kwargs or {})})


def kwargs_for(name, council):
    return PROBES[name](council) if name in PROBES else {}


@pytest.mark.parametrize("name", COUNCIL_URLS)
def test_every_council_a_url_over_the_three_personas(name, council_a, admin_a, member_b):
    """One URL, its probe objects made once: B's member gets 404, A's admin 200, a signed-out
    visitor is sent to sign in (the API answers 403 instead)."""
    url = council_url(name, council_a, kwargs_for(name, council_a))
    assert client_for(member_b).get(url).status_code == 404, f"member of B, {url}"
    assert client_for(admin_a).get(url).status_code == 200, f"admin of A, {url}"
    response = Client().get(url)
    if name in API_URLS:
        assert response.status_code == 403, f"signed out, {url}"
    else:
        assert response.status_code == 302, f"signed out, {url}"
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "name",
    ["people", "invite", "council_settings", "forum_create", "membership_edit", "forum_edit"],
)
def test_practitioner_gets_403_where_role_is_too_low(name, council_a, member_a):
    url = council_url(name, council_a, kwargs_for(name, council_a))
    client = client_for(member_a)
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "x", "role": "council_admin"}).status_code == 403


def test_403_page_explains_the_role(council_a, member_a):
    response = client_for(member_a).get(council_url("people", council_a))
    assert "Your role as a practitioner does not let you" in response.content.decode()


def test_unknown_council_is_404(member_a):
    response = client_for(member_a).get("/c/no-such-council/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_inactive_council_is_404_even_to_its_admin(council_a, admin_a):
    council_a.is_active = False
    council_a.save()
    assert client_for(admin_a).get(council_url("council_home", council_a)).status_code == 404


def test_deactivated_member_gets_404(council_a, member_a):
    member_a.is_active = False
    member_a.save()
    assert client_for(member_a).get(council_url("council_home", council_a)).status_code == 404


def test_every_role_in_the_table_is_a_real_role():
    from participation.models import Membership

    for capability, roles in CAPABILITIES.items():
        assert roles <= set(Membership.Role.values), capability


def test_unknown_capability_is_a_programming_error():
    from participation.capabilities import role_can

    with pytest.raises(KeyError):
        role_can("council_admin", "forums.delete-everything")


def test_person_in_two_councils_sees_each_with_its_own_role(council_a, council_b, member_a):
    MembershipFactory(council=council_b, user=member_a.user, role="council_admin")
    client = client_for(member_a)
    assert client.get(council_url("people", council_a)).status_code == 403
    assert client.get(council_url("people", council_b)).status_code == 200


def _session_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].startswith(("UPDATE", "INSERT")) and "django_session" in q["sql"]
    ]


def test_council_pages_save_the_session_only_when_the_council_changes(council_a, council_b):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from participation.models import Membership

    membership = MembershipFactory(council=council_a, role=Membership.Role.PARTICIPATION_OFFICER)
    MembershipFactory(council=council_b, user=membership.user)
    client = client_for(membership)
    home_a = council_url("council_home", council_a)
    with CaptureQueriesContext(connection) as first:
        assert client.get(home_a).status_code == 200
    assert _session_writes(first.captured_queries)  # the first visit records the council
    with CaptureQueriesContext(connection) as again:
        for _ in range(3):
            assert client.get(home_a).status_code == 200
        assert client.get(council_url("forum_list", council_a)).status_code == 200
    assert _session_writes(again.captured_queries) == []
    with CaptureQueriesContext(connection) as switched:
        assert client.get(council_url("council_home", council_b)).status_code == 200
    assert _session_writes(switched.captured_queries)
    assert client.session["council_slug"] == council_b.slug


def test_council_page_switcher_lists_only_the_persons_active_councils(
    council_a, council_b, member_a
):
    from tests.factories import CouncilFactory

    MembershipFactory(council=council_b, user=member_a.user)
    MembershipFactory(
        council=CouncilFactory(name="Council Left"), user=member_a.user, is_active=False
    )
    MembershipFactory(
        council=CouncilFactory(name="Council Closed", is_active=False), user=member_a.user
    )
    MembershipFactory(council=CouncilFactory(name="Council Other"))
    response = client_for(member_a).get("/c/council-a/")
    assert [c.name for c in response.context["my_councils"]] == ["Council A", "Council B"]
    html = response.content.decode()
    assert "Council B" in html
    assert not any(name in html for name in ("Council Left", "Council Closed", "Council Other"))
