from django.core.exceptions import ValidationError
from django.db import transaction

from forums.models import (
    Forum,
    WorkItem,
)
from participation.activities.services import FIRST_YEAR, local_today
from participation.models import User
from participation.services import audit

# Work programme ------------------------------------------------------------------------------

WORK_FIELDS = ("title", "description", "starts_on", "due_on", "status", "objective")


def _check_work(item: WorkItem) -> None:
    errors = {}
    item.title = " ".join(item.title.split())
    if not item.title:
        errors["title"] = "Enter what the forum will work on."
    if item.starts_on and item.due_on and item.due_on < item.starts_on:
        errors["due_on"] = "The finish date must be the same as or after the start date."
    for field in ("starts_on", "due_on"):
        day = getattr(item, field)
        if day and not FIRST_YEAR <= day.year <= local_today().year + 5:
            errors[field] = f"Check the year: enter a date between {FIRST_YEAR} and " + str(
                local_today().year + 5
            )
    if item.status not in WorkItem.Status.values:
        errors["status"] = "Choose a status."
    if item.objective_id and item.objective.council_id != item.council_id:
        errors["objective"] = "Choose an objective from this council's strategies."
    if errors:
        raise ValidationError(errors)
    item.full_clean()


@transaction.atomic
def work_item_create(*, forum: Forum, actor: User, **fields) -> WorkItem:
    unknown = set(fields) - set(WORK_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    item = WorkItem(council=forum.council, forum=forum, **fields)
    _check_work(item)
    item.save()
    audit(council=forum.council, actor=actor, verb="added work programme item", subject=item)
    return item


@transaction.atomic
def work_item_update(*, item: WorkItem, actor: User, **fields) -> WorkItem:
    unknown = set(fields) - set(WORK_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    for key, value in fields.items():
        setattr(item, key, value)
    _check_work(item)
    item.save()
    audit(council=item.council, actor=actor, verb="changed work programme item", subject=item)
    return item
