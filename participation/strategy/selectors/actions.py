from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    CharField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)

from participation.models import Council, Membership
from participation.strategy.models import (
    Action,
    ActionPriority,
    Indicator,
    IndicatorValue,
    Status,
    StatusUpdate,
    Strategy,
)
from participation.strategy.selectors.common import (
    existed_by,
    last_quarter,
    shown_status_expression,
    with_moves,
)

# -- Actions -----------------------------------------------------------------------------------


@dataclass
class ActionFilters:
    strategy: int | None = None
    objective: int | None = None
    owner: int | None = None
    team: str = ""
    status: str = ""
    due_within: int | None = None
    moved: str = ""
    search: str = ""
    archived: bool = False

    @property
    def active(self) -> bool:
        return any(
            [
                self.strategy,
                self.objective,
                self.owner,
                self.team,
                self.status,
                self.due_within,
                self.moved,
                self.search,
            ]
        )


def _int(value, *, most: int = 2**53) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= most else None


def _text(value: str, most: int) -> str:
    # PostgreSQL text cannot hold NUL: a query string carrying one must not become an error.
    return value.replace("\x00", "").strip()[:most]


def filters_from(params) -> ActionFilters:
    """Read list and dashboard filters from a query string, ignoring anything malformed."""
    status = params.get("status", "")
    moved = params.get("moved", "")
    return ActionFilters(
        strategy=_int(params.get("strategy")),
        objective=_int(params.get("objective")),
        owner=_int(params.get("owner")),
        team=_text(params.get("team", ""), 120),
        status=status if status in Status.values else "",
        due_within=_int(params.get("due_within"), most=3660),
        moved=moved if moved in ("up", "down") else "",
        search=_text(params.get("q", ""), 100),
        archived=params.get("archived") == "1",
    )


def action_list(*, council: Council, filters: ActionFilters, today: date) -> QuerySet[Action]:
    qs = Action.objects.filter(council=council, is_archived=filters.archived)
    if not (filters.strategy or filters.objective):
        # Draft and archived strategies stay out of the lists unless someone asks for one.
        qs = qs.filter(objective__strategy__state=Strategy.State.ACTIVE)
    if filters.strategy:
        qs = qs.filter(objective__strategy_id=filters.strategy)
    if filters.objective:
        # The objective's own actions and those that also serve it, as the dashboard counts.
        qs = qs.filter(
            Q(objective_id=filters.objective)
            | Exists(
                ActionPriority.objects.filter(
                    council=council, action=OuterRef("pk"), objective_id=filters.objective
                )
            )
        )
    if filters.owner:
        qs = qs.filter(owner_id=filters.owner)
    if filters.team:
        qs = qs.filter(team__iexact=filters.team)
    if filters.search:
        qs = qs.filter(
            Q(title__icontains=filters.search) | Q(desired_outcome__icontains=filters.search)
        )
    qs = qs.annotate(shown_status=shown_status_expression(today))
    if filters.status:
        qs = qs.filter(shown_status=filters.status)
    if filters.due_within:
        qs = qs.filter(
            due_date__gte=today, due_date__lte=today + timedelta(days=filters.due_within)
        ).exclude(status=Status.COMPLETED)
    if filters.moved:
        since = last_quarter(council=council, today=today).end
        qs = with_moves(qs.filter(existed_by(since)), today=today, since=since)
        if filters.moved == "up":
            qs = qs.filter(rank_now__gt=F("rank_then"))
        else:
            qs = qs.filter(rank_now__lt=F("rank_then"))
    return qs.select_related("objective__strategy", "owner__user").order_by("due_date", "pk")


def with_last_commentary(queryset: QuerySet[Action]) -> QuerySet[Action]:
    """Annotate the latest non-empty commentary, as an export's Commentary column."""
    return queryset.annotate(
        last_commentary=Subquery(
            StatusUpdate.objects.filter(action=OuterRef("pk"))
            .exclude(commentary="")
            .order_by("-at", "-pk")
            .values("commentary")[:1],
            output_field=CharField(),
        )
    )


def action_history(*, action: Action) -> QuerySet[StatusUpdate]:
    return StatusUpdate.objects.filter(council=action.council, action=action).select_related(
        "author"
    )


def owner_choices(*, council: Council) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(council=council, is_active=True)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )


def team_choices(*, council: Council) -> list[str]:
    return list(
        Action.objects.filter(council=council)
        .exclude(team="")
        .values_list("team", flat=True)
        .distinct()
        .order_by("team")
    )


def indicators_with_values(*, council: Council, strategy_ids=None) -> list[Indicator]:
    qs = Indicator.objects.filter(council=council)
    if strategy_ids is not None:
        qs = qs.filter(strategy_id__in=strategy_ids)
    else:
        qs = qs.filter(strategy__state=Strategy.State.ACTIVE)
    return list(
        qs.select_related("strategy", "objective").prefetch_related(
            Prefetch(
                "values",
                queryset=IndicatorValue.objects.filter(council=council).order_by("quarter_end"),
                to_attr="quarter_values",
            )
        )
    )
