from datetime import date, datetime, time, timedelta

from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from participation.models import Council
from participation.quarters import Quarter, current_quarter
from participation.strategy.models import (
    RANK,
    Action,
    Status,
    StatusUpdate,
)


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
