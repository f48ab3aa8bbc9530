"""The strategy pages, one module per area; urls.py reads them from here."""

from participation.strategy.views.actions import (
    action_archive,
    action_create,
    action_detail,
    action_edit,
    action_list,
    action_status,
    evidence_add,
    evidence_remove,
)
from participation.strategy.views.dashboard import dashboard
from participation.strategy.views.strategies import (
    indicator_create,
    indicator_record,
    objective_create,
    objective_detail,
    objective_edit,
    strategy_archive,
    strategy_create,
    strategy_detail,
    strategy_edit,
    strategy_list,
)
from participation.strategy.views.transfer import (
    plan_export,
    plan_import,
    plan_import_columns,
    plan_import_confirm,
    plan_import_sample,
    unmatched_owners,
)

__all__ = [
    "action_archive",
    "action_create",
    "action_detail",
    "action_edit",
    "action_list",
    "action_status",
    "dashboard",
    "evidence_add",
    "evidence_remove",
    "indicator_create",
    "indicator_record",
    "objective_create",
    "objective_detail",
    "objective_edit",
    "plan_export",
    "plan_import",
    "plan_import_columns",
    "plan_import_confirm",
    "plan_import_sample",
    "unmatched_owners",
    "strategy_archive",
    "strategy_create",
    "strategy_detail",
    "strategy_edit",
    "strategy_list",
]
