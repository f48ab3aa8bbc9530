from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from forums.models import (
    DEFAULT_BOARD,
    Attendance,
    Forum,
    ForumMember,
)
from participation.activities.models import (
    YoungPerson,
)
from participation.models import User
from participation.services import audit

# Members -------------------------------------------------------------------------------------


def _check_member_dates(*, joined_on, left_on=None) -> None:
    today = timezone.localdate()
    if joined_on > today:
        raise ValidationError({"joined_on": "The date they joined must be today or in the past."})
    if left_on is not None:
        if left_on > today:
            raise ValidationError({"left_on": "The date they left must be today or in the past."})
        if left_on < joined_on:
            raise ValidationError(
                {
                    "left_on": "The date they left must be the same as or after the date they "
                    f"joined ({joined_on:%-d %B %Y})."
                }
            )


@transaction.atomic
def forum_member_add(
    *,
    forum: Forum,
    actor: User,
    young_person: YoungPerson,
    role: str,
    joined_on,
    board: str = "",
) -> ForumMember:
    council = forum.council
    board = _board_for(role=role, board=board)
    if young_person.council_id != council.pk:
        raise ValidationError(
            {
                "young_person": "This young person is not recorded in this council. "
                "Choose someone from this council's young people."
            }
        )
    if forum.is_archived:
        raise ValidationError("This forum is archived. Restore it before adding members.")
    _check_member_dates(joined_on=joined_on)
    if ForumMember.objects.filter(
        council=council, forum=forum, young_person=young_person, left_on__isnull=True
    ).exists():
        raise ValidationError(
            {"young_person": "This young person is already a member of this forum."}
        )
    member = ForumMember(
        council=council,
        forum=forum,
        young_person=young_person,
        role=role,
        board=board,
        joined_on=joined_on,
    )
    member.full_clean()
    member.save()
    # Meetings they came to as a visitor from the day they joined were meetings of a member:
    # the attendance sheet expects them there now, and counts them as a member's attendance.
    Attendance.objects.filter(
        council=council,
        meeting__forum=forum,
        meeting__date__gte=joined_on,
        young_person=young_person,
        is_member=False,
    ).update(is_member=True)
    audit(council=council, actor=actor, verb="added forum member", subject=member)
    return member


def _board_for(*, role: str, board: str) -> str:
    """A representative sits on a named board (the Corporate Parenting Board unless told)."""
    if role not in ForumMember.Role.values:
        raise ValidationError({"role": "Choose a role."})
    if role != ForumMember.Role.REPRESENTATIVE:
        return ""
    return " ".join(board.split())[:120] or DEFAULT_BOARD


@transaction.atomic
def forum_member_change_role(
    *, member: ForumMember, actor: User, role: str, board: str = ""
) -> ForumMember:
    if member.left_on is not None:
        raise ValidationError("This young person has left the forum, so their role cannot change.")
    board = _board_for(role=role, board=board)
    if (member.role, member.board) != (role, board):
        member.role = role
        member.board = board
        member.save(update_fields=["role", "board", "updated_at"])
        audit(council=member.council, actor=actor, verb="changed forum role", subject=member)
    return member


@transaction.atomic
def forum_member_leave(*, member: ForumMember, actor: User, left_on) -> ForumMember:
    if member.left_on is not None:
        raise ValidationError("This young person has already left the forum.")
    _check_member_dates(joined_on=member.joined_on, left_on=left_on)
    member.left_on = left_on
    member.save(update_fields=["left_on", "updated_at"])
    audit(council=member.council, actor=actor, verb="recorded forum leaver", subject=member)
    return member
