from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from forums.models import Forum, ForumMember
from participation.activities.models import YoungPerson
from participation.models import Council, User
from participation.services import audit

EDITABLE = ("name", "audience", "meets", "purpose", "terms_of_reference")


def _check_name_free(*, council: Council, name: str, forum: Forum | None = None) -> None:
    clash = Forum.objects.filter(council=council, name__iexact=name)
    if forum is not None:
        clash = clash.exclude(pk=forum.pk)
    if clash.exists():
        raise ValidationError({"name": "This council already has a forum with this name."})


@transaction.atomic
def forum_create(
    *,
    council: Council,
    actor: User,
    name: str,
    audience: str,
    meets: str,
    purpose: str = "",
    terms_of_reference: str = "",
) -> Forum:
    name = name.strip()
    _check_name_free(council=council, name=name)
    forum = Forum(
        council=council,
        name=name,
        audience=audience,
        meets=meets,
        purpose=purpose,
        terms_of_reference=terms_of_reference,
    )
    forum.full_clean()
    forum.save()
    audit(council=council, actor=actor, verb="created forum", subject=forum)
    return forum


@transaction.atomic
def forum_update(*, forum: Forum, actor: User, **fields) -> Forum:
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    if "name" in fields:
        fields["name"] = fields["name"].strip()
        _check_name_free(council=forum.council, name=fields["name"], forum=forum)
    for key, value in fields.items():
        setattr(forum, key, value)
    forum.full_clean()
    forum.save()
    audit(council=forum.council, actor=actor, verb="changed forum", subject=forum)
    return forum


@transaction.atomic
def forum_set_archived(*, forum: Forum, actor: User, archived: bool) -> Forum:
    if forum.is_archived != archived:
        forum.is_archived = archived
        forum.save(update_fields=["is_archived", "updated_at"])
        audit(
            council=forum.council,
            actor=actor,
            verb="archived forum" if archived else "restored forum",
            subject=forum,
        )
    return forum


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
) -> ForumMember:
    council = forum.council
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
        council=council, forum=forum, young_person=young_person, role=role, joined_on=joined_on
    )
    member.full_clean()
    member.save()
    audit(council=council, actor=actor, verb="added forum member", subject=member)
    return member


@transaction.atomic
def forum_member_change_role(*, member: ForumMember, actor: User, role: str) -> ForumMember:
    if member.left_on is not None:
        raise ValidationError("This young person has left the forum, so their role cannot change.")
    if role not in ForumMember.Role.values:
        raise ValidationError({"role": "Choose a role."})
    if member.role != role:
        member.role = role
        member.save(update_fields=["role", "updated_at"])
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
