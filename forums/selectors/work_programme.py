from django.db.models import F

from forums.models import Forum
from participation.models import Council
from participation.tenancy import get_for_council

# Work programme -----------------------------------------------------------------------------


def forum_work(*, forum: Forum):
    from forums.models import WorkItem

    return (
        WorkItem.objects.filter(council=forum.council_id, forum=forum)
        .select_related("objective")
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )


def access_work_item(*, forum: Forum, pk):
    from forums.models import WorkItem

    return get_for_council(
        WorkItem.objects.filter(council_id=forum.council_id, forum=forum).select_related(
            "objective"
        ),
        council=forum.council,
        pk=pk,
    )


def work_for_objective(*, objective):
    """The forum work that serves a strategy objective, for the objective's page."""
    from forums.models import WorkItem

    return (
        WorkItem.objects.filter(council=objective.council_id, objective=objective)
        .select_related("forum")
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )


def objective_choices(*, council: Council):
    from participation.strategy.models import Objective

    return (
        Objective.objects.filter(council=council)
        .exclude(strategy__state="archived")
        .select_related("strategy")
        .order_by("strategy__title", "order", "code")
    )
