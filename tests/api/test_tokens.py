import hashlib
from datetime import timedelta

from django.utils import timezone

from api.models import ApiToken
from participation.activities.models import Activity
from tests.api.helpers import A, Api, api_for, messages, token_for
from tests.conftest import client_for


def test_the_token_page_shows_a_new_token_once_and_keeps_only_its_hash(council_a, member_a):
    client = client_for(member_a)
    page = client.post(
        "/c/council-a/api-tokens/", {"name": "Mosaic sync", "access": "read", "days": "30"}
    )
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    html = page.content.decode()
    start = html.index("heard_")
    raw = html[start : html.index("<", start)]
    token = ApiToken.objects.get()
    prefix, secret = raw.removeprefix("heard_").split("_", 1)
    assert token.prefix == prefix and token.council == council_a and not token.can_write
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(list(ApiToken.objects.values()))
    # Shown once: the page afterwards lists the token by its start, not the secret.
    again = client.get("/c/council-a/api-tokens/").content.decode()
    assert "Mosaic sync" in again and secret not in again
    assert Api(raw).get(f"{A}/activities/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_token_page_refuses_bad_input_with_the_pages_words(council_a, member_a):
    page = client_for(member_a).post("/c/council-a/api-tokens/", {"name": "", "days": "999"})
    html = page.content.decode()
    assert "Enter what the token is for" in html and "Choose between 1 and 366 days" in html
    assert not ApiToken.objects.exists()


def test_revoked_token_is_refused_and_only_its_owner_revokes_it(council_a, member_a, officer_a):
    raw = token_for(member_a)
    token = ApiToken.objects.get()
    # Another member of the same council cannot see or revoke it.
    other = client_for(officer_a).post(f"/c/council-a/api-tokens/{token.pk}/revoke/")
    assert other.status_code == 404
    assert Api(raw).get(f"{A}/activities/").status_code == 200
    done = client_for(member_a).post(f"/c/council-a/api-tokens/{token.pk}/revoke/")
    assert done.status_code == 302
    response = Api(raw).get(f"{A}/activities/")
    assert response.status_code == 401
    assert messages(response) == {None: ["This token has been revoked."]}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_council_b_cannot_revoke_council_a_tokens(council_a, member_a, member_b):
    token_for(member_a)
    token = ApiToken.objects.get()
    for slug in ("council-a", "council-b"):
        url = f"/c/{slug}/api-tokens/{token.pk}/revoke/"
        assert client_for(member_b).post(url).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_expired_token_is_refused(council_a, member_a):
    raw = token_for(member_a)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = Api(raw).get(f"{A}/activities/")
    assert response.status_code == 401
    assert "expired" in messages(response)[None][0]


def test_a_wrong_secret_or_a_made_up_token_is_refused(council_a, member_a):
    raw = token_for(member_a)
    for bad in (raw[:-2] + "xx", "heard_nothing_here", "not-a-token"):
        response = Api(bad).get(f"{A}/activities/")
        assert response.status_code == 401, bad
        assert messages(response)[None]


def test_no_token_is_401_with_the_error_body(council_a):
    response = Api(None).get(f"{A}/activities/")
    assert response.status_code == 401
    assert list(messages(response)) == [None]


def test_read_only_token_cannot_write(council_a, officer_a):
    api = api_for(officer_a, can_write=False)
    response = api.post(f"{A}/activities/", {"title": "x"})
    assert response.status_code == 403
    assert "read-only" in messages(response)[None][0]
    assert not Activity.objects.exists()


def test_a_token_keeps_to_its_persons_current_role(council_a, officer_a):
    api = api_for(officer_a)
    assert api.get(f"{A}/figures/reach/").status_code == 200
    officer_a.role = "practitioner"
    officer_a.save()
    assert api.get(f"{A}/figures/reach/").status_code == 403
    officer_a.is_active = False
    officer_a.save()
    assert api.get(f"{A}/activities/").status_code == 404


def test_a_council_admin_may_revoke_a_leavers_token(council_a, member_a, admin_a):
    raw = token_for(member_a)
    token = ApiToken.objects.get()
    url = f"/c/council-a/api-tokens/{token.pk}/revoke/"
    assert "Revoke the token" in client_for(admin_a).get(url).content.decode()
    assert client_for(admin_a).post(url).status_code == 302
    assert Api(raw).get(f"{A}/activities/").status_code == 401
