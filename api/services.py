"""Writes for API tokens (the token page calls these) and the clean-up of remembered answers."""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from api.models import ApiToken, IdempotencyRecord
from participation import rls
from participation.models import Membership
from participation.services import audit

TOKEN_START = "heard_"
MAX_DAYS = 366
DEFAULT_DAYS = 90
# A create's answer is replayed for a retry within this long; clients retry within minutes.
IDEMPOTENCY_KEEP_DAYS = 7


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


def idempotency_records_delete_old(*, council_id: int, now=None) -> int:
    """Delete one council's remembered create answers older than IDEMPOTENCY_KEEP_DAYS; a key
    sent again after that makes a new record. Run in the council's scope."""
    before = (now or timezone.now()) - timedelta(days=IDEMPOTENCY_KEEP_DAYS)
    deleted, _ = IdempotencyRecord.objects.filter(
        council_id=council_id, created_at__lt=before
    ).delete()
    return deleted


def idempotency_records_delete_old_all(*, now=None) -> dict[int, int]:
    """For the daily job: find the councils with old records, then delete council by council,
    each in its own scope (row-level security) and transaction."""
    now = now or timezone.now()
    before = now - timedelta(days=IDEMPOTENCY_KEEP_DAYS)
    with rls.all_councils("finding API idempotency records older than a week"):
        council_ids = list(
            IdempotencyRecord.objects.filter(created_at__lt=before)
            .order_by("council_id")
            .values_list("council_id", flat=True)
            .distinct()
        )
    deleted = {}
    for council_id in council_ids:
        with rls.council_scope(council_id):
            deleted[council_id] = idempotency_records_delete_old(council_id=council_id, now=now)
    return deleted
