"""The API's one way into a council, mirroring participation/tenancy.py for DRF views.

Non-members get 404 (as in the HTML pages), members whose role lacks the view's capability get 403,
and the capability comes from the same table (participation/capabilities.py).
"""

from rest_framework import permissions
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.views import APIView

from participation import two_factor
from participation.capabilities import role_can
from participation.tenancy import memberships_for


class HasCouncilCapability(permissions.BasePermission):
    message = "Your role does not include this."

    def has_permission(self, request, view):
        return request.membership.can(view.capability)


class CouncilAPIView(APIView):
    """Base for council API views: set `capability`; use request.council and request.membership."""

    capability = "council.view"
    permission_classes = [permissions.IsAuthenticated, HasCouncilCapability]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        role_can("practitioner", cls.capability)  # a misspelt capability fails at import

    def initial(self, request, *args, **kwargs):
        self.format_kwarg = self.get_format_suffix(**kwargs)
        self.perform_authentication(request)
        if request.user.is_authenticated:
            # All the person's memberships (one query, as before): any of them may ask for the
            # second sign-in step, which the API cannot show, so it refuses until it is given.
            memberships = memberships_for(user=request.user)
            if two_factor.second_step_needed(request, memberships=memberships):
                raise PermissionDenied("Sign in with your second step (two-factor) first.")
            slug = kwargs["council_slug"]
            membership = next((m for m in memberships if m.council.slug == slug), None)
            if membership is None:
                raise NotFound()
            request.council = membership.council
            request.membership = membership
        super().initial(request, *args, **kwargs)
