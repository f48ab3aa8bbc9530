from django.core.exceptions import ValidationError
from django.db import transaction

from forums.models import (
    Forum,
)
from participation.models import Council, User
from participation.services import audit

# Terms of reference change through terms_of_reference_add, which keeps each version.
EDITABLE = ("name", "audience", "meets", "purpose", "min_age", "max_age")


def _check_ages(forum: Forum) -> None:
    for field in ("min_age", "max_age"):
        age = getattr(forum, field)
        if age is not None and not 0 <= age <= 25:
            raise ValidationError({field: "Enter an age from 0 to 25."})
    if forum.min_age is not None and forum.max_age is not None and forum.min_age > forum.max_age:
        raise ValidationError(
            {"max_age": "The oldest age must be the same as or more than the youngest."}
        )


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
    min_age: int | None = None,
    max_age: int | None = None,
) -> Forum:
    name = name.strip()
    _check_name_free(council=council, name=name)
    forum = Forum(
        council=council,
        name=name,
        audience=audience,
        meets=meets,
        purpose=purpose,
        min_age=min_age,
        max_age=max_age,
    )
    _check_ages(forum)
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
    _check_ages(forum)
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
