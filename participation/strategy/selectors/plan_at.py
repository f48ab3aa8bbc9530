from datetime import date

from django.db.models import (
    CharField,
    OuterRef,
    Subquery,
)

from participation.models import Council
from participation.strategy.imports import person_key
from participation.strategy.models import (
    Action,
    StatusUpdate,
    Strategy,
)
from participation.strategy.selectors.common import _end_of, existed_by, with_status_on

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
