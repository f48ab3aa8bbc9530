"""Writes for API tokens. The token page and the tests call these; nothing else writes."""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from api.models import ApiToken
from participation import rls
from participation.models import Membership
from participation.services import audit

TOKEN_START = "heard_"
MAX_DAYS = 366
DEFAULT_DAYS = 90


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def split_token(raw: str) -> tuple[str, str] | None:
    """`heard_<prefix>_<secret>` into its prefix and secret, or None if it is not one."""
    if not raw.startswith(TOKEN_START):
        return None
    prefix, _, secret = raw[len(TOKEN_START) :].partition("_")
    if not prefix or not secret or len(prefix) > 16:
        return None
    return prefix, secret


@transaction.atomic
def token_create(
    *, membership: Membership, name: str, can_write: bool, days: int = DEFAULT_DAYS
) -> tuple[ApiToken, str]:
    """A new token and its text, which is shown once and never stored."""
    name = name.strip()
    errors = {}
    if not name:
        errors["name"] = ["Enter what the token is for, like Mosaic sync."]
    elif len(name) > 80:
        errors["name"] = ["The name must be 80 characters or fewer."]
    if not 1 <= days <= MAX_DAYS:
        errors["days"] = [f"Choose between 1 and {MAX_DAYS} days."]
    if not membership.can("api.tokens"):
        errors["__all__"] = ["Your role cannot create API tokens."]
    if errors:
        raise ValidationError(errors)
    # Lower-case letters and digits only, so the prefix never holds the separator.
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        council=membership.council,
        user=membership.user,
        name=name,
        prefix=prefix,
        secret_hash=hash_secret(secret),
        can_write=can_write,
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit(
        council=membership.council,
        actor=membership.user,
        verb="created API token",
        subject=token,
        detail="read and write" if can_write else "read only",
    )
    return token, f"{TOKEN_START}{prefix}_{secret}"


@transaction.atomic
def token_revoke(*, token: ApiToken, membership: Membership) -> None:
    if token.council_id != membership.council_id or not (
        token.user_id == membership.user_id or membership.can("people.manage")
    ):
        raise ValidationError("You can only revoke your own tokens.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit(
            council=membership.council,
            actor=membership.user,
            verb="revoked API token",
            subject=token,
        )


def token_touch(token: ApiToken) -> None:
    """Record when a token was last used, at most once a minute (not a write per request)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        with rls.council_scope(token.council_id):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
