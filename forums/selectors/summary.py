from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from forums.models import Ask, Forum, Meeting
from forums.selectors.asks import asks_answered, asks_raised
from forums.selectors.consultations import consultation_counts
from forums.selectors.meetings import attendance_rate_between, meetings_held

# The annual summary -------------------------------------------------------------------------


def summary_year(*, year: int | None, today: date | None = None) -> tuple[date, date]:
    """A council's year, April to March (the year children's services report by)."""
    today = today or timezone.localdate()
    if year is None:
        year = today.year if today.month >= 4 else today.year - 1
    return date(year, 4, 1), date(year + 1, 3, 31)


def annual_summary(*, forum: Forum, start: date, end: date) -> dict:
    """One forum's year from the same counts the quarterly report uses."""
    council = forum.council
    you_said = (
        Ask.objects.filter(
            council=council,
            forum=forum,
            you_said_entry__isnull=False,
            answered_on__gte=start,
            answered_on__lte=end,
        )
        .select_related("you_said_entry")
        .order_by("answered_on", "pk")
    )
    return {
        "start": start,
        "end": end,
        "meetings_held": meetings_held(council=council, start=start, end=end, forum=forum),
        "attendance_rate": attendance_rate_between(
            council=council, start=start, end=end, forum=forum
        ),
        "asks_raised": asks_raised(council=council, start=start, end=end, forum=forum),
        "asks_answered": asks_answered(council=council, start=start, end=end, forum=forum),
        "consultations": consultation_counts(council=council, start=start, end=end, forum=forum),
        "meetings": list(
            Meeting.objects.filter(
                council=council,
                forum=forum,
                date__gte=start,
                date__lte=min(end, timezone.localdate()),
            )
            .annotate(present_count=Count("attendance", filter=Q(attendance__status="present")))
            .order_by("date", "pk")
        ),
        "you_said": [ask.you_said_entry for ask in you_said],
    }
