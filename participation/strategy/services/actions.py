from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from participation.models import Council, Membership, User
from participation.services import audit
from participation.strategy.models import (
    Action,
    ActionPriority,
    EvidenceLink,
    Status,
    StatusUpdate,
)
from participation.strategy.services.common import ACTION_FIELDS, _only, _strip_text

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
