from participation.capabilities import capabilities_for


def heard(request):
    """The council, the member's capabilities (for menus) and their councils (for the switcher)."""
    membership = getattr(request, "membership", None)
    context = {"council": getattr(request, "council", None), "membership": membership}
    context["can"] = capabilities_for(membership.role) if membership else frozenset()
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        my_councils = getattr(request, "my_councils", None)
        if my_councils is None:  # a page outside any council: council_view did not list them
            from participation.selectors import councils_for_user

            my_councils = councils_for_user(user=request.user)
        context["my_councils"] = my_councils
    return context
