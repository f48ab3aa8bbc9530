from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from participation.forms import apply_errors, posted
from participation.selectors import paginate
from participation.strategy import imports, quarters, selectors, services
from participation.strategy.forms import (
    ActionForm,
    EvidenceForm,
    ImportForm,
    IndicatorForm,
    IndicatorValueForm,
    ObjectiveForm,
    QuarterSettingsForm,
    StatusForm,
    StrategyForm,
)
from participation.strategy.models import CHOOSABLE, COLOUR, Status, Strategy
from participation.tenancy import council_view
from reporting.charts import Segment, bar_chart, stacked_bar_chart

# The Sandwell key's colours; text on amber and white is dark so the counts can be read.
SEGMENTS = [
    Segment(Status.NOT_STARTED, "Not started", "#ffffff", "#0b0c0c", outline=True),
    Segment(Status.ON_TRACK, "On track", "#00703c"),
    Segment(Status.OFF_TRACK, "Off track", "#f47738", "#0b0c0c"),
    Segment(Status.OVERDUE, "Overdue", "#d4351c"),
    Segment(Status.COMPLETED, "Completed", "#1d70b8"),
]


# The quick update in a list row uses the key's short words, so the row stays narrow.
QUICK_CHOICES = [(value, Status(value).label) for value, _ in CHOOSABLE]


def _status_chart(rows: list[tuple[str, dict[str, int]]], title: str):
    return stacked_bar_chart(rows, segments=SEGMENTS, title=title) if rows else None


def _with_trends(indicators, *, council):
    """Each indicator's values by quarter and its target, as a bar chart."""
    starts = selectors.year_starts(council=council)
    for indicator in indicators:
        bars = [
            (quarters.quarter_label(value.quarter_end, year_starts=starts), float(value.value))
            for value in indicator.quarter_values
        ]
        unit = "%" if indicator.unit == "%" else ""
        indicator.chart = (
            bar_chart(
                [*bars, ("Target", float(indicator.target))],
                title=f"{indicator.title}: value at each quarter's end against the target",
                unit=unit,
            )
            if bars
            else None
        )
    return indicators


def _key():
    return [(status, label, COLOUR[status]) for status, label in Status.choices]


def _back(request, fallback: str) -> str:
    """The page to return to after a quick update: only ever a page on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


# -- Strategies --------------------------------------------------------------------------------


@council_view("strategy.view")
def strategy_list(request):
    archived = request.GET.get("archived") == "1"
    page = paginate(
        selectors.strategy_list(council=request.council, archived=archived),
        page=request.GET.get("page"),
    )
    return render(request, "strategy/strategy_list.html", {"page": page, "archived": archived})


@council_view("strategy.edit")
@require_http_methods(["GET", "POST"])
def strategy_create(request):
    form = StrategyForm(posted(request), initial={"state": Strategy.State.ACTIVE})
    if request.method == "POST" and form.is_valid():
        try:
            strategy = services.strategy_create(
                council=request.council, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{strategy.title} added. Now add its objectives.")
            return redirect("strategy_detail", request.council.slug, strategy.pk)
    return render(request, "strategy/strategy_form.html", {"form": form, "strategy": None})


@council_view("strategy.view")
def strategy_detail(request, strategy_id):
    strategy = selectors.access_strategy(council=request.council, pk=strategy_id)
    today = timezone.localdate()
    objectives = list(selectors.objectives_with_counts(strategy=strategy, today=today))
    return render(
        request,
        "strategy/strategy_detail.html",
        {
            "strategy": strategy,
            "objectives": objectives,
            "chart": _status_chart(
                [
                    (o.code, {status: getattr(o, f"n_{status}") for status in Status.values})
                    for o in objectives
                ],
                f"Actions by status for each objective of {strategy.title}",
            ),
            "key": _key(),
            "history": selectors.strategy_history(strategy=strategy, today=today),
            "indicators": _with_trends(
                selectors.indicators_with_values(
                    council=request.council, strategy_ids=[strategy.pk]
                ),
                council=request.council,
            ),
        },
    )


@council_view("strategy.edit")
@require_http_methods(["GET", "POST"])
def strategy_edit(request, strategy_id):
    strategy = selectors.access_strategy(council=request.council, pk=strategy_id)
    form = StrategyForm(posted(request), instance=strategy)
    if strategy.state == Strategy.State.ARCHIVED:
        form.fields["state"].choices.append((Strategy.State.ARCHIVED, "Archived"))
    if request.method == "POST" and form.is_valid():
        try:
            services.strategy_update(strategy=strategy, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Strategy saved.")
            return redirect("strategy_detail", request.council.slug, strategy.pk)
    return render(request, "strategy/strategy_form.html", {"form": form, "strategy": strategy})


@council_view("strategy.edit")
@require_http_methods(["GET", "POST"])
def strategy_archive(request, strategy_id, archived):
    strategy = selectors.access_strategy(council=request.council, pk=strategy_id)
    detail_url = reverse("strategy_detail", args=[request.council.slug, strategy.pk])
    if request.method == "POST":
        services.strategy_set_archived(strategy=strategy, actor=request.user, archived=archived)
        if archived:
            messages.success(request, f"{strategy.title} archived. You can restore it.")
            return redirect("strategy_list", request.council.slug)
        messages.success(request, f"{strategy.title} restored.")
        return redirect(detail_url)
    return render(
        request,
        "participation/confirm.html",
        {
            "title": f"{'Archive' if archived else 'Restore'} {strategy.title}?",
            "explanation": (
                "It leaves the dashboard and the list of strategies. Its actions and their "
                "history are kept and you can restore it."
                if archived
                else "It will appear on the dashboard and in the list of strategies again."
            ),
            "button": "Archive" if archived else "Restore",
            "warning": archived,
            "cancel_url": detail_url,
        },
    )


@council_view("strategy.edit")
@require_http_methods(["GET", "POST"])
def quarter_settings(request):
    starts = selectors.year_starts(council=request.council)
    form = QuarterSettingsForm(posted(request), initial={"year_starts": starts})
    if request.method == "POST" and form.is_valid():
        services.settings_update(council=request.council, actor=request.user, **form.cleaned_data)
        messages.success(request, "Quarter dates saved.")
        return redirect("strategy_list", request.council.slug)
    return render(request, "strategy/quarter_settings.html", {"form": form})


# -- Objectives --------------------------------------------------------------------------------


@council_view("strategy.edit")
@require_http_methods(["GET", "POST"])
def objective_create(request, strategy_id):
    strategy = selectors.access_strategy(council=request.council, pk=strategy_id)
    form = ObjectiveForm(posted(request), initial={"order": strategy.objectives.count() + 1})
    if request.method == "POST" and form.is_valid():
        try:
            objective = services.objective_create(
                strategy=strategy, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{objective.code} added.")
            return redirect("strategy_detail", request.council.slug, strategy.pk)
    return render(
        request,
        "strategy/objective_form.html",
        {"form": form, "strategy": strategy, "objective": None},
    )


@council_view("strategy.view")
def objective_detail(request, objective_id):
    objective = selectors.access_objective(council=request.council, pk=objective_id)
    filters = selectors.ActionFilters(objective=objective.pk)
    page = paginate(
        selectors.action_list(council=request.council, filters=filters, today=timezone.localdate()),
        page=request.GET.get("page"),
        per_page=50,
    )
    return render(
        request,
        "strategy/objective_detail.html",
        {
            "objective": objective,
            "strategy": objective.strategy,
            "page": page,
            "actions": page.object_list,
            "choosable": QUICK_CHOICES,
            "key": _key(),
        },
    )


@council_view("strategy.edit")
@require_http_methods(["GET", "POST"])
def objective_edit(request, objective_id):
    objective = selectors.access_objective(council=request.council, pk=objective_id)
    form = ObjectiveForm(posted(request), instance=objective)
    if request.method == "POST" and form.is_valid():
        try:
            services.objective_update(objective=objective, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Objective saved.")
            return redirect("objective_detail", request.council.slug, objective.pk)
    return render(
        request,
        "strategy/objective_form.html",
        {"form": form, "strategy": objective.strategy, "objective": objective},
    )


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
            **_filter_choices(request.council),
            "choosable": QUICK_CHOICES,
            "key": _key(),
            "since_label": quarters.quarter_label(
                quarters.previous_quarter_end(
                    today, year_starts=selectors.year_starts(council=request.council)
                ),
                year_starts=selectors.year_starts(council=request.council),
            ),
        },
    )


def _filter_choices(council) -> dict:
    from participation.strategy.models import Objective

    return {
        "strategies": Strategy.objects.filter(council=council)
        .exclude(state=Strategy.State.ARCHIVED)
        .order_by("-period_start", "title"),
        "objectives": Objective.objects.filter(council=council)
        .exclude(strategy__state=Strategy.State.ARCHIVED)
        .select_related("strategy")
        .order_by("strategy__title", "order", "code"),
        "owners": selectors.owner_choices(council=council),
        "teams": selectors.team_choices(council=council),
        "statuses": Status.choices,
    }


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
            "evidence": action.evidence.select_related("added_by", "content_type"),
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
                return redirect(_back(request, detail_url))
        if request.htmx:
            return _row(request, action, form=form)
    return render(
        request,
        "strategy/status_form.html",
        {"form": form, "action": action, "next": _back(request, detail_url)},
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
            "next": _back(request, ""),
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


# -- Indicators --------------------------------------------------------------------------------


@council_view("strategy.edit")
@require_http_methods(["GET", "POST"])
def indicator_create(request, strategy_id):
    strategy = selectors.access_strategy(council=request.council, pk=strategy_id)
    form = IndicatorForm(posted(request), strategy=strategy)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_create(strategy=strategy, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Indicator added.")
            return redirect("strategy_detail", request.council.slug, strategy.pk)
    return render(request, "strategy/indicator_form.html", {"form": form, "strategy": strategy})


@council_view("actions.update")
@require_http_methods(["GET", "POST"])
def indicator_record(request, indicator_id):
    indicator = selectors.access_indicator(council=request.council, pk=indicator_id)
    strategy = indicator.strategy
    starts = selectors.year_starts(council=request.council)
    today = timezone.localdate()
    ends = quarters.quarter_ends_between(
        strategy.period_start, min(strategy.period_end, today), year_starts=starts
    )
    choices = [
        (end.isoformat(), quarters.quarter_label(end, year_starts=starts)) for end in reversed(ends)
    ]
    form = IndicatorValueForm(posted(request), quarter_choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_record(indicator=indicator, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Value recorded for {indicator.title}.")
            return redirect("strategy_detail", request.council.slug, strategy.pk)
    return render(
        request, "strategy/indicator_value_form.html", {"form": form, "indicator": indicator}
    )


# -- The managers' dashboard -------------------------------------------------------------------


@council_view("strategy.view")
def dashboard(request):
    today = timezone.localdate()
    filters = selectors.filters_from(request.GET)
    data = selectors.dashboard(council=request.council, filters=filters, today=today)
    list_url = reverse("action_list", args=[request.council.slug])

    def link(**extra) -> str:
        """The filtered action list behind a count: the dashboard's filters plus `extra`."""
        params = QueryDict(mutable=True)
        for name in ("strategy", "objective", "owner", "team"):
            value = extra.get(name, getattr(filters, name))
            if value:
                params[name] = value
        for name in ("status", "due_within", "moved"):
            if name in extra:
                params[name] = extra[name]
        return f"{list_url}?{params.urlencode()}"

    for row in data["by_objective"]:
        row["cells"] = [
            (status, label, row[status], link(objective=row["objective_id"], status=status))
            for status, label in Status.choices
        ]
        row["link"] = link(objective=row["objective_id"])
    totals = [
        (status, label, data["totals"][status], link(status=status))
        for status, label in Status.choices
    ]
    return render(
        request,
        "strategy/dashboard.html",
        {
            **data,
            **_filter_choices(request.council),
            "filters": filters,
            "total_cells": totals,
            "chart": _status_chart(
                [
                    (row["objective__code"], {status: row[status] for status in Status.values})
                    for row in data["by_objective"]
                ],
                "Actions by status for each objective",
            ),
            "all_link": link(),
            "overdue_link": link(status=Status.OVERDUE),
            "due_soon_link": link(due_within=30),
            "up_link": link(moved="up"),
            "down_link": link(moved="down"),
            "key": _key(),
            "today": today,
        },
    )


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
