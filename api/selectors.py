"""Reads for API tokens."""

from django.db.models import QuerySet

from api.models import ApiToken
from participation import rls
from participation.models import Membership
from participation.tenancy import get_for_council


def token_list(*, membership: Membership) -> QuerySet[ApiToken]:
    """A person's own tokens in this council: nobody else sees or revokes them."""
    return ApiToken.objects.filter(council=membership.council, user=membership.user_id).order_by(
        "-created_at", "-id"
    )


def access_token(*, membership: Membership, pk) -> ApiToken:
    """A person's own token; a council admin may reach anyone's in the council (to revoke the
    token of someone who has left)."""
    if membership.can("people.manage"):
        tokens = ApiToken.objects.filter(council=membership.council)
    else:
        tokens = token_list(membership=membership)
    return get_for_council(tokens, council=membership.council, pk=pk)


def token_by_prefix(prefix: str) -> ApiToken | None:
    """Found before the council is known: a token sent to another council's address must still
    be recognised, so the request gets the 404 any non-member gets, not a 401."""
    # The one read across councils an API request makes: one row, by its unique prefix (the
    # secret itself is compared with the stored hash by the caller).
    with rls.all_councils("resolving an API token"):
        return ApiToken.objects.select_related("user").filter(prefix=prefix).first()
