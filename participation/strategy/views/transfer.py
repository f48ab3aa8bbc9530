"""Action plans in and out as spreadsheets.

Upload -> (choose columns, when the headings are not ones Heard knows) -> preview -> import. The
file waits in a PendingImport between the steps; the session holds only its id.
"""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import escape
from django.views.decorators.http import require_http_methods

from participation import selectors as core_selectors
from participation import services as core_services
from participation import spreadsheets
from participation.audit import record_access
from participation.forms import apply_errors, posted
from participation.models import ImportKind
from participation.strategy import imports, selectors, services
from participation.strategy.forms import (
    ImportForm,
    OwnerLinkForm,
    PlanColumnsForm,
    owner_link_choices,
)
from participation.tenancy import council_view

IMPORT_SESSION_KEY = "strategy_import"
KIND = ImportKind.ACTION_PLAN
FIELD_LABELS = [(field, heading) for field, (heading, _) in imports.COLUMNS.items()]


def _pending(request):
    return core_selectors.access_pending_import(
        council=request.council,
        user=request.user,
        kind=KIND,
        pk=request.session.get(IMPORT_SESSION_KEY),
    )


def _table(pending):
    return spreadsheets.read(
        data=bytes(pending.data), filename=pending.filename, max_rows=imports.MAX_ROWS
    )


def _columns(request, pending, table) -> dict[str, int]:
    """The officer's choice for this file if made, else the headings read with the council's
    remembered choices."""
    chosen = pending.options.get("columns")
    if chosen is not None:
        return {field: int(index) for field, index in chosen.items()}
    remembered = core_selectors.column_choices(council=request.council, kind=KIND)
    return imports.map_headings(table.headings, remembered)


def _needs_columns(request, table, columns) -> bool:
    if imports.missing_fields(columns):
        return True
    remembered = core_selectors.column_choices(council=request.council, kind=KIND)
    known = {alias for _, aliases in imports.COLUMNS.values() for alias in aliases}
    return any(
        imports.normal_heading(heading) not in known | set(remembered)
        for heading in table.headings
        if imports.normal_heading(heading)
    )


def _fixed(pending) -> dict:
    return dict(pending.options.get("fixed") or {})


def _not_imported(table, columns) -> list[str]:
    used = set(columns.values())
    width = max([len(table.headings)] + [len(row) for _, row in table.rows])
    names = []
    for index in range(width):
        if index in used:
            continue
        heading = table.headings[index] if index < len(table.headings) else ""
        has_data = any(index < len(row) and spreadsheets.text(row[index]) for _, row in table.rows)
        if heading or has_data:
            letter = table.column_letter(index)
            names.append(f"{heading} (column {letter})" if heading else f"Column {letter}")
    return names


@council_view("strategy.edit")
@require_http_methods(["GET", "POST"])
def plan_import(request):
    """Upload and check that the file can be read. Nothing is written to the plan yet."""
    form = ImportForm(posted(request), posted(request, files=True), council=request.council)
    if request.method == "POST" and form.is_valid():
        strategy = form.cleaned_data["strategy"]
        as_at = form.cleaned_data.get("as_at") or timezone.localdate()
        upload = form.cleaned_data["file"]
        try:
            services.check_as_at(as_at, today=timezone.localdate())
            if upload.size > spreadsheets.MAX_BYTES:
                raise spreadsheets.SpreadsheetError(spreadsheets.too_big())
            data = upload.read()
            table = spreadsheets.read(data=data, filename=upload.name, max_rows=imports.MAX_ROWS)
        except ValidationError as error:
            apply_errors(form, error)
        except spreadsheets.SpreadsheetError as error:
            for message in error.messages:
                form.add_error("file", message)
        else:
            pending = core_services.pending_import_create(
                council=request.council,
                actor=request.user,
                kind=KIND,
                filename=upload.name,
                data=data,
                options={"strategy": strategy.pk, "as_at": as_at.isoformat()},
            )
            request.session[IMPORT_SESSION_KEY] = pending.pk
            columns = _columns(request, pending, table)
            if _needs_columns(request, table, columns):
                return redirect("strategy_import_columns", request.council.slug)
            return redirect("strategy_import_confirm", request.council.slug)
    return render(request, "strategy/import_form.html", {"form": form})


@council_view("strategy.edit")
@require_http_methods(["GET", "POST"])
def plan_import_columns(request):
    """Which column of the council's file fills which field; remembered for the next file."""
    pending = _pending(request)
    if pending is None:
        return render(request, "strategy/import_preview.html", {"rows": None})
    try:
        table = _table(pending)
    except spreadsheets.SpreadsheetError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("strategy_import", request.council.slug)
    form = PlanColumnsForm(
        posted(request),
        table=table,
        fields=FIELD_LABELS,
        mapping=_columns(request, pending, table),
        required=imports.REQUIRED,
        fixed={f"every_{k}": v for k, v in _fixed(pending).items()},
    )
    if request.method == "POST" and form.is_valid():
        core_services.column_choices_remember(
            council=request.council,
            actor=request.user,
            kind=KIND,
            choices=form.choices_by_heading(imports.normal_heading),
        )
        fixed = {
            field: value.isoformat() if isinstance(value, date) else value
            for field, value in form.fixed().items()
        }
        core_services.pending_import_set_options(
            pending=pending, columns=form.mapping(), fixed=fixed
        )
        return redirect("strategy_import_confirm", request.council.slug)
    return render(
        request,
        "strategy/import_columns.html",
        {
            "form": form,
            "filename": pending.filename,
            "row_count": len(table.rows),
            "missing": [
                imports.COLUMNS[field][0]
                for field in imports.missing_fields(_columns(request, pending, table))
            ],
        },
    )


@council_view("strategy.edit")
@require_http_methods(["GET", "POST"])
def plan_import_confirm(request):
    """GET: the preview of what will be created. POST: create it, all or nothing."""
    pending = _pending(request)
    if pending is None:
        return render(request, "strategy/import_preview.html", {"rows": None})
    strategy = selectors.access_strategy(council=request.council, pk=pending.options["strategy"])
    as_at = date.fromisoformat(pending.options["as_at"])
    try:
        table = _table(pending)
        columns = _columns(request, pending, table)
        if imports.missing_fields(columns, _fixed(pending)):
            return redirect("strategy_import_columns", request.council.slug)
        rows, errors, used = imports.parse_plan(table, columns=columns, fixed=_fixed(pending))
    except spreadsheets.SpreadsheetError as error:
        messages.error(request, f"Nothing was imported. {' '.join(error.messages)}")
        return redirect("strategy_import", request.council.slug)
    if errors or request.method == "GET":
        existing = {code.upper() for code in strategy.objectives.values_list("code", flat=True)}
        members = services.members_by_name(council=request.council)
        return render(
            request,
            "strategy/import_preview.html",
            {
                "strategy": strategy,
                "rows": rows,
                "row_errors": errors,
                "as_at": as_at,
                "columns": list(used.values()),
                "fixed": [
                    (imports.COLUMNS[field][0], value) for field, value in _fixed(pending).items()
                ],
                "not_imported": _not_imported(table, columns),
                "new_codes": sorted(
                    {row.objective_codes[0] for row in rows}
                    - {
                        code
                        for code in {row.objective_codes[0] for row in rows}
                        if code.upper() in existing
                    }
                ),
                "unmatched": sorted(
                    {
                        row.owner
                        for row in rows
                        if row.owner.strip()
                        and imports.person_key(row.owner.partition(",")[0]) not in members
                    }
                ),
            },
        )
    try:
        created = services.plan_import(
            strategy=strategy, actor=request.user, rows=rows, as_at=as_at
        )
    except ValidationError as error:
        messages.error(request, f"Nothing was imported. {' '.join(error.messages)}")
        return redirect("strategy_import_confirm", request.council.slug)
    core_services.pending_import_delete(pending=pending)
    request.session.pop(IMPORT_SESSION_KEY, None)
    messages.success(request, f"{len(created)} actions imported into {strategy.title}.")
    if selectors.unmatched_owners(council=request.council):
        return redirect("strategy_owners", request.council.slug)
    return redirect("strategy_detail", request.council.slug, strategy.pk)


@council_view("strategy.edit")
def plan_import_sample(request):
    """An example action plan in the columns the import reads, written by the same writer."""
    return spreadsheets.response(
        imports.EXPORT_HEADINGS,
        imports.sample_rows(),
        filename_stem="heard-action-plan-sample",
        xlsx=request.GET.get("format") == "xlsx",
        sheet_title="Action plan",
    )


@council_view("strategy.edit")
@require_http_methods(["GET", "POST"])
def unmatched_owners(request):
    """Owners written as names that are not (yet) people in Heard, each to be linked to one."""
    people = selectors.owner_choices(council=request.council)
    bound = None
    if request.method == "POST":
        bound = OwnerLinkForm(request.POST, people=people)
        if bound.is_valid():
            try:
                count = services.unmatched_owner_link(
                    council=request.council,
                    actor=request.user,
                    owner_name=bound.cleaned_data["owner_name"],
                    membership=bound.cleaned_data["membership"],
                )
            except ValidationError as error:
                apply_errors(bound, error)
            else:
                person = bound.cleaned_data["membership"].user
                messages.success(
                    request,
                    f"{count} action{'' if count == 1 else 's'} now owned by {person}.",
                )
                return redirect("strategy_owners", request.council.slug)
    choices = owner_link_choices(people)
    forms = []
    for number, item in enumerate(selectors.unmatched_owners(council=request.council), 1):
        # Each name's form has its own ids, so the labels on the page stay unique.
        auto_id = f"id_owner{number}_%s"
        if bound is not None and bound.data.get("owner_name") == item["name"]:
            form = bound
            form.auto_id = auto_id
        else:
            form = OwnerLinkForm(
                initial={"owner_name": item["name"]},
                people=people,
                choices=choices,
                auto_id=auto_id,
            )
        # The GOV.UK templates print labels as HTML, and the name came from a spreadsheet.
        form.fields["membership"].label = escape(f"Who is {item['name']}?")
        forms.append((item, form))
    return render(request, "strategy/unmatched_owners.html", {"forms": forms})


@council_view("strategy.view")
def plan_export(request):
    """The action list, with its filters, in the same columns the import reads."""
    filters = selectors.filters_from(request.GET)
    actions = selectors.with_last_commentary(
        selectors.action_list(council=request.council, filters=filters, today=timezone.localdate())
    ).prefetch_related("also_serves")
    xlsx = request.GET.get("format") == "xlsx"
    record_access(
        request=request, verb="exported", subject="action", detail="XLSX" if xlsx else "CSV"
    )
    return spreadsheets.response(
        imports.EXPORT_HEADINGS,
        imports.export_rows(actions),
        filename_stem=f"action-plan-{timezone.localdate():%Y-%m-%d}",
        xlsx=xlsx,
        sheet_title="Action plan",
    )
