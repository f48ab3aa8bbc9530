from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from forums import selectors, services
from forums.forms import (
    ConsultationDecisionForm,
    ConsultationOutcomeForm,
    ConsultationRequestForm,
)
from participation.forms import apply_errors, posted
from participation.tenancy import council_view

# Requests to consult ------------------------------------------------------------------------


def _consultation_url(request, consultation) -> str:
    return reverse(
        "consultation_detail", args=[request.council.slug, consultation.forum_id, consultation.pk]
    )


@council_view("consultations.request")
@require_http_methods(["GET", "POST"])
def consultation_request_create(request, forum_id):
    forum = selectors.access_forum(council=request.council, pk=forum_id)
    form = ConsultationRequestForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.consultation_request_create(
                forum=forum, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Request sent. The participation officer will let you know.")
            return redirect(_consultation_url(request, consultation))
    return render(request, "forums/consultation_form.html", {"form": form, "forum": forum})


@council_view("consultations.request")
def consultation_detail(request, forum_id, consultation_id):
    forum = selectors.access_forum(council=request.council, pk=forum_id)
    consultation = selectors.access_consultation(forum=forum, pk=consultation_id)
    if not selectors.can_see_consultation(membership=request.membership, request=consultation):
        raise PermissionDenied
    return render(
        request,
        "forums/consultation_detail.html",
        {"forum": forum, "consultation": consultation},
    )


@council_view("forums.edit")
@require_http_methods(["GET", "POST"])
def consultation_decide(request, forum_id, consultation_id):
    forum = selectors.access_forum(council=request.council, pk=forum_id)
    consultation = selectors.access_consultation(forum=forum, pk=consultation_id)
    # Every meeting of the forum is offered; one already held is refused with a reason.
    form = ConsultationDecisionForm(posted(request), meetings=selectors.forum_meetings(forum=forum))
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_decide(
                request=consultation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Decision saved. The person who asked has been told.")
            return redirect(_consultation_url(request, consultation))
    return render(
        request,
        "forums/consultation_decide.html",
        {"form": form, "forum": forum, "consultation": consultation},
    )


@council_view("forums.edit")
@require_http_methods(["GET", "POST"])
def consultation_outcome(request, forum_id, consultation_id):
    forum = selectors.access_forum(council=request.council, pk=forum_id)
    consultation = selectors.access_consultation(forum=forum, pk=consultation_id)
    form = ConsultationOutcomeForm(posted(request), initial={"forum_said": consultation.forum_said})
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_record_outcome(
                request=consultation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Saved and sent back to the person who asked.")
            return redirect(_consultation_url(request, consultation))
    return render(
        request,
        "forums/consultation_outcome.html",
        {"form": form, "forum": forum, "consultation": consultation},
    )
