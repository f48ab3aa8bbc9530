"""Writes to strategies, objectives, actions, their status history, evidence and indicators."""

import re
from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from participation.models import Council, Membership, User
from participation.quarters import Quarter
from participation.services import audit
from participation.strategy.imports import person_key, placeholder_title
from participation.strategy.models import (
    Action,
    ActionPriority,
    EvidenceLink,
    Indicator,
    IndicatorValue,
    Objective,
    Status,
    StatusReminder,
    StatusUpdate,
    Strategy,
)

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


# -- Actions -----------------------------------------------------------------------------------


def _check_action(action: Action, *, needs_owner: bool = False) -> None:
    """`needs_owner`: someone answers for an action made or edited in the app (a member, or a
    partner named by hand); an imported plan may arrive without one, kept as it came."""
    errors = {}
    if not action.title:
        errors["title"] = "Enter what the action is."
    if action.objective_id and action.objective.council_id != action.council_id:
        errors["objective"] = "Choose an objective from this council's strategy."
    if action.owner_id and (
        action.owner.council_id != action.council_id or not action.owner.is_active
    ):
        errors["owner"] = "Choose an owner who is a member of this council."
    elif needs_owner and not action.owner_id and not action.owner_name.strip():
        errors["owner"] = "Choose the owner, or enter the name of a partner who owns it."
    if action.due_date is None:
        errors["due_date"] = "Enter the date the action is due to be completed."
    elif action.start_date and action.due_date < action.start_date:
        errors["due_date"] = "The due date must be the same as or after the start date."
    if errors:
        raise ValidationError(errors)
    action.full_clean()


def _record_status(*, action: Action, actor: User | None, status: str, commentary: str, at=None):
    at = at or timezone.now()
    StatusUpdate.objects.create(
        council=action.council,
        action=action,
        status=status,
        commentary=commentary,
        author=actor,
        at=at,
    )
    action.status = status
    action.status_changed_at = at
    action.save(update_fields=["status", "status_changed_at", "updated_at"])


def _set_also_serves(action: Action, objectives) -> None:
    """The other priorities an action serves: the same strategy's, never its own objective."""
    chosen = {objective.pk: objective for objective in objectives or []}
    chosen.pop(action.objective_id, None)
    for objective in chosen.values():
        if (
            objective.council_id != action.council_id
            or objective.strategy_id != action.objective.strategy_id
        ):
            raise ValidationError(
                {"also_serves": "Choose other priorities from the same strategy."}
            )
    ActionPriority.objects.filter(council=action.council, action=action).exclude(
        objective_id__in=chosen
    ).delete()
    have = set(
        ActionPriority.objects.filter(council=action.council, action=action).values_list(
            "objective_id", flat=True
        )
    )
    ActionPriority.objects.bulk_create(
        ActionPriority(council=action.council, action=action, objective=objective)
        for pk, objective in chosen.items()
        if pk not in have
    )


@transaction.atomic
def action_create(
    *,
    council: Council,
    actor: User,
    status: str = Status.NOT_STARTED,
    commentary: str = "",
    also_serves=None,
    **fields,
) -> Action:
    _only(fields, ACTION_FIELDS)
    if status not in Status.values:
        raise ValidationError({"status": "Choose a status from the key."})
    action = Action(council=council, **_strip_text(fields))
    _check_action(action, needs_owner=True)
    action.save()
    _set_also_serves(action, also_serves)
    _record_status(action=action, actor=actor, status=status, commentary=commentary.strip())
    audit(council=council, actor=actor, verb="created action", subject=action)
    return action


@transaction.atomic
def action_update(*, action: Action, actor: User, also_serves=None, **fields) -> Action:
    _only(fields, ACTION_FIELDS)
    for key, value in _strip_text(fields).items():
        setattr(action, key, value)
    _check_action(action, needs_owner=True)
    action.save()
    if also_serves is not None:
        _set_also_serves(action, also_serves)
    audit(council=action.council, actor=actor, verb="changed action", subject=action)
    return action


def may_update_status(*, membership: Membership, action: Action) -> bool:
    """Officers, admins and managers may; so may the action's owner, whatever their role."""
    return membership.can("actions.update") or (
        membership.is_active and action.owner_id == membership.pk
    )


@transaction.atomic
def action_update_status(
    *, action: Action, membership: Membership, status: str, commentary: str = ""
) -> StatusUpdate:
    if not may_update_status(membership=membership, action=action):
        raise ValidationError("Only the action's owner, a manager or an officer can update it.")
    if status not in Status.values:
        raise ValidationError({"status": "Choose a status from the key."})
    commentary = commentary.strip()
    if status == action.status and not commentary:
        message = "The status has not changed. Add a comment on progress or choose a new status."
        raise ValidationError({"commentary": message})
    _record_status(action=action, actor=membership.user, status=status, commentary=commentary)
    audit(
        council=action.council,
        actor=membership.user,
        verb="updated action status",
        subject=action,
        detail=Status(status).label,
    )
    return action.updates.first()


@transaction.atomic
def action_set_archived(*, action: Action, actor: User, archived: bool) -> Action:
    if action.is_archived != archived:
        action.is_archived = archived
        action.save(update_fields=["is_archived", "updated_at"])
        audit(
            council=action.council,
            actor=actor,
            verb="archived action" if archived else "restored action",
            subject=action,
        )
    return action


@transaction.atomic
def evidence_add(
    *, action: Action, actor: User, description: str, url: str = "", record=None
) -> EvidenceLink:
    """Link evidence: a web address, or (for later features) any council-owned record."""
    description = description.strip()
    if not description:
        raise ValidationError({"description": "Say what the evidence is."})
    link = EvidenceLink(
        council=action.council, action=action, description=description, url=url.strip()
    )
    if record is not None:
        if getattr(record, "council_id", None) != action.council_id:
            raise ValidationError("Evidence must belong to the same council as the action.")
        link.record = record
        if EvidenceLink.objects.filter(
            council=action.council,
            action=action,
            content_type=link.content_type,
            object_id=link.object_id,
        ).exists():
            raise ValidationError({"action": "This is already evidence for that action."})
    elif not link.url:
        raise ValidationError({"url": "Enter the web address where the evidence is kept."})
    link.added_by = actor
    link.full_clean()
    link.save()
    audit(council=action.council, actor=actor, verb="added evidence", subject=action)
    return link


@transaction.atomic
def evidence_remove(*, link: EvidenceLink, actor: User) -> None:
    """Detach evidence from its action. The record itself (an activity, an entry) is kept."""
    action = link.action
    link.delete()
    audit(council=action.council, actor=actor, verb="removed evidence", subject=action)


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


# -- Reminders ---------------------------------------------------------------------------------


@transaction.atomic
def owner_reminder_send(*, membership: Membership, quarter_end: date) -> StatusReminder | None:
    """Email one owner the actions they have not updated this quarter, once per quarter.

    The record is written in the same transaction as the email is sent: if sending fails the
    record rolls back and the next run tries again; if it was already sent, nothing happens.
    """
    from django.conf import settings
    from django.core.mail import send_mail
    from django.db import IntegrityError
    from django.template.loader import render_to_string
    from django.urls import reverse

    from participation.strategy.selectors import actions_needing_update

    council = membership.council
    actions = [
        action
        for action in actions_needing_update(council=council, quarter_end=quarter_end)
        if action.owner_id == membership.pk
    ]
    if not actions:
        return None
    try:
        with transaction.atomic():
            reminder = StatusReminder.objects.create(
                council=council,
                membership=membership,
                quarter_end=quarter_end,
                action_count=len(actions),
            )
    except IntegrityError:
        return None  # already reminded about this quarter
    context = {
        "membership": membership,
        "council": council,
        "quarter_end": quarter_end,
        "quarter": Quarter.containing(quarter_end, year_starts=council.year_starts).short_label,
        "actions": [
            (action, settings.SITE_URL + reverse("action_detail", args=[council.slug, action.pk]))
            for action in actions
        ],
    }
    send_mail(
        subject=f"Action plan: please update {len(actions)} action"
        f"{'s' if len(actions) != 1 else ''} by {quarter_end.day} {quarter_end:%B}",
        message=render_to_string("strategy/email/status_reminder.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[membership.user.email],
    )
    return reminder
