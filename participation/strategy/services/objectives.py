from django.core.exceptions import ValidationError
from django.db import transaction

from participation.models import User
from participation.services import audit
from participation.strategy.models import (
    Objective,
    Strategy,
)
from participation.strategy.services.common import OBJECTIVE_FIELDS, _only, _strip_text

# -- Objectives --------------------------------------------------------------------------------


def _check_objective(objective: Objective) -> None:
    errors = {}
    if not objective.code:
        errors["code"] = 'Enter a short code for the objective, such as "SP1".'
    if not objective.title:
        errors["title"] = "Enter the objective's title."
    elif (
        Objective.objects.filter(
            council=objective.council, strategy=objective.strategy, code__iexact=objective.code
        )
        .exclude(pk=objective.pk)
        .exists()
    ):
        errors["code"] = f"This strategy already has an objective with the code {objective.code}."
    if errors:
        raise ValidationError(errors)
    objective.full_clean(validate_unique=False)


@transaction.atomic
def objective_create(*, strategy: Strategy, actor: User, **fields) -> Objective:
    _only(fields, OBJECTIVE_FIELDS)
    objective = Objective(council=strategy.council, strategy=strategy, **_strip_text(fields))
    _check_objective(objective)
    objective.save()
    audit(council=strategy.council, actor=actor, verb="created objective", subject=objective)
    return objective


@transaction.atomic
def objective_update(*, objective: Objective, actor: User, **fields) -> Objective:
    _only(fields, OBJECTIVE_FIELDS)
    for key, value in _strip_text(fields).items():
        setattr(objective, key, value)
    _check_objective(objective)
    objective.save()
    audit(council=objective.council, actor=actor, verb="changed objective", subject=objective)
    return objective
