"""Actions: the list, their pages, forms, archive, evidence and the quick status update."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from participation.forms import apply_errors, posted
from participation.selectors import paginate
from participation.strategy import selectors, services
from participation.strategy.forms import (
    ActionForm,
    EvidenceForm,
    StatusForm,
)
from participation.strategy.models import Status
from participation.strategy.views.common import (
    QUICK_CHOICES,
    back_url,
    filter_choices,
    status_key,
)
from participation.tenancy import council_view

# -- Actions -----------------------------------------------------------------------------------


@council_view("strategy.view")
def action_list(request):
    today = timezone.localdate()
    filters = selectors.filters_from(request.GET)
    page = paginate(
        selectors.action_list(council=request.council, filters=filters, today=today),
        page=request.GET.get("page"),
    )
    return render(
        request,
        "strategy/action_list.html",
        {
            "page": page,
            "filters": filters,
            **filter_choices(request.council),
            "choosable": QUICK_CHOICES,
            "key": status_key(),
            "since_label": selectors.last_quarter(council=request.council, today=today).short_label,
        },
    )


@council_view("strategy.edit")
@require_http_methods(["GET", "POST"])
def action_create(request, objective_id):
    objective = selectors.access_objective(council=request.council, pk=objective_id)
    form = ActionForm(
        posted(request),
        initial={"objective": objective},
        strategy=objective.strategy,
        owners=selectors.owner_choices(council=request.council),
    )
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(
                council=request.council, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Action added.")
            return redirect("action_detail", request.council.slug, action.pk)
    return render(
        request,
        "strategy/action_form.html",
        {"form": form, "objective": objective, "action": None},
    )


@council_view("strategy.view")
def action_detail(request, action_id):
    action = selectors.access_action(council=request.council, pk=action_id)
    may_update = services.may_update_status(membership=request.membership, action=action)
    return render(
        request,
        "strategy/action_detail.html",
        {
            "action": action,
            "objective": action.objective,
            "history": selectors.action_history(action=action),
            "evidence": selectors.action_evidence(action=action, council_slug=request.council.slug),
            "may_remove_evidence": request.membership.can("strategy.edit"),
            "may_update": may_update,
            "status_form": StatusForm(initial={"status": action.status}) if may_update else None,
            "evidence_form": EvidenceForm() if may_update else None,
        },
    )


@council_view("strategy.edit")
@require_http_methods(["GET", "POST"])
def action_edit(request, action_id):
    action = selectors.access_action(council=request.council, pk=action_id)
    form = ActionForm(
        posted(request),
        instance=action,
        strategy=action.objective.strategy,
        owners=selectors.owner_choices(council=request.council),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(action=action, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Action saved.")
            return redirect("action_detail", request.council.slug, action.pk)
    return render(
        request,
        "strategy/action_form.html",
        {"form": form, "objective": action.objective, "action": action},
    )


@council_view("strategy.edit")
@require_http_methods(["GET", "POST"])
def action_archive(request, action_id, archived):
    action = selectors.access_action(council=request.council, pk=action_id)
    detail_url = reverse("action_detail", args=[request.council.slug, action.pk])
    if request.method == "POST":
        services.action_set_archived(action=action, actor=request.user, archived=archived)
        if archived:
            messages.success(request, "Action archived. You can restore it.")
            return redirect("objective_detail", request.council.slug, action.objective_id)
        messages.success(request, "Action restored.")
        return redirect(detail_url)
    return render(
        request,
        "participation/confirm.html",
        {
            "title": f"{'Archive' if archived else 'Restore'} this action?",
            "explanation": (
                "It leaves the action plan, the dashboard and reports. Its history is kept and "
                "you can restore it."
                if archived
                else "It will be part of the action plan again."
            ),
            "button": "Archive" if archived else "Restore",
            "warning": archived,
            "cancel_url": detail_url,
        },
    )


@council_view("strategy.view")
@require_http_methods(["GET", "POST"])
def action_status(request, action_id):
    """Update an action's status: a page of its own, or in place from a list with HTMX."""
    action = selectors.access_action(council=request.council, pk=action_id)
    if not services.may_update_status(membership=request.membership, action=action):
        raise PermissionDenied
    detail_url = reverse("action_detail", args=[request.council.slug, action.pk])
    form = StatusForm(posted(request), initial={"status": action.status})
    if request.method == "POST":
        if form.is_valid():
            try:
                services.action_update_status(
                    action=action, membership=request.membership, **form.cleaned_data
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                if request.htmx:
                    return _row(request, action, updated=True)
                messages.success(request, f"Status updated to {Status(action.status).label}.")
                return redirect(back_url(request, detail_url))
        if request.htmx:
            return _row(request, action, form=form)
    return render(
        request,
        "strategy/status_form.html",
        {"form": form, "action": action, "next": back_url(request, detail_url)},
    )


def _row(request, action, *, form=None, updated=False):
    action = selectors.action_list(
        council=request.council,
        filters=selectors.ActionFilters(objective=action.objective_id, archived=action.is_archived),
        today=timezone.localdate(),
    ).get(pk=action.pk)
    return render(
        request,
        "strategy/_action_row.html",
        {
            "action": action,
            "row_form": form,
            "updated": updated,
            "choosable": QUICK_CHOICES,
            "next": back_url(request, ""),
            "show_objective": request.POST.get("show_objective") == "1",
        },
    )


@council_view("strategy.view")
@require_http_methods(["GET", "POST"])
def evidence_add(request, action_id):
    action = selectors.access_action(council=request.council, pk=action_id)
    if not services.may_update_status(membership=request.membership, action=action):
        raise PermissionDenied
    form = EvidenceForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_add(action=action, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Evidence added.")
            return redirect("action_detail", request.council.slug, action.pk)
    return render(request, "strategy/evidence_form.html", {"form": form, "action": action})


@council_view("strategy.edit")
@require_http_methods(["GET", "POST"])
def evidence_remove(request, action_id, evidence_id):
    action = selectors.access_action(council=request.council, pk=action_id)
    link = selectors.access_evidence(action=action, pk=evidence_id)
    detail_url = reverse("action_detail", args=[request.council.slug, action.pk])
    if request.method == "POST":
        services.evidence_remove(link=link, actor=request.user)
        messages.success(request, "Evidence removed from the action.")
        return redirect(detail_url)
    return render(
        request,
        "participation/confirm.html",
        {
            "title": "Remove this evidence from the action?",
            "explanation": (
                f"“{link.description}” will no longer show as evidence for “{action.title}”. "
                "The record itself is kept."
            ),
            "button": "Remove evidence",
            "warning": True,
            "cancel_url": detail_url,
        },
    )
