"""Signing a bench's client in as a person who must give the second step (council admins,
managers): the session is marked as having given it with their authenticator app, as the tests
do, so the bench measures the page and not the redirect to the second step."""

from tests.two_factor import give_app, second_step_needed, verify_session


def sign_in(client, user) -> None:
    client.force_login(user)
    if second_step_needed(user):
        verify_session(client, user)


def second_step_session(store, user) -> None:
    """The same marks on a raw session store (bench/load.py sends its cookie itself)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from participation import two_factor

    if second_step_needed(user):
        store[DEVICE_ID_SESSION_KEY] = give_app(user).persistent_id
        store[two_factor.HAS_APP] = True
