from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from participation.forms import apply_errors, posted
from participation.tenancy import council_view
from reporting import selectors, services
from reporting.forms import DraftForm, NewReportForm
from reporting.models import ReportRun
from reporting.rendering import report_html


@council_view("reports.view")
def report_list(request):
    runs = list(selectors.run_list(council=request.council))
    template = "reporting/_run_list.html" if request.htmx else "reporting/report_list.html"
    return render(
        request,
        template,
        {"runs": runs, "polling": any(run.in_progress for run in runs)},
    )


@council_view("reports.write")
@require_http_methods(["GET", "POST"])
def report_create(request):
    quarters = selectors.quarter_choices(council=request.council, today=timezone.localdate())
    form = NewReportForm(posted(request), quarters=quarters)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.report_create_draft(
                council=request.council,
                actor=request.user,
                quarter_start=date.fromisoformat(form.cleaned_data["quarter"]),
                audience=form.cleaned_data["audience"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("report_detail", request.council.slug, run.pk)
    return render(request, "reporting/report_create.html", {"form": form})


@council_view("reports.view")
def report_detail(request, run_id):
    run = selectors.access_run(council=request.council, pk=run_id)
    if request.htmx and request.GET.get("part") == "status":
        response = render(request, "reporting/_run_status.html", {"run": run})
        if not run.in_progress:
            # Done: reload once so the page shows the result and stops asking.
            response["HX-Refresh"] = "true"
        return response
    return _detail(request, run)


def _for_young_people(run) -> bool:
    return run.audience == ReportRun.Audience.YOUNG_PEOPLE


def _detail(request, run, *, form=None, status=200):
    if form is None and not run.is_final and request.membership.can("reports.write"):
        form = DraftForm(initial=DraftForm.initial_for(run), young_people=_for_young_people(run))
    return render(
        request,
        "reporting/report_detail.html",
        {"run": run, "form": form, "versions": list(selectors.versions_of(run=run))},
        status=status,
    )


@council_view("reports.write")
def report_edit(request, run_id):
    run = selectors.access_run(council=request.council, pk=run_id)
    if request.method != "POST":
        return _detail(request, run)
    young = _for_young_people(run)
    form = DraftForm(request.POST, young_people=young)
    if form.is_valid():
        # The young people's version keeps what its form does not ask for as it was.
        try:
            services.report_update_draft(
                run=run,
                actor=request.user,
                introduction=form.cleaned_data["introduction"],
                purpose=form.cleaned_data.get("purpose", run.purpose),
                recommendation=form.cleaned_data.get("recommendation", run.recommendation),
                narratives=run.narratives if young else form.narratives(),
                sections=form.cleaned_data.get("sections", run.sections),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Draft saved.")
            if "preview" in request.POST:
                return redirect("report_preview", request.council.slug, run.pk)
            return redirect("report_detail", request.council.slug, run.pk)
    return _detail(request, run, form=form, status=400)


@council_view("reports.view")
def report_preview(request, run_id):
    run = selectors.access_run(council=request.council, pk=run_id)
    figures = run.figures or selectors.report_figures(
        council=request.council,
        quarter_start=run.quarter_start,
        sections=run.sections,
        audience=run.audience,
    )
    return HttpResponse(report_html(run=run, figures=figures, csp_nonce=str(request.csp_nonce)))


@council_view("reports.write")
def report_finalise(request, run_id):
    run = selectors.access_run(council=request.council, pk=run_id)
    if request.method != "POST":
        return _confirm(
            request,
            run,
            title="Finalise this report?",
            explanation=(
                "The figures are frozen as they are now and the PDF is made from them. Later "
                "changes to the data will not change this version; you can start a new one."
            ),
            button="Finalise and make the PDF",
        )
    services.report_finalise(run=run, actor=request.user)
    messages.success(request, "The figures are frozen and the PDF is being made.")
    return redirect("report_detail", request.council.slug, run.pk)


@council_view("reports.write")
def report_new_version(request, run_id):
    run = selectors.access_run(council=request.council, pk=run_id)
    if request.method != "POST":
        return _confirm(
            request,
            run,
            title="Start a new version of this report?",
            explanation=(
                f"The new version starts with the words of version {run.version} and reads the "
                f"figures afresh. Version {run.version} and its PDF are kept."
            ),
            button="Start a new version",
        )
    new = services.report_new_version(run=run, actor=request.user)
    messages.success(request, f"Version {new.version} started. Version {run.version} is kept.")
    return redirect("report_detail", request.council.slug, new.pk)


def _confirm(request, run, *, title, explanation, button):
    return render(
        request,
        "participation/confirm.html",
        {
            "title": title,
            "explanation": explanation,
            "button": button,
            "warning": False,
            "cancel_url": reverse("report_detail", args=[request.council.slug, run.pk]),
        },
    )


@council_view("reports.view")
def report_download(request, run_id):
    run = selectors.access_run_file(membership=request.membership, pk=run_id)
    return FileResponse(
        run.file.open("rb"),
        as_attachment=True,
        filename=run.file.name.rsplit("/", 1)[-1],
        content_type="application/pdf",
    )
