STRATEGY_FIELDS = ("title", "period_start", "period_end", "vision", "state")
OBJECTIVE_FIELDS = ("code", "title", "description", "order")
ACTION_FIELDS = (
    "objective",
    "title",
    "desired_outcome",
    "success_criteria",
    "owner",
    "owner_name",
    "owner_organisation",
    "team",
    "start_date",
    "due_date",
    "child_measure",
)


def _only(fields: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")


def _strip_text(fields: dict) -> dict:
    return {
        key: value.strip() if isinstance(value, str) else value for key, value in fields.items()
    }
