"""Reads for strategies and action plans. Every function takes the council explicitly."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from participation.models import Council, Membership
from participation.quarters import Quarter, current_quarter
from participation.strategy.imports import person_key
from participation.strategy.models import (
    RANK,
    Action,
    ActionPriority,
    EvidenceLink,
    Indicator,
    IndicatorValue,
    Objective,
    Status,
    StatusUpdate,
    Strategy,
)
from participation.tenancy import get_for_council


def last_quarter(*, council: Council, today: date) -> Quarter:
    """The quarter before today's: what "since the last quarter's end" counts from."""
    return current_quarter(council=council, today=today).previous()


def overdue_q(today: date) -> Q:
    return Q(due_date__lt=today) & ~Q(status=Status.COMPLETED)


def shown_status_expression(today: date):
    """The status a person sees today: Overdue once the due date has passed uncompleted."""
    return Case(
        When(overdue_q(today), then=Value(Status.OVERDUE.value)),
        default=F("status"),
        output_field=CharField(),
    )


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def status_on_expression(day: date):
    """The status an action showed at the end of `day`, read back from its history."""
    last_set = Subquery(
        StatusUpdate.objects.filter(action=OuterRef("pk"), at__lt=_end_of(day))
        .order_by("-at", "-pk")
        .values("status")[:1],
        output_field=CharField(),
    )
    set_then = Coalesce(last_set, Value(Status.NOT_STARTED.value), output_field=CharField())
    return Case(
        When(
            Q(due_date__lt=day) & ~Q(status_then=Status.COMPLETED),
            then=Value(Status.OVERDUE.value),
        ),
        default=F("status_then"),
        output_field=CharField(),
    ), set_then


def with_status_on(queryset: QuerySet[Action], day: date) -> QuerySet[Action]:
    """Annotate `status_on`: the status each action showed at the end of `day`."""
    shown, set_then = status_on_expression(day)
    return queryset.annotate(status_then=set_then).annotate(status_on=shown)


def existed_by(day: date) -> Q:
    """Actions that existed at the end of `day`: created by then, or with history by then (an
    imported plan brings no earlier history, so its actions only count from the import)."""
    return Q(created_at__lt=_end_of(day)) | Exists(
        StatusUpdate.objects.filter(action=OuterRef("pk"), at__lt=_end_of(day))
    )


def _rank(expression_name: str):
    return Case(
        *[When(**{expression_name: status}, then=Value(rank)) for status, rank in RANK.items()],
        output_field=IntegerField(),
    )


def status_of(action: Action, *, on: date) -> str:
    """One action's status at the end of a past day (for one record; lists use with_status_on)."""
    return with_status_on(Action.objects.filter(pk=action.pk), on).values_list(
        "status_on", flat=True
    )[0]


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
        qs = with_status_on(qs.filter(existed_by(since)), since).annotate(
            rank_now=_rank("shown_status"), rank_then=_rank("status_on")
        )
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
    by_objective = {
        row["objective_id"]: row
        for row in base.order_by()
        .values(*objective_fields)
        .annotate(total=Count("pk"), **per_status)
    }
    # An action that also serves another priority counts under that priority's row too; the
    # totals below count each action once.
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
    totals = base.order_by().aggregate(**per_status)
    totals = {status: totals[status] or 0 for status in Status.values}
    double_counted = bool(also_rows)

    # Only actions that existed at the quarter's end can have moved since.
    ranked = with_status_on(base.filter(existed_by(since)), since).annotate(
        rank_now=_rank("shown_status"), rank_then=_rank("status_on")
    )
    moved = ranked.aggregate(
        up=Count("pk", filter=Q(rank_now__gt=F("rank_then"))),
        down=Count("pk", filter=Q(rank_now__lt=F("rank_then"))),
    )
    changed = list(ranked.exclude(rank_now=F("rank_then")).order_by("-rank_then", "pk")[:20])

    overdue = base.filter(late)
    due_soon = base.filter(due_date__gte=today, due_date__lte=today + timedelta(days=30)).exclude(
        status=Status.COMPLETED
    )
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
        "overdue": list(overdue[:20]),
        "overdue_count": totals[Status.OVERDUE.value],
        "due_soon": list(due_soon[:20]),
        "due_soon_count": due_soon.count(),
        "indicators": indicators_with_values(council=council, strategy_ids=strategy_ids),
    }


# -- Reminders ---------------------------------------------------------------------------------

REMIND_DAYS_BEFORE = 14


def reminder_quarter(*, council: Council, today: date) -> date | None:
    """The quarter end to remind about, when today is in the last two weeks of a quarter."""
    end = current_quarter(council=council, today=today).end
    return end if (end - today).days <= REMIND_DAYS_BEFORE else None


def actions_needing_update(*, council: Council, quarter_end: date) -> QuerySet[Action]:
    """Live, uncompleted actions owned by an active member with no update this quarter."""
    start = Quarter.containing(quarter_end, year_starts=council.year_starts).start
    since = timezone.make_aware(datetime.combine(start, time.min))
    updated = StatusUpdate.objects.filter(action=OuterRef("pk"), at__gte=since)
    return (
        Action.objects.filter(
            council=council,
            is_archived=False,
            owner__isnull=False,
            owner__is_active=True,
            owner__user__is_active=True,
            objective__strategy__state=Strategy.State.ACTIVE,
        )
        .exclude(status=Status.COMPLETED)
        .exclude(Exists(updated))
        .select_related("objective")
        .order_by("due_date", "pk")
    )


def action_evidence(*, action: Action, council_slug: str) -> list[EvidenceLink]:
    """An action's evidence, each record fetched with its kind in one query per kind, and a
    `record_url` for records that have a page in Heard (models with `url_in(council_slug)`)."""
    links = list(
        action.evidence.select_related("added_by", "content_type").prefetch_related("record")
    )
    for link in links:
        record = link.record if link.content_type_id else None
        url_in = getattr(record, "url_in", None)
        link.record_url = url_in(council_slug) if url_in else ""
    return links


def evidence_for_record(*, council: Council, record) -> QuerySet[EvidenceLink]:
    """The evidence links that point to one record, with their actions."""
    return (
        EvidenceLink.objects.filter(
            council=council,
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
        )
        .select_related("action")
        .order_by("action__title", "pk")
    )


def access_evidence(*, action: Action, pk) -> EvidenceLink:
    return get_for_council(
        EvidenceLink.objects.filter(action=action).select_related("content_type"),
        council=action.council,
        pk=pk,
    )


def attachable_actions(*, council: Council) -> QuerySet[Action]:
    """Live actions of live strategies, to attach evidence to."""
    return (
        Action.objects.filter(council=council, is_archived=False)
        .exclude(objective__strategy__state=Strategy.State.ARCHIVED)
        .select_related("objective__strategy")
        .order_by("objective__strategy__title", "objective__order", "objective__code", "title")
    )


# -- The action plan at a quarter's end (the quarterly report) ---------------------------------


def plan_at(*, council: Council, day: date, since: date) -> list[Action]:
    """The active plans' actions as they stood at the end of `day`, each with `status_on` (then),
    `status_before` (at the end of `since`, the quarter before; blank if it did not exist yet) and
    `commentary_then` (the latest commentary by then). Read from status history, so a report for
    a past quarter shows what people saw then."""
    base = Action.objects.filter(
        council=council, is_archived=False, objective__strategy__state=Strategy.State.ACTIVE
    )
    before = dict(
        with_status_on(base.filter(existed_by(since)), since).values_list("pk", "status_on")
    )
    actions = list(
        with_status_on(base.filter(existed_by(day)), day)
        .annotate(
            commentary_then=Subquery(
                StatusUpdate.objects.filter(action=OuterRef("pk"), at__lt=_end_of(day))
                .exclude(commentary="")
                .order_by("-at", "-pk")
                .values("commentary")[:1],
                output_field=CharField(),
            ),
        )
        .select_related("objective__strategy", "owner__user")
        .order_by(
            "objective__strategy__title", "objective__order", "objective__code", "due_date", "pk"
        )
    )
    for action in actions:
        action.status_before = before.get(action.pk, "")
    return actions


def unmatched_owners(*, council: Council) -> list[dict]:
    """Owners kept as a name because no person in Heard matched it, with how many actions
    each owns. Names differing only in case or spacing are one owner."""
    found: dict[str, dict] = {}
    names = (
        Action.objects.filter(council=council, owner__isnull=True, is_archived=False)
        .exclude(owner_name="")
        .values_list("owner_name", flat=True)
    )
    for name in names:
        item = found.setdefault(person_key(name), {"name": " ".join(name.split()), "count": 0})
        item["count"] += 1
    return sorted(found.values(), key=lambda item: item["name"].casefold())
