from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from participation.activities import selectors, services
from participation.activities.forms import (
    CohortSizeForm,
)
from participation.forms import apply_errors, posted
from participation.quarters import Quarter, current_quarter
from participation.tenancy import council_view

# Reach --------------------------------------------------------------------------------------


def _quarter(request) -> Quarter:
    return Quarter.parse(
        request.GET.get("quarter", ""),
        default=current_quarter(council=request.council, today=timezone.localdate()),
    )


@council_view("reach.view")
def reach(request):
    quarter = _quarter(request)
    return render(
        request,
        "activities/reach.html",
        {
            "reach": selectors.reach(council=request.council, quarter=quarter),
            "quarter": quarter,
        },
    )


@council_view("reach.cohorts")
@require_http_methods(["GET", "POST"])
def cohort_sizes(request):
    quarter = _quarter(request)
    form = CohortSizeForm(
        posted(request),
        initial=selectors.cohort_sizes(council=request.council, quarter=quarter),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.cohort_sizes_set(
                council=request.council,
                actor=request.user,
                quarter=quarter,
                sizes=form.cleaned_data,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Cohort sizes for {quarter.short_label} saved.")
            return redirect(f"{reverse('reach', args=[request.council.slug])}?quarter={quarter}")
    return render(request, "activities/cohort_sizes.html", {"form": form, "quarter": quarter})
