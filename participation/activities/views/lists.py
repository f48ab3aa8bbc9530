from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from participation.activities import selectors, services
from participation.activities.forms import (
    KindAddForm,
    ServiceAreaAddForm,
)
from participation.activities.models import ActivityKind
from participation.forms import apply_errors, posted
from participation.tenancy import council_view

# The council's own lists ----------------------------------------------------------------------


@council_view("activities.configure")
@require_http_methods(["GET", "POST"])
def council_lists(request):
    """Kinds of activity and service areas: the council's own lists, seeded with the usual ones."""
    adding = request.POST.get("add") if request.method == "POST" else None
    kind_form = KindAddForm(posted(request) if adding == "kind" else None, prefix="kind")
    area_form = ServiceAreaAddForm(posted(request) if adding == "area" else None, prefix="area")
    form = {"kind": kind_form, "area": area_form}.get(adding)
    if form is not None and form.is_valid():
        try:
            if adding == "kind":
                item = services.activity_kind_add(
                    council=request.council, actor=request.user, **form.cleaned_data
                )
            else:
                item = services.service_area_add(
                    council=request.council, actor=request.user, **form.cleaned_data
                )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{item.name} added.")
            return redirect("council_lists", council_slug=request.council.slug)
    return render(
        request,
        "activities/council_lists.html",
        {
            "kinds": ActivityKind.objects.filter(council=request.council),
            "areas": selectors.service_areas(council=request.council, everything=True),
            "kind_form": kind_form,
            "area_form": area_form,
        },
    )


def _list_item_toggle(request, item, *, active: bool):
    back = reverse("council_lists", args=[request.council.slug])
    if request.method == "POST":
        services.council_list_item_set_active(item=item, actor=request.user, active=active)
        messages.success(request, f"{item.name} {'brought back' if active else 'retired'}.")
        return redirect(back)
    return render(
        request,
        "participation/confirm.html",
        {
            "title": f"{'Bring back' if active else 'Retire'} {item.name}?",
            "explanation": (
                "It will be offered again when people log activities."
                if active
                else "It will no longer be offered when people log activities. Activities that "
                "already use it keep it, and you can bring it back."
            ),
            "button": "Bring back" if active else "Retire",
            "warning": not active,
            "cancel_url": back,
        },
    )


@council_view("activities.configure")
@require_http_methods(["GET", "POST"])
def kind_toggle(request, kind_id, active):
    kind = selectors.access_kind(council=request.council, pk=kind_id)
    return _list_item_toggle(request, kind, active=active)


@council_view("activities.configure")
@require_http_methods(["GET", "POST"])
def service_area_toggle(request, area_id, active):
    area = selectors.access_service_area(council=request.council, pk=area_id)
    return _list_item_toggle(request, area, active=active)
