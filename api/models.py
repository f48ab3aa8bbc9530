"""API tokens and the idempotency records of create calls.

A token belongs to one person in one council. Only a SHA-256 hash of its secret is stored; the
prefix (also in the token itself) finds the row, so a check costs one indexed lookup and the
secret is shown once, when it is created.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from participation.models import CouncilOwned


class ApiToken(CouncilOwned):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=80, help_text="What the token is for, like Mosaic sync.")
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    can_write = models.BooleanField("may write", default=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["council", "user"], name="apitoken_council_user")]

    def __str__(self):
        return f"API token {self.prefix}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class IdempotencyRecord(CouncilOwned):
    """The answer to a create call made with an `Idempotency-Key`, replayed when it is retried."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Null for a browser session: its keys are the person's own.
    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, null=True, related_name="+")
    key = models.CharField(max_length=255)
    path = models.CharField(max_length=255)
    body_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["council", "token", "key"],
                condition=models.Q(token__isnull=False),
                name="idempotency_per_token",
            ),
            models.UniqueConstraint(
                fields=["council", "user", "key"],
                condition=models.Q(token__isnull=True),
                name="idempotency_per_session_user",
            ),
        ]
        indexes = [models.Index(fields=["council", "created_at"], name="idempotency_council_at")]

    def __str__(self):
        return f"Idempotency record #{self.pk}"
