"""Strategies, their objectives and indicators."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from participation.forms import apply_errors, posted
from participation.quarters import Quarter
from participation.selectors import paginate
from participation.strategy import selectors, services
from participation.strategy.forms import (
    IndicatorForm,
    IndicatorValueForm,
    ObjectiveForm,
    StrategyForm,
)
from participation.strategy.models import Status, Strategy
from participation.strategy.views.common import (
    QUICK_CHOICES,
    status_key,
    with_trends,
)
from participation.tenancy import council_view
from reporting import charts

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
            "chart": charts.status_chart(
                [
                    (o.code, {status: getattr(o, f"n_{status}") for status in Status.values})
                    for o in objectives
                ],
                title=f"Actions by status for each objective of {strategy.title}",
            ),
            "key": status_key(),
            "history": selectors.strategy_history(strategy=strategy, today=today),
            "indicators": with_trends(
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
    from forums.selectors import work_for_objective

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
            "forum_work": list(work_for_objective(objective=objective)),
            "page": page,
            "actions": page.object_list,
            "choosable": QUICK_CHOICES,
            "key": status_key(),
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
    today = timezone.localdate()
    choices = [
        (quarter.end.isoformat(), quarter.short_label)
        for quarter in reversed(
            Quarter.between(
                strategy.period_start,
                min(strategy.period_end, today),
                year_starts=request.council.year_starts,
            )
        )
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
