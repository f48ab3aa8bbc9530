"""Reads for strategies and action plans. Every function takes the council explicitly."""

from participation.strategy.selectors.actions import (  # noqa: F401
    ActionFilters,
    _int,
    _text,
    action_history,
    action_list,
    filters_from,
    indicators_with_values,
    owner_choices,
    team_choices,
    with_last_commentary,
)
from participation.strategy.selectors.common import (  # noqa: F401
    _end_of,
    _rank,
    existed_by,
    last_quarter,
    overdue_q,
    shown_status_expression,
    status_of,
    status_on_expression,
    with_moves,
    with_status_on,
)
from participation.strategy.selectors.dashboard import (  # noqa: F401
    dashboard,
)
from participation.strategy.selectors.plan_at import (  # noqa: F401
    plan_at,
    unmatched_owners,
)
from participation.strategy.selectors.reminders import (  # noqa: F401
    REMIND_DAYS_BEFORE,
    access_evidence,
    action_evidence,
    actions_needing_update,
    attachable_actions,
    evidence_for_record,
    reminder_quarter,
)
from participation.strategy.selectors.strategies import (  # noqa: F401
    access_action,
    access_indicator,
    access_objective,
    access_strategy,
    objectives_with_counts,
    strategy_history,
    strategy_list,
)
