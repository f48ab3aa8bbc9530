"""The API's one way into a council.

`CouncilAPIView.initial` is the ONE place an API request's council is resolved: it authenticates,
finds the person's membership through `participation.tenancy.memberships_for` (the pages' helper),
asks a browser session for the second sign-in step as the pages do,
answers 404 to anyone who is not a member (and to a token of another council), sets
`request.council` and `request.membership`, and enters `council_scope(council)` for the rest of
the request. The response is rendered before the scope closes, so nothing is read from the
database after it.
"""

import contextlib

from rest_framework import exceptions, generics, permissions

from api.models import ApiToken
from participation import rls, two_factor
from participation.capabilities import role_can
from participation.tenancy import memberships_for

MAX_ID = 2**63 - 1
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def council_scope(council):
    """Where the request's database work runs: the council's scope, so PostgreSQL's row-level
    security shows this council's rows and no other's (participation/rls.py)."""
    return rls.council_scope(council)


class CouncilCapability(permissions.BasePermission):
    message = "Your role does not include this."

    def has_permission(self, request, view):
        capability = view.capability_for(request.method)
        if not request.membership.can(capability):
            return False
        if request.method not in READ_METHODS:
            token = request.auth
            if isinstance(token, ApiToken) and not token.can_write:
                raise exceptions.PermissionDenied(
                    "This token is read-only. Create a read and write token to make changes."
                )
        return True


class CouncilAPIView(generics.GenericAPIView):
    """Base for every council API view. Set `capability` (reads), `write_capability` (POST,
    PUT, PATCH) and, where deleting needs more than writing (as on the pages),
    `delete_capability`."""

    capability = "council.view"
    write_capability: str | None = None
    delete_capability: str | None = None
    permission_classes = [CouncilCapability]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # A misspelt capability fails at import, as in the pages.
        role_can("practitioner", cls.capability)
        for name in (cls.write_capability, cls.delete_capability):
            if name:
                role_can("practitioner", name)

    def capability_for(self, method: str) -> str:
        if method in READ_METHODS:
            return self.capability
        if method == "DELETE" and self.delete_capability:
            return self.delete_capability
        return self.write_capability or self.capability

    def dispatch(self, request, *args, **kwargs):
        self._scope = contextlib.ExitStack()
        with self._scope:
            response = super().dispatch(request, *args, **kwargs)
            # Rendered inside the council's scope: nothing is read after the view returns.
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        return response

    def initial(self, request, *args, **kwargs):
        self.format_kwarg = self.get_format_suffix(**kwargs)
        self.perform_authentication(request)
        if not request.user or not request.user.is_authenticated:
            raise exceptions.NotAuthenticated("Send an API token: Authorization: Bearer <token>.")
        token = request.auth if isinstance(request.auth, ApiToken) else None
        memberships = memberships_for(user=request.user)
        # A browser session gives the second sign-in step as the pages ask it (the API cannot
        # show it, so it refuses until it is given). A token was made in a session that had.
        if token is None and two_factor.second_step_needed(request, memberships=memberships):
            raise exceptions.PermissionDenied("Sign in with your second step (two-factor) first.")
        slug = kwargs["council_slug"]
        membership = next((m for m in memberships if m.council.slug == slug), None)
        if membership is None or (token is not None and token.council_id != membership.council_id):
            raise exceptions.NotFound()
        if any(name.endswith("_id") and value > MAX_ID for name, value in kwargs.items()):
            raise exceptions.NotFound()  # no row has an id past bigint's range
        request.council = membership.council
        request.membership = membership
        self._scope.enter_context(council_scope(membership.council))
        super().initial(request, *args, **kwargs)
