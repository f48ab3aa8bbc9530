from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from feedback import public_views, selectors
from participation.activities.selectors import visible_young_people
from participation.tenancy import council_view

# Assisted mode ------------------------------------------------------------------------------


@council_view("feedback.assist")
@require_http_methods(["GET", "POST"])
def form_assist(request, form_id):
    """A practitioner hands a tablet to a young person; the response is recorded as assisted."""
    feedback_form = selectors.access_form(council=request.council, pk=form_id)
    young_people = None
    if not feedback_form.is_anonymous:
        young_people = visible_young_people(membership=request.membership)
    extra = {
        "assisted": True,
        "young_people": list(young_people.order_by("preferred_name", "reference", "pk"))
        if young_people is not None
        else [],
    }
    if not feedback_form.is_open:
        return render(request, "feedback/assist_closed.html", {"feedback_form": feedback_form})
    if request.method == "POST":
        return public_views.submit(
            request,
            form=feedback_form,
            council=request.council,
            assisted_by=request.user,
            template="feedback/assist.html",
            extra=extra,
            young_people=young_people,
        )
    return public_views.render_form(
        request,
        form=feedback_form,
        version=feedback_form.live_version,
        council=request.council,
        template="feedback/assist.html",
        extra=extra,
    )
