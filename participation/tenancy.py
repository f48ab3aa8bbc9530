"""The one way into a council's data.

Every council page lives under /c/<council_slug>/ and is wrapped by `council_view`, which resolves
the council and the user's membership in one query. Anyone who is not an active member of an
active council gets 404, the same answer as for a page that does not exist, so the existence of
other councils' records is never revealed. A member whose role lacks the capability gets 403.
"""

from functools import wraps
from typing import TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from participation.capabilities import role_can
from participation.models import Council, Membership

M = TypeVar("M", bound=Model)


def membership_for(*, user, council_slug: str) -> Membership | None:
    return (
        Membership.objects.select_related("council", "user")
        .filter(
            user=user,
            is_active=True,
            council__slug=council_slug,
            council__is_active=True,
        )
        .first()
    )


def council_view(capability: str = "council.view"):
    role_can("practitioner", capability)  # fail at import time on a misspelt capability

    def decorator(view):
        @wraps(view)
        def wrapper(request, council_slug, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = membership_for(user=request.user, council_slug=council_slug)
            if membership is None:
                raise Http404("No such page.")
            request.council = membership.council
            request.membership = membership
            if not membership.can(capability):
                raise PermissionDenied
            # Only on a change: setting it every time would save the session on every page.
            if request.session.get("council_slug") != membership.council.slug:
                request.session["council_slug"] = membership.council.slug
            return view(request, *args, **kwargs)

        wrapper.council_capability = capability
        return wrapper

    return decorator


def get_for_council(queryset: QuerySet[M], *, council: Council, pk) -> M:
    """Fetch one council-owned object by id, filtering by council in the same query."""
    obj = queryset.filter(council=council, pk=pk).first()
    if obj is None:
        raise Http404("No such page.")
    return obj
