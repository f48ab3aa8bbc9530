"""The API tokens page: a person creates and revokes their own tokens for this council."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from api import selectors, services
from api.forms import TokenForm
from participation.forms import apply_errors, posted
from participation.tenancy import council_view


@council_view("api.tokens")
@require_http_methods(["GET", "POST"])
def token_list(request):
    form = TokenForm(posted(request))
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            token, new_token = services.token_create(
                membership=request.membership,
                name=form.cleaned_data["name"],
                can_write=form.cleaned_data["access"] == "write",
                days=form.cleaned_data["days"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            form = TokenForm()
    response = render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "tokens": selectors.token_list(membership=request.membership),
            "new_token": new_token,
        },
    )
    if new_token:
        # The token is shown once: no browser or proxy may keep a copy of this page.
        response["Cache-Control"] = "no-store"
    return response


@council_view("api.tokens")
@require_http_methods(["GET", "POST"])
def token_revoke(request, token_id):
    token = selectors.access_token(membership=request.membership, pk=token_id)
    tokens_url = reverse("api_tokens", kwargs={"council_slug": request.council.slug})
    if request.method == "POST":
        services.token_revoke(token=token, membership=request.membership)
        messages.success(request, f"The token “{token.name}” no longer works.")
        return redirect(tokens_url)
    return render(
        request,
        "participation/confirm.html",
        {
            "title": f"Revoke the token “{token.name}”?",
            "explanation": "Any system using it will get “This token has been revoked” from "
            "then on. This cannot be undone: create a new token if it is needed again.",
            "button": "Revoke token",
            "warning": True,
            "cancel_url": tokens_url,
        },
    )
