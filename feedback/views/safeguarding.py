from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from feedback import selectors, services
from feedback.forms import (
    ActionForm,
    ContactForm,
    SafeguardingSettingsForm,
)
from feedback.models import SafeguardingContact
from feedback.views.common import _confirm
from participation.audit import record_access
from participation.forms import apply_errors, posted
from participation.selectors import paginate
from participation.tenancy import council_view, get_for_council

# Safeguarding -------------------------------------------------------------------------------


def _require_alert_access(request):
    if not selectors.can_see_alerts(request.membership):
        raise PermissionDenied


@council_view("feedback.alerts_queue")
def alert_list(request):
    _require_alert_access(request)
    status = request.GET.get("status", "waiting")
    status = status if status in ("waiting", "acknowledged", "all") else "waiting"
    page = paginate(
        selectors.alert_list(council=request.council, status=status), page=request.GET.get("page")
    )
    return render(
        request,
        "feedback/alert_list.html",
        {"page": page, "status": status, "counts": selectors.alert_counts(council=request.council)},
    )


@council_view("feedback.alerts_queue")
@require_http_methods(["GET", "POST"])
def alert_detail(request, alert_id):
    _require_alert_access(request)
    alert = selectors.access_alert(council=request.council, pk=alert_id)
    if request.method == "GET":
        record_access(request=request, verb="viewed", subject=alert)
    form = ActionForm(posted(request), initial={"action_taken": alert.action_taken})
    if request.method == "POST":
        if request.POST.get("do") == "acknowledge":
            try:
                services.alert_acknowledge(alert=alert, actor=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, "Alert acknowledged. Record what was done when you can.")
            return redirect("alert_detail", council_slug=request.council.slug, alert_id=alert.pk)
        if form.is_valid():
            try:
                services.alert_record_action(
                    alert=alert, actor=request.user, action_taken=form.cleaned_data["action_taken"]
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "What was done is recorded.")
                return redirect(
                    "alert_detail", council_slug=request.council.slug, alert_id=alert.pk
                )
    return render(
        request,
        "feedback/alert_detail.html",
        {"alert": alert, "answers": selectors.response_answers(alert.response), "form": form},
    )


@council_view("feedback.alerts")
@require_http_methods(["GET", "POST"])
def safeguarding_settings(request):
    found = selectors.safeguarding_settings(council=request.council)
    posted = request.POST if request.method == "POST" else None
    which = request.POST.get("form") if posted else None
    settings_form = SafeguardingSettingsForm(
        posted if which == "settings" else None, instance=found
    )
    contact_form = ContactForm(posted if which == "contact" else None, council=request.council)
    if which == "settings" and settings_form.is_valid():
        try:
            services.safeguarding_settings_update(
                council=request.council, actor=request.user, **settings_form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(settings_form, error)
        else:
            messages.success(request, "Safeguarding settings saved.")
            return redirect("safeguarding_settings", council_slug=request.council.slug)
    if which == "contact" and contact_form.is_valid():
        try:
            services.contact_add(
                council=request.council,
                actor=request.user,
                membership=contact_form.cleaned_data["membership"],
            )
        except ValidationError as error:
            apply_errors(contact_form, error)
        else:
            messages.success(request, "Safeguarding contact added.")
            return redirect("safeguarding_settings", council_slug=request.council.slug)
    return render(
        request,
        "feedback/safeguarding_settings.html",
        {
            "settings_form": settings_form,
            "contact_form": contact_form,
            "contacts": selectors.contacts(council=request.council),
        },
    )


@council_view("feedback.alerts")
@require_http_methods(["GET", "POST"])
def contact_remove(request, contact_id):
    contact = get_for_council(
        SafeguardingContact.objects.select_related("membership__user"),
        council=request.council,
        pk=contact_id,
    )
    back = reverse("safeguarding_settings", args=[request.council.slug])
    if request.method == "POST":
        services.contact_remove(contact=contact, actor=request.user)
        messages.success(
            request, f"{contact.membership.user.full_name} is no longer a safeguarding contact."
        )
        return redirect(back)
    return _confirm(
        request,
        title=f"Remove {contact.membership.user.full_name} as a safeguarding contact?",
        explanation="They will stop getting alert emails.",
        button="Remove",
        warning=True,
        cancel_url=back,
    )
