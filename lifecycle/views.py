from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from lifecycle import selectors, services
from lifecycle.forms import PrivacyNoticeForm, RetentionForm
from lifecycle.models import SubjectAccessExport
from participation import rls
from participation.activities.models import YoungPerson
from participation.forms import apply_errors, posted
from participation.models import Council
from participation.tenancy import council_view, get_for_council


@require_http_methods(["GET", "POST"])
@council_view("lifecycle.manage")
def retention_settings(request):
    council = request.council
    form = RetentionForm(posted(request), periods=selectors.retention_periods(council=council))
    if request.method == "POST" and form.is_valid():
        try:
            services.retention_periods_set(
                council=council, actor=request.user, periods=form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Retention periods saved.")
            return redirect("retention_settings", council_slug=council.slug)
    return render(request, "lifecycle/retention_settings.html", {"form": form})


@council_view("lifecycle.manage")
def retention_forecast(request):
    rows = selectors.forecast(council=request.council, now=timezone.now())
    return render(request, "lifecycle/retention_forecast.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@council_view("lifecycle.manage")
def young_person_erase(request, young_person_id):
    council = request.council
    person = get_for_council(YoungPerson.objects, council=council, pk=young_person_id)
    erasure = selectors.erasure_of(council=council, young_person=person)
    error = None
    if request.method == "POST":
        try:
            services.young_person_erase(council=council, young_person=person, actor=request.user)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(request, "The young person's record has been erased.")
            return redirect(
                "young_person_detail", council_slug=council.slug, young_person_id=person.pk
            )
    context = {"person": person, "erasure": erasure, "error": error}
    if erasure is None:
        context["changes"] = selectors.erasure_preview(council=council, young_person=person)
        context["kept"] = selectors.kept_after_erasure(council=council, young_person=person)
    return render(request, "lifecycle/erase_confirm.html", context)


@require_http_methods(["GET", "POST"])
@council_view("lifecycle.manage")
def subject_access_request(request, young_person_id):
    council = request.council
    person = get_for_council(YoungPerson.objects, council=council, pk=young_person_id)
    error = None
    if request.method == "POST":
        try:
            export = services.subject_access_request(
                council=council, young_person=person, actor=request.user
            )
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            return redirect("subject_access_detail", council_slug=council.slug, export_id=export.pk)
    return render(
        request, "lifecycle/subject_access_request.html", {"person": person, "error": error}
    )


@require_http_methods(["GET", "POST"])
@council_view("lifecycle.manage")
def subject_access_detail(request, export_id):
    council = request.council
    export = get_for_council(
        SubjectAccessExport.objects.select_related("young_person"), council=council, pk=export_id
    )
    error = None
    if request.method == "POST":
        try:
            filename, content = services.subject_access_download(export=export, actor=request.user)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            response = HttpResponse(content, content_type="application/zip")
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            response["Cache-Control"] = "no-store"
            return response
    return render(
        request,
        "lifecycle/subject_access_detail.html",
        {"export": export, "error": error, "mine": export.requested_by_id == request.user.pk},
    )


@require_http_methods(["GET", "POST"])
@council_view("lifecycle.manage")
def privacy_notice_edit(request):
    council = request.council
    notice = selectors.privacy_notice(council=council)
    form = PrivacyNoticeForm(posted(request), initial=notice)
    if request.method == "POST" and form.is_valid():
        try:
            services.privacy_notice_save(council=council, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Privacy notice saved.")
            return redirect("privacy_notice_edit", council_slug=council.slug)
    return render(request, "lifecycle/privacy_notice_edit.html", {"form": form, "notice": notice})


def privacy_notice(request, council_slug):
    """Public: anyone given a form's link can read how their answers are looked after."""
    council = Council.objects.filter(slug=council_slug, is_active=True).first()
    if council is None:
        raise Http404("No such page.")
    with rls.council_scope(council):
        notice = selectors.privacy_notice(council=council)
    return render(
        request,
        "lifecycle/privacy_notice.html",
        {
            "council": council,
            "children": _paragraphs(notice["for_children"]),
            "adults": _paragraphs(notice["for_adults"]),
        },
    )


def _paragraphs(text: str) -> list[str]:
    return [
        " ".join(part.split()) for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()
    ]
