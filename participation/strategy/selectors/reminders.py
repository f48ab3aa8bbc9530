from datetime import date, datetime, time

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Exists,
    OuterRef,
    QuerySet,
)
from django.utils import timezone

from participation.models import Council
from participation.quarters import Quarter, current_quarter
from participation.strategy.models import (
    Action,
    EvidenceLink,
    Status,
    StatusUpdate,
    Strategy,
)
from participation.tenancy import get_for_council

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
