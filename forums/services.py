from django.core.exceptions import ValidationError
from django.db import transaction

from forums.models import Forum
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
