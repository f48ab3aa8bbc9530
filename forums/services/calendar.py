from django.db import transaction
from django.utils import timezone

from forums.models import (
    CalendarLink,
    Forum,
)
from participation.models import User
from participation.services import audit

# Calendar links ------------------------------------------------------------------------------


@transaction.atomic
def calendar_link_create(*, forum: Forum, user: User) -> CalendarLink:
    """A new secret link for this person; any earlier one stops working."""
    now = timezone.now()
    CalendarLink.objects.filter(
        council=forum.council, forum=forum, user=user, revoked_at__isnull=True
    ).update(revoked_at=now)
    link = CalendarLink.objects.create(council=forum.council, forum=forum, user=user)
    audit(council=forum.council, actor=user, verb="made calendar link", subject=forum)
    return link


@transaction.atomic
def calendar_link_revoke(*, forum: Forum, user: User) -> int:
    revoked = CalendarLink.objects.filter(
        council=forum.council, forum=forum, user=user, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if revoked:
        audit(council=forum.council, actor=user, verb="revoked calendar link", subject=forum)
    return revoked
