from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from forums import selectors, services
from forums.forms import (
    TermsOfReferenceForm,
)
from participation.forms import apply_errors, posted
from participation.tenancy import council_view

# Terms of reference -------------------------------------------------------------------------


@council_view("forums.view")
@require_http_methods(["GET", "POST"])
def terms_of_reference(request, forum_id):
    """Every version with its dates; officers add a new one here."""
    forum = selectors.access_forum(council=request.council, pk=forum_id)
    versions = list(selectors.terms_of_reference_versions(forum=forum))
    can_edit = request.membership.can("forums.edit")
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    form = TermsOfReferenceForm(
        posted(request),
        initial={"text": versions[0].text if versions else "", "agreed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = services.terms_of_reference_add(
                forum=forum, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Version {version.version} saved.")
            return redirect(
                "terms_of_reference", council_slug=request.council.slug, forum_id=forum.pk
            )
    return render(
        request,
        "forums/terms_of_reference.html",
        {
            "forum": forum,
            "versions": versions,
            "form": form if can_edit else None,
            "today": timezone.localdate(),
        },
    )
