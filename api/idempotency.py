"""`Idempotency-Key` on create calls: a retried call gets the first answer, never a duplicate.

The record is written in the same transaction as the create. A second request with the same key
waits on the unique index until the first commits, then replays its answer; one with the same key
and a different body is refused (422). Failed creates keep no record, so a corrected retry may
reuse the key.
"""

import hashlib
import json

from django.db import IntegrityError, transaction
from rest_framework import exceptions
from rest_framework.response import Response

from api.errors import Conflict, KeyReused
from api.models import ApiToken, IdempotencyRecord

HEADER = "Idempotency-Key"


def _body_hash(data) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _key(request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= 255 or not key.isascii() or not key.isprintable():
        raise exceptions.ValidationError(
            {HEADER: ["Send a key of 1 to 255 printable characters, like a UUID."]}
        )
    return key


def idempotent_create(request, create) -> Response:
    """Run `create()` (which returns a Response) at most once per key."""
    key = _key(request)
    if key is None:
        return create()
    token = request.auth if isinstance(request.auth, ApiToken) else None
    body_hash = _body_hash(request.data)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    council=request.council,
                    user=request.user,
                    token=token,
                    key=key,
                    path=request.path[:255],
                    body_hash=body_hash,
                )
        except IntegrityError:
            earlier = IdempotencyRecord.objects.get(
                council=request.council, user=request.user, token=token, key=key
            )
            if earlier.body_hash != body_hash or earlier.path != request.path[:255]:
                raise KeyReused() from None
            if earlier.response_status is None:
                raise Conflict() from None
            response = Response(earlier.response_body, status=earlier.response_status)
            response["Idempotent-Replayed"] = "true"
            return response
        response = create()
        if 200 <= response.status_code < 300:
            record.response_status = response.status_code
            record.response_body = response.data
            record.save(update_fields=["response_status", "response_body"])
        else:
            record.delete()
        return response
