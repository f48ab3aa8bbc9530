import re
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from participation.models import Council, Membership, User
from participation.services import audit
from participation.strategy.imports import person_key, placeholder_title
from participation.strategy.models import (
    Action,
    Objective,
    Strategy,
)
from participation.strategy.services.actions import _check_action, _record_status, _set_also_serves
from participation.strategy.services.objectives import _check_objective

# -- Import ------------------------------------------------------------------------------------


EARLIEST_AS_AT = date(2000, 1, 1)


def members_by_name(*, council: Council) -> dict[str, Membership]:
    members = {}
    for membership in Membership.objects.filter(council=council, is_active=True).select_related(
        "user"
    ):
        key = person_key(membership.user.full_name)
        if key:
            members.setdefault(key, membership)
    return members


def check_as_at(as_at: date, *, today: date) -> None:
    if as_at > today:
        raise ValidationError(
            {"as_at": "The statuses cannot be from a date in the future. Enter today or earlier."}
        )
    if as_at < EARLIEST_AS_AT:
        raise ValidationError(
            {"as_at": "Enter a date from 1 January 2000 onwards for when the statuses were set."}
        )


@transaction.atomic
def plan_import(
    *, strategy: Strategy, actor: User, rows: list, as_at: date | None = None
) -> list[Action]:
    """Create every row's action, or none: any failure rolls the whole import back.

    Priorities are matched to the strategy's objectives by code and created when new. An owner
    whose name (before any comma) is an active member's becomes that member; anyone else is kept
    as a named partner. The statuses are recorded as set on `as_at` (an old report's plan carries
    the statuses it had then), so quarter-end figures show the plan from that date.
    """
    council = strategy.council
    today = timezone.localdate()
    as_at = as_at or today
    check_as_at(as_at, today=today)
    at = (
        timezone.now() if as_at == today else timezone.make_aware(datetime.combine(as_at, time(12)))
    )
    objectives = {
        objective.code.upper(): objective
        for objective in Objective.objects.filter(council=council, strategy=strategy)
    }
    members = members_by_name(council=council)
    created = []
    for row in rows:
        serves = []
        for position, code in enumerate(row.objective_codes):
            objective = objectives.get(code.upper())
            if objective is None:
                number = re.sub(r"\D", "", code)
                objective = Objective(
                    council=council,
                    strategy=strategy,
                    code=code,
                    title=(row.objective_title if position == 0 else "") or placeholder_title(code),
                    order=int(number) if number else len(objectives) + 1,
                )
                try:
                    _check_objective(objective)
                except ValidationError as error:
                    message = "; ".join(error.messages)
                    raise ValidationError(f"Row {row.line}: {message}") from error
                objective.save()
                objectives[code.upper()] = objective
            serves.append(objective)
        objective = serves[0]
        # "Leah Barton, Leaving Care Manager": the name is before the comma; all is kept.
        name = row.owner.partition(",")[0]
        owner = members.get(person_key(name)) if name.strip() else None
        action = Action(
            council=council,
            objective=objective,
            title=row.title,
            desired_outcome=row.desired_outcome,
            success_criteria=row.success_criteria,
            owner=owner,
            owner_name="" if owner else row.owner,
            team=row.team,
            start_date=row.start_date,
            due_date=row.due_date,
        )
        try:
            _check_action(action)
        except ValidationError as error:
            raise ValidationError(f"Row {row.line}: {'; '.join(error.messages)}") from error
        action.save()
        _set_also_serves(action, serves[1:])
        _record_status(
            action=action, actor=actor, status=row.status, commentary=row.commentary, at=at
        )
        created.append(action)
    audit(
        council=council,
        actor=actor,
        verb="imported action plan",
        subject=strategy,
        detail=f"{len(created)} actions, statuses as at {as_at:%d %b %Y}",
    )
    return created


@transaction.atomic
def unmatched_owner_link(
    *, council: Council, actor: User, owner_name: str, membership: Membership
) -> int:
    """Make a member the owner of every action whose owner is written as `owner_name`."""
    if membership.council_id != council.pk or not membership.is_active:
        raise ValidationError({"membership": "Choose a person who is a member of this council."})
    key = person_key(owner_name)
    if not key:
        raise ValidationError({"owner_name": "Choose an owner's name from the list."})
    ids = [
        action.pk
        for action in Action.objects.filter(council=council, owner__isnull=True).exclude(
            owner_name=""
        )
        if person_key(action.owner_name) == key
    ]
    if not ids:
        raise ValidationError({"owner_name": "No action has this owner's name any more."})
    Action.objects.filter(council=council, pk__in=ids).update(
        owner=membership, owner_name="", owner_organisation="", updated_at=timezone.now()
    )
    audit(
        council=council,
        actor=actor,
        verb="linked actions to their owner",
        subject=membership,
        detail=f"{len(ids)} actions",
    )
    return len(ids)
