"""The managers' dashboard."""

from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from participation.strategy import selectors
from participation.strategy.models import Status
from participation.strategy.views.common import (
    filter_choices,
    status_key,
)
from participation.tenancy import council_view
from reporting import charts

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
            **filter_choices(request.council),
            "filters": filters,
            "total_cells": totals,
            "chart": charts.status_chart(
                [
                    (row["objective__code"], {status: row[status] for status in Status.values})
                    for row in data["by_objective"]
                ],
                title="Actions by status for each objective",
            ),
            "all_link": link(),
            "overdue_link": link(status=Status.OVERDUE),
            "due_soon_link": link(due_within=30),
            "up_link": link(moved="up"),
            "down_link": link(moved="down"),
            "key": status_key(),
            "today": today,
        },
    )
