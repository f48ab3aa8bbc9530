from django.core.exceptions import ValidationError
from django.db import transaction

from forums.models import (
    Forum,
    ForumAdult,
    ForumMember,
)
from forums.services.members import _board_for, _check_member_dates
from participation.models import Membership, User
from participation.services import audit

# Adults on a forum ---------------------------------------------------------------------------


@transaction.atomic
def forum_adult_add(
    *,
    forum: Forum,
    actor: User,
    joined_on,
    role: str = ForumMember.Role.MEMBER,
    board: str = "",
    user: User | None = None,
    name: str = "",
    organisation: str = "",
) -> ForumAdult:
    """A member of staff (a Heard user) or a worker from outside, like an advocacy service."""
    board = _board_for(role=role, board=board)
    name, organisation = " ".join(name.split()), " ".join(organisation.split())
    if user is None and not name:
        raise ValidationError(
            {"user": "Choose a member of staff, or enter the name of someone from outside."}
        )
    if user is not None and name:
        raise ValidationError({"name": "Choose a member of staff or enter a name, not both."})
    if (
        user is not None
        and not Membership.objects.filter(council=forum.council, user=user, is_active=True).exists()
    ):
        raise ValidationError({"user": "Choose a member of staff of this council."})
    if forum.is_archived:
        raise ValidationError("This forum is archived. Restore it before adding members.")
    _check_member_dates(joined_on=joined_on)
    adult = ForumAdult(
        council=forum.council,
        forum=forum,
        user=user,
        name=name,
        organisation=organisation,
        role=role,
        board=board,
        joined_on=joined_on,
    )
    adult.full_clean()
    adult.save()
    audit(council=forum.council, actor=actor, verb="added adult to forum", subject=adult)
    return adult


@transaction.atomic
def forum_adult_leave(*, adult: ForumAdult, actor: User, left_on) -> ForumAdult:
    if adult.left_on is not None:
        raise ValidationError("They have already left the forum.")
    _check_member_dates(joined_on=adult.joined_on, left_on=left_on)
    adult.left_on = left_on
    adult.save(update_fields=["left_on"])
    audit(council=adult.council, actor=actor, verb="recorded adult left forum", subject=adult)
    return adult
