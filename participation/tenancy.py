"""The one way into a council's data.

Every council page lives under /c/<council_slug>/ and is wrapped by `council_view`, which resolves
the council and the user's membership in one query (the same query also lists every council the user
belongs to, for the header's council switcher). Anyone who is not an active member of an
active council gets 404, the same answer as for a page that does not exist, so the existence of
other councils' records is never revealed. A member whose role lacks the capability gets 403.
"""

from functools import wraps
from typing import TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from participation import rls, two_factor
from participation.capabilities import role_can
from participation.models import Council, Membership

M = TypeVar("M", bound=Model)


def membership_for(*, user, council_slug: str) -> Membership | None:
    # Before the council is known: the person's own memberships are readable in every council.
    with rls.own_memberships(user):
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


def memberships_for(*, user) -> list[Membership]:
    """The user's active memberships of active councils, by council name."""
    with rls.own_memberships(user):
        return list(
            Membership.objects.select_related("council", "user")
            .filter(user=user, is_active=True, council__is_active=True)
            .order_by("council__name", "council__pk")
        )


def council_view(capability: str = "council.view"):
    role_can("practitioner", capability)  # fail at import time on a misspelt capability

    def decorator(view):
        @wraps(view)
        def wrapper(request, council_slug, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            # One query for the membership and the switcher's councils: every council page
            # pays for both, and a person belongs to a handful of councils at most.
            memberships = memberships_for(user=request.user)
            # Before the council is looked up: whoever must give a second step gives it first,
            # and the answer depends only on the person's own memberships.
            second_step = two_factor.gate(request, memberships=memberships)
            if second_step is not None:
                return second_step
            membership = next((m for m in memberships if m.council.slug == council_slug), None)
            if membership is None:
                raise Http404("No such page.")
            request.my_councils = [m.council for m in memberships]
            request.council = membership.council
            request.membership = membership
            if not membership.can(capability):
                raise PermissionDenied
            # Only on a change: setting it every time would save the session on every page.
            if request.session.get("council_slug") != membership.council.slug:
                request.session["council_slug"] = membership.council.slug
            # The database shows this council's rows and no other's for the whole view, in one
            # transaction (participation/rls.py); a lazy or streamed response is finished inside.
            with rls.council_scope(membership.council):
                return rls.finish_in_scope(view(request, *args, **kwargs), membership.council.pk)

        wrapper.council_capability = capability
        return wrapper

    return decorator


def signed_in_view(view):
    """For signed-in pages outside a council (home, the council list): signed in, and the second
    step given by whoever must give it."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        second_step = two_factor.gate(request, memberships=memberships_for(user=request.user))
        if second_step is not None:
            return second_step
        return view(request, *args, **kwargs)

    return wrapper


def get_for_council(queryset: QuerySet[M], *, council: Council, pk) -> M:
    """Fetch one council-owned object by id, filtering by council in the same query."""
    obj = queryset.filter(council=council, pk=pk).first()
    if obj is None:
        raise Http404("No such page.")
    # The row was filtered by this council, so its council is the one in hand: caching it saves
    # a query for every `obj.council` the page reads.
    if any(f.name == "council" and f.related_model is Council for f in obj._meta.concrete_fields):
        obj.council = council
    return obj
