from datetime import date, timedelta

from django.utils import timezone

from forums.models import Forum, Meeting
from forums.selectors.meetings import RATE_WINDOW_DAYS
from participation.models import Membership

# Calendar feed ------------------------------------------------------------------------------


def live_calendar_link(*, forum: Forum, user):
    from forums.models import CalendarLink

    return CalendarLink.objects.filter(
        council=forum.council_id, forum=forum, user=user, revoked_at__isnull=True
    ).first()


def calendar_by_token(*, token: str):
    """The live link for a token, while its person is still an active member of the council."""
    from forums.models import CalendarLink

    link = (
        CalendarLink.objects.filter(
            token=token, revoked_at__isnull=True, council__is_active=True, user__is_active=True
        )
        .select_related("forum")
        .first()
    )
    if link is None:
        return None
    member = Membership.objects.filter(
        council=link.council_id, user=link.user_id, is_active=True
    ).exists()
    return link if member else None


def calendar_meetings(*, forum: Forum, today: date | None = None):
    today = today or timezone.localdate()
    return Meeting.objects.filter(
        council=forum.council_id, forum=forum, date__gte=today - timedelta(days=RATE_WINDOW_DAYS)
    ).order_by("date", "starts_at", "pk")
