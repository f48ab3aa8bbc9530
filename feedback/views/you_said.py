from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from feedback import selectors, services
from feedback.forms import (
    AttachEvidenceForm,
    YouSaidWeDidForm,
)
from participation.forms import apply_errors, posted
from participation.selectors import paginate
from participation.strategy import selectors as strategy_selectors
from participation.strategy import services as strategy_services
from participation.tenancy import council_view

# You said, we did ---------------------------------------------------------------------------


@council_view("feedback.results")
def you_said_list(request):
    page = paginate(selectors.you_said_list(council=request.council), page=request.GET.get("page"))
    return render(request, "feedback/you_said_list.html", {"page": page})


@council_view("feedback.build")
@require_http_methods(["GET", "POST"])
def you_said_edit(request, entry_id=None):
    entry = selectors.access_you_said(council=request.council, pk=entry_id) if entry_id else None
    if request.method == "POST" and "find_activities" in request.POST:
        # "Search activities": the form again with what was typed and new choices; nothing saved.
        post = request.POST
        initial = {
            key: post.getlist(key) if key == "activities" else post.get(key)
            for key in post
            if key not in ("csrfmiddlewaretoken", "find_activities")
        }
        initial["is_published"] = "is_published" in request.POST
        initial.setdefault("activities", [])
        form = YouSaidWeDidForm(initial=initial, instance=entry, council=request.council)
        return render(request, "feedback/you_said_form.html", {"form": form, "entry": entry})
    form = YouSaidWeDidForm(posted(request), instance=entry, council=request.council)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        fields.pop("activity_search", None)
        try:
            if entry is None:
                entry = services.you_said_create(
                    council=request.council, actor=request.user, **fields
                )
            else:
                services.you_said_update(entry=entry, actor=request.user, **fields)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Saved.")
            return redirect("you_said_detail", request.council.slug, entry.pk)
    return render(request, "feedback/you_said_form.html", {"form": form, "entry": entry})


@council_view("feedback.results")
def you_said_detail(request, entry_id):
    entry = selectors.access_you_said(council=request.council, pk=entry_id)
    evidence = strategy_selectors.evidence_for_record(council=request.council, record=entry)
    return render(
        request,
        "feedback/you_said_detail.html",
        {
            "entry": entry,
            "activities": selectors.you_said_activities(entry=entry),
            "evidence": evidence,
        },
    )


@council_view("strategy.edit")
@require_http_methods(["GET", "POST"])
def you_said_attach(request, entry_id):
    """Attach an entry to a strategy action as evidence (for those who may edit actions)."""
    entry = selectors.access_you_said(council=request.council, pk=entry_id)
    form = AttachEvidenceForm(
        posted(request),
        council=request.council,
        initial={"description": f"You said, we did: {entry}"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            strategy_services.evidence_add(
                action=form.cleaned_data["action"],
                actor=request.user,
                description=form.cleaned_data["description"],
                record=entry,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Attached to the action as evidence.")
            return redirect("you_said_detail", request.council.slug, entry.pk)
    return render(request, "feedback/you_said_attach.html", {"form": form, "entry": entry})
