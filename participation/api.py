"""The API's one way into a council, mirroring participation/tenancy.py for DRF views.

Non-members get 404 (as in the HTML pages), members whose role lacks the view's capability get 403,
and the capability comes from the same table (participation/capabilities.py).
"""

from contextlib import ExitStack

from rest_framework import permissions
from rest_framework.exceptions import NotFound
from rest_framework.views import APIView

from participation import rls
from participation.capabilities import role_can
from participation.tenancy import membership_for


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

    def dispatch(self, request, *args, **kwargs):
        # `initial` opens the council's database scope (participation/rls.py) once it knows the
        # council; it closes here, after the response is rendered.
        with ExitStack() as self._council_scope:
            response = super().dispatch(request, *args, **kwargs)
            council = getattr(self.request, "council", None)
            return rls.finish_in_scope(response, council.pk if council else None)

    def initial(self, request, *args, **kwargs):
        self.format_kwarg = self.get_format_suffix(**kwargs)
        self.perform_authentication(request)
        if request.user.is_authenticated:
            membership = membership_for(user=request.user, council_slug=kwargs["council_slug"])
            if membership is None:
                raise NotFound()
            request.council = membership.council
            request.membership = membership
            self._council_scope.enter_context(rls.council_scope(membership.council))
        super().initial(request, *args, **kwargs)
