"""Writes to strategies, objectives, actions, their status history, evidence and indicators."""

from participation.strategy.services.actions import (  # noqa: F401
    _check_action,
    _record_status,
    _set_also_serves,
    action_create,
    action_set_archived,
    action_update,
    action_update_status,
    evidence_add,
    evidence_remove,
    may_update_status,
)
from participation.strategy.services.common import (  # noqa: F401
    ACTION_FIELDS,
    OBJECTIVE_FIELDS,
    STRATEGY_FIELDS,
    _only,
    _strip_text,
)
from participation.strategy.services.imports import (  # noqa: F401
    EARLIEST_AS_AT,
    check_as_at,
    members_by_name,
    plan_import,
    unmatched_owner_link,
)
from participation.strategy.services.indicators import (  # noqa: F401
    indicator_create,
    indicator_record,
)
from participation.strategy.services.objectives import (  # noqa: F401
    _check_objective,
    objective_create,
    objective_update,
)
from participation.strategy.services.reminders import (  # noqa: F401
    owner_reminder_send,
)
from participation.strategy.services.strategies import (  # noqa: F401
    _check_strategy,
    strategy_create,
    strategy_set_archived,
    strategy_update,
)
