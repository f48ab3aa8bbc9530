"""How long a sign-in lasts, and ending a person's sessions.

A session ends after SESSION_IDLE_MINUTES without a request or SESSION_MAX_HOURS after signing in,
whichever comes first. The times are kept in the session itself; the last-seen time is written at
most once a minute, so most requests do not write the session at all.
"""

from importlib import import_module
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django_htmx.http import HttpResponseClientRedirect

from participation.models import SignedInSession, User

SIGNED_IN_AT = "heard_signed_in_at"
SEEN_AT = "heard_seen_at"
SEEN_RESOLUTION_SECONDS = 60


def _now() -> float:
    return timezone.now().timestamp()


def session_started(*, request, user: User) -> None:
    """At sign-in (after Django has given the session a new key): start both clocks and remember
    the session as this person's."""
    now = _now()
    request.session[SIGNED_IN_AT] = now
    request.session[SEEN_AT] = now
    if request.session.session_key is None:
        request.session.save()
    SignedInSession.objects.get_or_create(
        session_key=request.session.session_key, defaults={"user": user}
    )


def end_sessions(*, user: User, keep_session_key: str | None = None) -> int:
    """End every session of this person except `keep_session_key` (the one making the request)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    rows = SignedInSession.objects.filter(user=user)
    if keep_session_key:
        rows = rows.exclude(session_key=keep_session_key)
    keys = list(rows.values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    rows.delete()
    return len(keys)


def password_changed(*, request, user: User) -> None:
    """After a password change: the person stays signed in here (Django has just given this
    session a new key) and nowhere else."""
    end_sessions(user=user, keep_session_key=request.session.session_key)
    SignedInSession.objects.get_or_create(
        session_key=request.session.session_key, defaults={"user": user}
    )


def session_rekeyed(*, user: User, old_key: str | None, new_key: str) -> None:
    """The session was given a new key mid-sign-in (at the second step): keep it this person's, so
    signing out elsewhere still ends it."""
    updated = SignedInSession.objects.filter(session_key=old_key, user=user).update(
        session_key=new_key
    )
    if not updated:
        SignedInSession.objects.get_or_create(session_key=new_key, defaults={"user": user})


def _on_signed_in(sender, request, user, **kwargs):
    session_started(request=request, user=user)


def _on_signed_out(sender, request, user, **kwargs):
    # Signing out here signs out everywhere: a shared or lost device is not left signed in.
    if user is not None:
        end_sessions(user=user)


class SessionLifetimeMiddleware:
    """Signs a person out when their session has been idle, or open, too long."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            expired = self._check(request)
            if expired:
                return expired
        response = self.get_response(request)
        if request.user.is_authenticated and not response.has_header("Cache-Control"):
            # Pages for a signed-in person hold council data: not kept by browsers or proxies.
            add_never_cache_headers(response)
        return response

    def _check(self, request):
        session = request.session
        now = _now()
        signed_in_at = session.get(SIGNED_IN_AT)
        seen_at = session.get(SEEN_AT)
        if signed_in_at is None or seen_at is None:
            # A session from before these clocks existed: start them now.
            session_started(request=request, user=request.user)
            return None
        idle = now - seen_at > settings.SESSION_IDLE_MINUTES * 60
        too_old = now - signed_in_at > settings.SESSION_MAX_HOURS * 3600
        if idle or too_old:
            # Only this session ends (not logout(), which here ends all of the person's sessions).
            SignedInSession.objects.filter(session_key=session.session_key).delete()
            session.flush()
            request.user = AnonymousUser()
            messages.info(
                request,
                "You were signed out because you had not used Heard for "
                f"{settings.SESSION_IDLE_MINUTES} minutes. Sign in again to carry on."
                if idle
                else f"You were signed out after {settings.SESSION_MAX_HOURS} hours. "
                "Sign in again to carry on.",
            )
            url = reverse("login")
            if request.htmx:
                return HttpResponseClientRedirect(url)
            if request.method == "GET":
                url += "?" + urlencode({"next": request.get_full_path()})
            return redirect(url)
        if now - seen_at >= SEEN_RESOLUTION_SECONDS:
            session[SEEN_AT] = now
        return None
