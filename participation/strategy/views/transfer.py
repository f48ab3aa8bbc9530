"""Action plans in and out as spreadsheets."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from participation.forms import posted
from participation.strategy import imports, selectors, services
from participation.strategy.forms import (
    ImportForm,
)
from participation.tenancy import council_view

# -- Import and export -------------------------------------------------------------------------

IMPORT_SESSION_KEY = "strategy_import"


@council_view("strategy.edit")
@require_http_methods(["GET", "POST"])
def plan_import(request):
    """Upload, check and preview. Nothing is written until the preview is confirmed."""
    form = ImportForm(posted(request), posted(request, files=True), council=request.council)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        strategy = form.cleaned_data["strategy"]
        try:
            table = imports.read_table(form.cleaned_data["file"])
            rows, errors, used = imports.parse_plan(table)
        except imports.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            if errors:
                form.add_error("file", "The file has errors. Correct them and upload it again.")
                context["row_errors"] = errors
            else:
                request.session[IMPORT_SESSION_KEY] = {
                    "council": request.council.pk,
                    "strategy": strategy.pk,
                    "rows": [row.to_session() for row in rows],
                    "columns": list(used.values()),
                }
                return redirect("strategy_import_confirm", request.council.slug)
    return render(request, "strategy/import_form.html", context)


@council_view("strategy.edit")
@require_http_methods(["GET", "POST"])
def plan_import_confirm(request):
    """GET: the preview of what will be created. POST: create it, all or nothing."""
    pending = request.session.get(IMPORT_SESSION_KEY)
    if not pending or pending.get("council") != request.council.pk:
        return render(request, "strategy/import_preview.html", {"rows": None})
    strategy = selectors.access_strategy(council=request.council, pk=pending["strategy"])
    rows = [imports.PlanRow.from_session(row) for row in pending["rows"]]
    if request.method == "GET":
        existing = {code.upper() for code in strategy.objectives.values_list("code", flat=True)}
        return render(
            request,
            "strategy/import_preview.html",
            {
                "strategy": strategy,
                "rows": rows,
                "columns": pending["columns"],
                "new_codes": sorted(
                    code
                    for code in {row.objective_codes[0] for row in rows}
                    if code.upper() not in existing
                ),
            },
        )
    try:
        created = services.plan_import(strategy=strategy, actor=request.user, rows=rows)
    except ValidationError as error:
        request.session.pop(IMPORT_SESSION_KEY, None)
        messages.error(request, f"Nothing was imported. {' '.join(error.messages)}")
        return redirect("strategy_import", request.council.slug)
    request.session.pop(IMPORT_SESSION_KEY, None)
    messages.success(request, f"{len(created)} actions imported into {strategy.title}.")
    return redirect("strategy_detail", request.council.slug, strategy.pk)


@council_view("strategy.view")
def plan_export(request):
    """The action list, with its filters, in the same columns the import reads."""
    filters = selectors.filters_from(request.GET)
    actions = selectors.with_last_commentary(
        selectors.action_list(council=request.council, filters=filters, today=timezone.localdate())
    )
    rows = imports.export_rows(actions)
    stem = f"action-plan-{timezone.localdate():%Y-%m-%d}"
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            imports.to_xlsx(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
        return response
    response = HttpResponse(imports.to_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
    return response
