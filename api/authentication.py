"""Bearer tokens for other systems; the browser's session for a person trying the API."""

import hmac

from django.utils import timezone
from rest_framework import authentication, exceptions

from api import selectors
from api.services import hash_secret, split_token, token_touch


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "bearer":
            return None
        parts = split_token(raw.strip())
        if parts is None:
            raise exceptions.AuthenticationFailed("This is not a Heard API token.")
        prefix, secret = parts
        token = selectors.token_by_prefix(prefix)
        # Compared in constant time, so the hash cannot be guessed a character at a time.
        if token is None or not hmac.compare_digest(token.secret_hash, hash_secret(secret)):
            raise exceptions.AuthenticationFailed("This token is not valid.")
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed("This token has been revoked.")
        if token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(
                "This token has expired. Create a new one on your API tokens page."
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("This token is not valid.")
        token_touch(token)
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
