from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from forums.models import Ask, Forum, Meeting
from forums.selectors.asks import asks_answered, asks_raised
from forums.selectors.consultations import consultation_counts
from forums.selectors.meetings import attendance_rate_between, meetings_held, rate
from participation.models import Council

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


# The quarterly report's forum figures ----------------------------------------------------------


def blank_period_figures() -> dict:
    from forums.models import ConsultationRequest as CR

    return {
        "meetings_held": 0,
        "present": 0,
        "recorded": 0,
        "members_marked": 0,
        "attendance_rate": None,
        "asks_raised": 0,
        "asks_answered": {"answered": 0, "partly_done": 0, "not_possible": 0, "total": 0},
        "consultations": {"requested": 0, **{value: 0 for value in CR.Status.values}},
    }


def period_figures_by_forum(*, council: Council, start: date, end: date) -> dict:
    """Every forum's meetings held, attendance, asks raised and answered and consultation
    requests in the period (inclusive), and the council's total, from one grouped query per
    measure: the report's cost does not grow with the number of forums. The same counting as
    `meetings_held`, `attendance_rate_between`, `members_marked_between`, `asks_raised`,
    `asks_answered` and `consultation_counts`. Returns {"by_forum": {forum_id: figures},
    "total": figures}; the total counts every forum, archived ones included."""
    from forums.models import Attendance
    from forums.models import ConsultationRequest as CR

    by_forum: dict = {}

    def row(forum_id):
        return by_forum.setdefault(forum_id, blank_period_figures())

    today = timezone.localdate()
    meetings = Meeting.objects.filter(council=council, date__gte=start, date__lte=min(end, today))
    for item in meetings.values("forum").annotate(n=Count("pk")).order_by():
        row(item["forum"])["meetings_held"] = item["n"]
    attendance = Attendance.objects.filter(
        council=council, is_member=True, meeting__date__gte=start, meeting__date__lte=end
    )
    for item in (
        attendance.values("meeting__forum")
        .annotate(
            present=Count("pk", filter=Q(status=Attendance.Status.PRESENT)),
            recorded=Count("pk"),
            marked=Count("young_person", distinct=True),
        )
        .order_by()
    ):
        figures = row(item["meeting__forum"])
        figures.update(
            present=item["present"], recorded=item["recorded"], members_marked=item["marked"]
        )
    raised = Ask.objects.filter(council=council, raised_on__gte=start, raised_on__lte=end)
    for item in raised.values("forum").annotate(n=Count("pk")).order_by():
        row(item["forum"])["asks_raised"] = item["n"]
    answered = Ask.objects.filter(
        council=council, answered_on__gte=start, answered_on__lte=end
    ).exclude(status=Ask.Status.OPEN)
    for item in (
        answered.values("forum")
        .annotate(
            answered=Count("pk", filter=Q(status=Ask.Status.ANSWERED)),
            partly_done=Count("pk", filter=Q(status=Ask.Status.PARTLY_DONE)),
            not_possible=Count("pk", filter=Q(status=Ask.Status.NOT_POSSIBLE)),
        )
        .order_by()
    ):
        counts = {key: item[key] for key in ("answered", "partly_done", "not_possible")}
        row(item["forum"])["asks_answered"] = {**counts, "total": sum(counts.values())}
    requests = CR.objects.filter(
        council=council, created_at__date__gte=start, created_at__date__lte=end
    )
    for item in (
        requests.values("forum")
        .annotate(
            requested=Count("pk"),
            **{value: Count("pk", filter=Q(status=value)) for value in CR.Status.values},
        )
        .order_by()
    ):
        row(item["forum"])["consultations"] = {
            key: item[key] for key in ("requested", *CR.Status.values)
        }

    total = blank_period_figures()
    for figures in by_forum.values():
        for key in ("meetings_held", "present", "recorded", "asks_raised"):
            total[key] += figures[key]
        for key in ("asks_answered", "consultations"):
            for name, n in figures[key].items():
                total[key][name] += n
    # Different members across forums: one child in two forums is one member marked.
    total["members_marked"] = attendance.values("young_person").distinct().count()
    by_forum.pop(None, None)
    for figures in (*by_forum.values(), total):
        figures["attendance_rate"] = rate(figures["present"], figures["recorded"])
    return {"by_forum": by_forum, "total": total}
