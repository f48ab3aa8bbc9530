"""Events written by the app itself: security events, views and exports of children's records,
refused council pages. Ids and words only; nothing here goes to Python logging."""

import hashlib
import hmac
import re

from django.conf import settings

from participation import rls
from participation.audit.context import current_request_id
from participation.models import AuditEvent, Council, SecurityEvent, User

SecurityKind = SecurityEvent.Kind
COUNCIL_PATH = re.compile(r"^/c/(?P<slug>[-a-zA-Z0-9_]+)/")


def keyed_hash(value: str) -> str:
    """An HMAC of a normalised value: the same email gives the same hash, and without
    SECRET_KEY the hash cannot be checked against a list of addresses."""
    normalised = (value or "").strip().lower()
    if not normalised:
        return ""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()


def _address(request) -> str:
    if request is None:
        return ""
    from participation.security import client_address

    return client_address(request)


def record_security_event(
    kind: str, *, user: User | None = None, request=None, actor: User | None = None, email=""
) -> SecurityEvent:
    """Record a sign-in, a failed sign-in, a lockout, a password change or a two-factor change.

    `kind` is one of `SecurityEvent.Kind` (e.g. "two_factor_added"); `user` is the person it is
    about, `actor` whoever did it when that is someone else (an admin resetting a person's
    two-factor). `email` is only for a failed sign-in that names no account: it is kept as a
    keyed hash, never as typed. The address is kept as a keyed hash too.
    """
    if kind not in SecurityKind.values:
        raise ValueError(f"Unknown security event {kind!r}; add it to SecurityEvent.Kind.")
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        actor=actor,
        email_hash="" if user is not None else keyed_hash(email),
        address_hash=keyed_hash(_address(request)),
        request_id=getattr(request, "audit_request_id", "") or current_request_id(),
    )


def record_access(*, request, verb: str, subject, detail: str = "") -> None:
    """A person opened or downloaded a child's record, feedback answers, an export or a report.
    `detail` says which (a format, a version number): never names or answers."""
    AuditEvent.objects.create(
        council=request.council,
        actor_id=request.user.pk,
        kind=AuditEvent.Kind.ACCESS,
        verb=verb,
        subject_type=subject if isinstance(subject, str) else subject._meta.model_name,
        subject_id=None if isinstance(subject, str) else subject.pk,
        detail=detail[:255],
        request_id=getattr(request, "audit_request_id", ""),
    )


def record_refusal(*, request, status: int) -> None:
    """A 403 or 404 on a council page: recorded for the council when the address names a real
    one. The URL name and the ids in it are kept, not the path or its query string."""
    found = COUNCIL_PATH.match(request.path_info)
    if not found:
        return
    council_id = Council.objects.filter(slug=found["slug"]).values_list("pk", flat=True).first()
    if council_id is None:
        return
    match = getattr(request, "resolver_match", None)
    ids = (
        {k: v for k, v in match.kwargs.items() if k != "council_slug" and str(v).isdigit()}
        if match
        else {}
    )
    detail = (match.url_name or "") if match else "no such address"
    if ids:
        detail += " " + " ".join(f"{k}={v}" for k, v in sorted(ids.items()))
    user = getattr(request, "user", None)
    # Outside the council's scope (the page refused before entering it), so entered for the one
    # insert row-level security would otherwise refuse.
    with rls.council_scope(council_id):
        _record_refusal(request, council_id, user, status, detail)


def _record_refusal(request, council_id, user, status, detail) -> None:
    AuditEvent.objects.create(
        council_id=council_id,
        actor_id=user.pk if user is not None and user.is_authenticated else None,
        kind=AuditEvent.Kind.REFUSED,
        verb="refused (403)" if status == 403 else "not found (404)",
        subject_type="page",
        subject_id=None,
        detail=detail[:255],
        request_id=getattr(request, "audit_request_id", ""),
    )


# Signal receivers (connected in participation.apps) ----------------------------------------


def on_signed_in(sender, request, user, **kwargs):
    record_security_event(SecurityKind.SIGNED_IN, user=user, request=request)


def on_signed_out(sender, request, user, **kwargs):
    if user is not None:
        record_security_event(SecurityKind.SIGNED_OUT, user=user, request=request)


def _named_user(email: str) -> User | None:
    email = (email or "").strip().lower()
    if not email:
        return None
    return User.objects.filter(email__iexact=email).first()


def on_sign_in_failed(sender, credentials, request=None, **kwargs):
    email = (credentials or {}).get("username", "")
    record_security_event(
        SecurityKind.SIGN_IN_FAILED, user=_named_user(email), request=request, email=email
    )


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    record_security_event(
        SecurityKind.LOCKED_OUT, user=_named_user(username), request=request, email=username
    )
