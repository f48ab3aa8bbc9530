from datetime import date, timedelta

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber

from participation.models import Council
from participation.strategy.models import (
    ActionPriority,
    Status,
)
from participation.strategy.selectors.actions import (
    ActionFilters,
    action_list,
    indicators_with_values,
)
from participation.strategy.selectors.common import (
    STATUS_OF_RANK,
    existed_by,
    last_quarter,
    overdue_q,
    with_moves,
)

# -- The managers' dashboard -------------------------------------------------------------------


def dashboard(*, council: Council, filters: ActionFilters, today: date) -> dict:
    """Everything the dashboard shows, in a fixed number of queries whatever the data size."""
    since_quarter = last_quarter(council=council, today=today)
    since = since_quarter.end
    scope = ActionFilters(
        strategy=filters.strategy,
        objective=filters.objective,
        owner=filters.owner,
        team=filters.team,
    )
    base = action_list(council=council, filters=scope, today=today)
    late = overdue_q(today)
    per_status = {
        status: Count("pk", filter=Q(status=status) & ~late)
        for status in Status.values
        if status != Status.OVERDUE
    }
    per_status[Status.OVERDUE.value] = Count("pk", filter=late)
    objective_fields = (
        "objective_id",
        "objective__code",
        "objective__title",
        "objective__order",
        "objective__strategy__title",
    )
    soon = Q(due_date__gte=today, due_date__lte=today + timedelta(days=30)) & ~Q(
        status=Status.COMPLETED
    )
    # The totals and the due-soon count are these rows added up: each action is in exactly one
    # row here (the priority rows below are the extra counting), so no second pass is needed.
    own_rows = list(
        base.order_by()
        .values(*objective_fields)
        .annotate(total=Count("pk"), due_soon=Count("pk", filter=soon), **per_status)
    )
    totals = {status: sum(row[status] for row in own_rows) for status in Status.values}
    due_soon_count = sum(row.pop("due_soon") for row in own_rows)
    by_objective = {row["objective_id"]: row for row in own_rows}
    # An action that also serves another priority counts under that priority's row too; the
    # totals above count each action once.
    late_also = Q(action__due_date__lt=today) & ~Q(action__status=Status.COMPLETED)
    also_status = {
        status: Count("pk", filter=Q(action__status=status) & ~late_also)
        for status in Status.values
        if status != Status.OVERDUE
    }
    also_status[Status.OVERDUE.value] = Count("pk", filter=late_also)
    also_rows = list(
        ActionPriority.objects.filter(council=council, action__in=base.order_by().values("pk"))
        .order_by()
        .values(*objective_fields)
        .annotate(total=Count("pk"), **also_status)
    )
    for row in also_rows:
        mine = by_objective.setdefault(
            row["objective_id"],
            {**{name: row[name] for name in objective_fields}, "total": 0}
            | {status: 0 for status in Status.values},
        )
        for name in ["total", *Status.values]:
            mine[name] += row[name]
    by_objective = sorted(
        by_objective.values(),
        key=lambda row: (
            row["objective__strategy__title"],
            row["objective__order"],
            row["objective__code"],
        ),
    )
    double_counted = bool(also_rows)

    # Only actions that existed at the quarter's end can have moved since.
    # Only the columns the lists show: compiling the select of four joined models (70 columns,
    # twice for the windowed query) cost more than running these queries.
    ranked = with_moves(
        base.filter(existed_by(since)).select_related(None).only("title"),
        today=today,
        since=since,
    )
    # The moved counts ride on the changed list as window totals over all of it, before the
    # first 20 are cut: an action that moved up or down is always one that changed.
    changed = list(
        ranked.exclude(rank_now=F("rank_then"))
        .annotate(
            up_total=Window(Count("pk", filter=Q(rank_now__gt=F("rank_then")))),
            down_total=Window(Count("pk", filter=Q(rank_now__lt=F("rank_then")))),
        )
        .order_by("-rank_then", "pk")[:20]
    )
    for action in changed:
        action.status_on = STATUS_OF_RANK.get(action.rank_then)
    moved = {
        "up": changed[0].up_total if changed else 0,
        "down": changed[0].down_total if changed else 0,
    }

    # Overdue and due soon are disjoint (before today, from today), so one query numbers each
    # part in the list's order and keeps the first 20 of both.
    part = Case(
        When(late, then=Value("overdue")), default=Value("due_soon"), output_field=CharField()
    )
    both = list(
        base.filter(late | soon)
        .select_related(None)
        .select_related("owner__user")
        .only(
            "title",
            "due_date",
            "owner_name",
            "owner_organisation",
            "owner__user__full_name",
            "owner__user__email",
        )
        .annotate(
            part=part,
            place=Window(RowNumber(), partition_by=[part], order_by=[F("due_date"), F("pk")]),
        )
        .filter(place__lte=20)
        .order_by("due_date", "pk")
    )
    overdue = [action for action in both if action.part == "overdue"]
    due_soon = [action for action in both if action.part == "due_soon"]
    strategy_ids = None
    if filters.strategy:
        strategy_ids = [filters.strategy]
    return {
        "since": since,
        "since_label": since_quarter.short_label,
        "by_objective": by_objective,
        "counted_twice": double_counted,
        "totals": totals,
        "total": sum(totals.values()),
        "moved": moved,
        "changed": changed,
        "overdue": overdue,
        "overdue_count": totals[Status.OVERDUE.value],
        "due_soon": due_soon,
        "due_soon_count": due_soon_count,
        "indicators": indicators_with_values(council=council, strategy_ids=strategy_ids),
    }
