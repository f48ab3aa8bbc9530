"""Sign-in defences that Django and django-axes leave to the project: whose address and account a
failed sign-in counts against, and a limit on password reset emails."""

from django.conf import settings
from django.shortcuts import render

from feedback.public_views import client_address as _client_address
from participation import ratelimit


def client_address(request) -> str:
    # One rule for which X-Forwarded-For entry to trust, shared with the public feedback forms.
    return _client_address(request)


def sign_in_username(request, credentials) -> str:
    """The account a sign-in names, so "Sam@x" and " sam@x" count as the same account."""
    if credentials and credentials.get("username"):
        email = credentials["username"]
    else:
        email = request.POST.get("username", "") if request is not None else ""
    return email.strip().lower()


def locked_out(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets: what happened, how long to wait, what to do meanwhile.

    It does not say whether the email has an account."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/locked_out.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes},
        status=429,
    )


def password_reset_throttled(request, email: str) -> bool:
    """Count one reset request; True when this address or this email has asked too often.

    Counted whether or not the email has an account, so the answer reveals nothing."""
    window = settings.PASSWORD_RESET_RATE_WINDOW_SECONDS
    by_ip = ratelimit.hit("rate", f"reset-ip:{client_address(request)}", window=window)
    by_email = ratelimit.hit("rate", f"reset-email:{email.strip().lower()}", window=window)
    return (
        by_ip > settings.PASSWORD_RESET_RATE_PER_IP
        or by_email > settings.PASSWORD_RESET_RATE_PER_EMAIL
    )
