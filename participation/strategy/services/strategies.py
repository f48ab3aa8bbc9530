from django.core.exceptions import ValidationError
from django.db import transaction

from participation.models import Council, User
from participation.services import audit
from participation.strategy.models import (
    Strategy,
)
from participation.strategy.services.common import STRATEGY_FIELDS, _only, _strip_text

# -- Strategies --------------------------------------------------------------------------------


def _check_strategy(strategy: Strategy) -> None:
    errors = {}
    if not strategy.title:
        errors["title"] = "Enter the strategy's title."
    if (
        strategy.period_start
        and strategy.period_end
        and strategy.period_end < strategy.period_start
    ):
        errors["period_end"] = "The end date must be the same as or after the start date."
    if errors:
        raise ValidationError(errors)
    strategy.full_clean()


@transaction.atomic
def strategy_create(*, council: Council, actor: User, **fields) -> Strategy:
    _only(fields, STRATEGY_FIELDS)
    strategy = Strategy(council=council, **_strip_text(fields))
    _check_strategy(strategy)
    strategy.save()
    audit(council=council, actor=actor, verb="created strategy", subject=strategy)
    return strategy


@transaction.atomic
def strategy_update(*, strategy: Strategy, actor: User, **fields) -> Strategy:
    _only(fields, STRATEGY_FIELDS)
    for key, value in _strip_text(fields).items():
        setattr(strategy, key, value)
    _check_strategy(strategy)
    strategy.save()
    audit(council=strategy.council, actor=actor, verb="changed strategy", subject=strategy)
    return strategy


@transaction.atomic
def strategy_set_archived(*, strategy: Strategy, actor: User, archived: bool) -> Strategy:
    target = Strategy.State.ARCHIVED if archived else Strategy.State.ACTIVE
    if strategy.state != target:
        strategy.state = target
        strategy.save(update_fields=["state", "updated_at"])
        audit(
            council=strategy.council,
            actor=actor,
            verb="archived strategy" if archived else "restored strategy",
            subject=strategy,
        )
    return strategy
