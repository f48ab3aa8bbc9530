from datetime import date

from django.db.models import (
    Count,
    Q,
    QuerySet,
)

from participation.models import Council
from participation.quarters import Quarter
from participation.strategy.models import (
    Action,
    Indicator,
    Objective,
    Status,
    Strategy,
)
from participation.strategy.selectors.common import existed_by, with_status_on
from participation.tenancy import get_for_council

# -- Strategies --------------------------------------------------------------------------------


def strategy_list(*, council: Council, archived: bool = False) -> QuerySet[Strategy]:
    qs = Strategy.objects.filter(council=council)
    qs = (
        qs.filter(state=Strategy.State.ARCHIVED)
        if archived
        else qs.exclude(state=Strategy.State.ARCHIVED)
    )
    return qs.annotate(
        objective_count=Count("objectives", distinct=True),
        action_count=Count(
            "objectives__actions", filter=Q(objectives__actions__is_archived=False), distinct=True
        ),
    ).order_by("-period_start", "title", "pk")


def access_strategy(*, council: Council, pk) -> Strategy:
    return get_for_council(Strategy.objects.all(), council=council, pk=pk)


def access_objective(*, council: Council, pk) -> Objective:
    return get_for_council(Objective.objects.select_related("strategy"), council=council, pk=pk)


def access_action(*, council: Council, pk) -> Action:
    return get_for_council(
        Action.objects.select_related("objective__strategy", "owner__user"),
        council=council,
        pk=pk,
    )


def access_indicator(*, council: Council, pk) -> Indicator:
    return get_for_council(Indicator.objects.select_related("strategy"), council=council, pk=pk)


def objectives_with_counts(*, strategy: Strategy, today: date) -> QuerySet[Objective]:
    """A strategy's objectives, each with how many live actions show each status today."""
    live = Q(actions__is_archived=False)
    late = Q(actions__due_date__lt=today) & ~Q(actions__status=Status.COMPLETED)
    counts = {
        f"n_{status}": Count(
            "actions", filter=live & ~late & Q(actions__status=status), distinct=True
        )
        for status in Status.values
        if status != Status.OVERDUE
    }
    counts["n_overdue"] = Count("actions", filter=live & late, distinct=True)
    return (
        Objective.objects.filter(council=strategy.council, strategy=strategy)
        .annotate(total=Count("actions", filter=live, distinct=True), **counts)
        .order_by("order", "code", "pk")
    )


def strategy_history(*, strategy: Strategy, today: date) -> list[dict]:
    """How many actions showed each status at the end of each quarter of the strategy so far."""
    last = min(strategy.period_end, today)
    ended = [
        quarter
        for quarter in Quarter.between(
            strategy.period_start, last, year_starts=strategy.council.year_starts
        )
        if quarter.end < today
    ]
    base = Action.objects.filter(
        council=strategy.council, objective__strategy=strategy, is_archived=False
    )
    rows = []
    for quarter in ended[-8:]:
        end = quarter.end
        counts = dict(
            with_status_on(base.filter(existed_by(end)), end)
            .values_list("status_on")
            .annotate(n=Count("pk"))
            .order_by()
        )
        if not counts:
            continue
        rows.append(
            {
                "end": end,
                "label": quarter.short_label,
                "counts": [(status, counts.get(status, 0)) for status in Status.values],
            }
        )
    return rows
