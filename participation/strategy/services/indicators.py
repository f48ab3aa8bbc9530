from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from participation.models import User
from participation.quarters import Quarter
from participation.services import audit
from participation.strategy.models import (
    Indicator,
    IndicatorValue,
    Objective,
    Strategy,
)

# -- Indicators and settings -------------------------------------------------------------------


@transaction.atomic
def indicator_create(
    *,
    strategy: Strategy,
    actor: User,
    title: str,
    unit: str,
    target: Decimal,
    objective: Objective | None = None,
    higher_is_better: bool = True,
) -> Indicator:
    if objective is not None and objective.strategy_id != strategy.pk:
        raise ValidationError({"objective": "Choose an objective from this strategy."})
    indicator = Indicator(
        council=strategy.council,
        strategy=strategy,
        objective=objective,
        title=title.strip(),
        unit=unit.strip(),
        target=target,
        higher_is_better=higher_is_better,
    )
    if not indicator.title:
        raise ValidationError({"title": "Enter what the indicator measures."})
    indicator.full_clean()
    indicator.save()
    audit(council=strategy.council, actor=actor, verb="created indicator", subject=indicator)
    return indicator


@transaction.atomic
def indicator_record(
    *, indicator: Indicator, actor: User, quarter_end: date, value: Decimal
) -> IndicatorValue:
    """Record (or correct) the indicator's value at a quarter's end."""
    quarter = Quarter.containing(quarter_end, year_starts=indicator.council.year_starts)
    if quarter.end != quarter_end:
        raise ValidationError(
            {"quarter_end": "Choose the last day of one of the council's quarters."}
        )
    recorded, _ = IndicatorValue.objects.update_or_create(
        council=indicator.council,
        indicator=indicator,
        quarter_end=quarter_end,
        defaults={"value": value, "recorded_by": actor, "recorded_at": timezone.now()},
    )
    audit(
        council=indicator.council, actor=actor, verb="recorded indicator value", subject=indicator
    )
    return recorded
