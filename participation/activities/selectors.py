"""Reads for the participation log. The council (or membership) is always passed in."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from participation.activities import rollup
from participation.activities.models import (
    COHORTS,
    LUNDY,
    Activity,
    ActivityKind,
    ActivityServiceArea,
    AgeBand,
    CohortSize,
    LadderRung,
    Participation,
    ParticipationMonth,
    ParticipationType,
    ServiceArea,
    YoungPerson,
    age_band_on,
)
from participation.models import Council, Membership, User
from participation.quarters import Quarter, current_quarter
from participation.tenancy import get_for_council

SORTS = {
    "newest": ("-starts_on", "-id"),
    "oldest": ("starts_on", "id"),
    "title": ("title", "id"),
    "kind": ("kind__position", "kind__name", "-starts_on", "id"),
}
LUNDY_FILTERS = {
    "space": "lundy_space",
    "voice": "lundy_voice",
    "audience": "lundy_audience",
    "influence": "lundy_influence",
}
SMALL_NUMBER = 5


@dataclass(frozen=True)
class ActivityFilters:
    search: str = ""
    date_from: date | None = None
    date_to: date | None = None
    kind: ActivityKind | None = None
    service_area: ServiceArea | None = None
    lead_worker: User | None = None
    ladder_rung: int | None = None
    lundy: str = ""
    status: str = ""
    sort: str = "newest"

    @property
    def active(self) -> bool:
        return any(
            (
                self.search,
                self.date_from,
                self.date_to,
                self.kind,
                self.service_area,
                self.lead_worker,
                self.ladder_rung,
                self.lundy,
                self.status,
            )
        )


def kinds(*, council: Council, include=None) -> QuerySet[ActivityKind]:
    qs = ActivityKind.objects.filter(council=council)
    return qs.filter(Q(is_active=True) | Q(pk=getattr(include, "pk", None)))


def service_areas(*, council: Council, include=(), everything=False) -> QuerySet[ServiceArea]:
    """Areas in use, plus retired ones still on the activity being edited (`include`)."""
    qs = ServiceArea.objects.filter(council=council)
    if everything:
        return qs
    return qs.filter(Q(is_active=True) | Q(pk__in=[area.pk for area in include]))


def access_kind(*, council: Council, pk) -> ActivityKind:
    return get_for_council(ActivityKind.objects.all(), council=council, pk=pk)


def access_service_area(*, council: Council, pk) -> ServiceArea:
    return get_for_council(ServiceArea.objects.all(), council=council, pk=pk)


def workers(*, council: Council) -> QuerySet[User]:
    members = Membership.objects.filter(council=council, is_active=True).values("user_id")
    return User.objects.filter(pk__in=members, is_active=True).order_by("full_name", "pk")


def activity_list(*, council: Council, filters: ActivityFilters) -> QuerySet[Activity]:
    qs = Activity.objects.filter(council=council)
    f = filters
    if f.search:
        qs = qs.filter(
            Q(title__icontains=f.search)
            | Q(what_young_people_said__icontains=f.search)
            | Q(what_changed__icontains=f.search)
        )
    if f.date_from:
        qs = qs.filter(Q(ends_on__gte=f.date_from) | Q(ends_on=None, starts_on__gte=f.date_from))
    if f.date_to:
        qs = qs.filter(starts_on__lte=f.date_to)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.service_area:
        qs = qs.filter(area_links__service_area=f.service_area)
    if f.lead_worker:
        qs = qs.filter(lead_worker=f.lead_worker)
    if f.ladder_rung:
        qs = qs.filter(ladder_rung=f.ladder_rung)
    if f.lundy in LUNDY_FILTERS:
        qs = qs.filter(**{LUNDY_FILTERS[f.lundy]: True})
    if f.status in Activity.Status.values:
        qs = qs.filter(status=f.status)
    return (
        qs.select_related("kind", "lead_worker")
        .prefetch_related(
            Prefetch(
                "area_links",
                queryset=ActivityServiceArea.objects.select_related("service_area").order_by(
                    "service_area__position", "service_area__name"
                ),
            )
        )
        # A subquery per shown row, not a GROUP BY over every activity before taking 25; the
        # paginator's count leaves it out.
        .annotate(named_count=_named_count(council))
        .order_by(*SORTS.get(f.sort, SORTS["newest"]))
    )


def _named_count(council: Council):
    return Coalesce(
        Subquery(
            Participation.objects.filter(council=council, activity=OuterRef("pk"))
            .order_by()
            .values("activity")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        0,
    )


def activity_export_rows(*, council: Council, filters: ActivityFilters) -> QuerySet[Activity]:
    return activity_list(council=council, filters=filters).prefetch_related(
        Prefetch(
            "participations",
            queryset=Participation.objects.select_related("young_person").order_by(
                "young_person__reference"
            ),
        )
    )


def access_activity(*, council: Council, pk) -> Activity:
    return get_for_council(
        Activity.objects.select_related("kind", "lead_worker", "created_by"),
        council=council,
        pk=pk,
    )


def activity_service_areas(*, activity: Activity) -> list[ServiceArea]:
    return [
        link.service_area
        for link in activity.area_links.select_related("service_area").order_by(
            "service_area__position", "service_area__name"
        )
    ]


def activity_participations(*, activity: Activity) -> QuerySet[Participation]:
    return activity.participations.select_related("young_person").order_by(
        "young_person__preferred_name", "young_person__reference"
    )


def can_edit_activity(*, membership: Membership, activity: Activity) -> bool:
    if membership.can("activities.edit_any"):
        return True
    return membership.can("activities.log") and membership.user_id in (
        activity.lead_worker_id,
        activity.created_by_id,
    )


def access_participation(*, council: Council, activity: Activity, pk) -> Participation:
    return get_for_council(
        Participation.objects.select_related("young_person").filter(activity=activity),
        council=council,
        pk=pk,
    )


# Young people -------------------------------------------------------------------------------


def visible_young_people(*, membership: Membership) -> QuerySet[YoungPerson]:
    """Officers see every young person; a practitioner sees those on their own activities."""
    qs = YoungPerson.objects.filter(council=membership.council_id)
    if membership.can("young_people.view_all"):
        return qs
    if not membership.can("young_people.view"):
        return qs.none()
    user = membership.user_id
    theirs = Participation.objects.filter(council=membership.council_id).filter(
        Q(activity__lead_worker_id=user) | Q(activity__created_by_id=user)
    )
    return qs.filter(Q(pk__in=theirs.values("young_person_id")) | Q(created_by_id=user))


def young_person_list(
    *, membership: Membership, search: str = "", cohort: str = ""
) -> QuerySet[YoungPerson]:
    qs = visible_young_people(membership=membership)
    if search:
        qs = qs.filter(Q(preferred_name__icontains=search) | Q(reference__iexact=search))
    if cohort in dict(COHORTS):
        qs = qs.filter(**{cohort: True})
    taken_part = (
        Participation.objects.filter(council=membership.council_id, young_person=OuterRef("pk"))
        .order_by()
        .values("young_person")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return qs.annotate(activity_count=Coalesce(Subquery(taken_part), 0)).order_by(
        "preferred_name", "reference", "pk"
    )


def access_young_person(*, membership: Membership, pk) -> YoungPerson:
    return get_for_council(
        visible_young_people(membership=membership), council=membership.council, pk=pk
    )


def young_person_timeline(*, young_person: YoungPerson) -> QuerySet[Participation]:
    return (
        # The activity's council too: PostgreSQL can then walk the council's activities newest
        # first for a busy record (7 ms, not 15 for 3,384 activities) or a few people's links.
        young_person.participations.filter(
            council=young_person.council_id, activity__council=young_person.council_id
        )
        .select_related("activity", "activity__kind")
        .order_by("-activity__starts_on", "-activity_id")
    )


def young_person_timeline_count(*, young_person: YoungPerson) -> QuerySet[Participation]:
    """What the timeline counts, without the join to activities its order needs: a link's
    activity is always of the same council (the database's same-council key), so the count is an
    index-only read of the person's links (0.3 ms for 3,384, not 7 ms through the join)."""
    return Participation.objects.filter(council=young_person.council_id, young_person=young_person)


@dataclass
class TimelineEntry:
    """One line on a young person's record: an activity, a forum joined or left, feedback."""

    on: date
    kind: str  # "activity", "forum_joined", "forum_left", "feedback"
    item: object


def record_timeline(
    *, participations, forum_memberships=(), feedback=(), since=None, before=None
) -> list[TimelineEntry]:
    """Activities, forum memberships and feedback given by name, newest first.

    The activities come a page at a time; `since` and `before` bound the page's dates so each
    forum or feedback entry shows on exactly one page: on or after `since` (the oldest activity on
    this page, None on the last page) and before `before` (the oldest activity on the page before,
    None on the first page)."""
    entries = [TimelineEntry(p.activity.starts_on, "activity", p) for p in participations]
    others = []
    for member in forum_memberships:
        others.append(TimelineEntry(member.joined_on, "forum_joined", member))
        if member.left_on is not None:
            others.append(TimelineEntry(member.left_on, "forum_left", member))
    others.extend(
        TimelineEntry(timezone.localdate(r.submitted_at), "feedback", r) for r in feedback
    )
    entries.extend(
        e for e in others if (since is None or e.on >= since) and (before is None or e.on < before)
    )
    return sorted(entries, key=lambda e: e.on, reverse=True)


@dataclass
class QuarterCount:
    quarter: Quarter
    total: int = 0
    unique: int = 0
    hours: float = 0
    vouchers: float = 0


def record_by_quarter(*, council: Council, young_person: YoungPerson) -> list[QuarterCount]:
    """One young person's activities per quarter: how many, hours given, vouchers received.
    Counted and summed by month in the database (a busy record has over 3,000 activities, which
    cost 10 ms in Python one by one), then the months folded into quarters: a quarter is whole
    months whatever month the council's year starts in."""
    rows: dict[Quarter, QuarterCount] = {}
    months = (
        Participation.objects.filter(
            council=council, young_person=young_person, activity__council=council
        )
        .annotate(month=TruncMonth("activity__starts_on"))
        .values("month")
        .annotate(n=Count("pk"), hours=Sum("hours"), vouchers=Sum("voucher_amount"))
        .values_list("month", "n", "hours", "vouchers")
        .order_by()
    )
    for month, n, hours, vouchers in months:
        quarter = Quarter.containing(month, year_starts=council.year_starts)
        row = rows.setdefault(quarter, QuarterCount(quarter))
        row.total += n
        row.unique = 1
        row.hours += float(hours or 0)
        row.vouchers += float(vouchers or 0)
    return sorted(rows.values(), key=lambda r: r.quarter.start, reverse=True)


def _took_part(*, council: Council) -> tuple[QuerySet, bool]:
    """Who took part in done activities: the monthly rollup where the database keeps it
    (PostgreSQL, `rollup.py`), else the participations themselves; and which it is. Both count
    the same: a quarter is whole months, so a month in the quarter is a date in it."""
    if rollup.kept_by_triggers():
        return ParticipationMonth.objects.filter(council=council), True
    return (
        Participation.objects.filter(
            council=council, activity__council=council, activity__status=Activity.Status.DONE
        ),
        False,
    )


def participation_by_quarter(*, council: Council, quarters: int = 4) -> list[QuarterCount]:
    """Named participation per quarter: every time someone took part, and how many people."""
    end = current_quarter(council=council, today=timezone.localdate())
    start = end
    for _ in range(quarters - 1):
        start = start.previous()
    shown = [end]
    for _ in range(quarters - 1):
        shown.append(shown[-1].previous())
    # One pass in the database, a pair of counts per quarter, rather than every link in Python:
    # over the monthly rollup where the database keeps it (at most one row per person a month).
    counted, by_month = _took_part(council=council)
    month = "month" if by_month else "activity__starts_on"
    figures = {}
    for number, quarter in enumerate(shown):
        during = Q(**{f"{month}__gte": quarter.start, f"{month}__lte": quarter.end})
        figures[f"total{number}"] = (
            Sum("times", filter=during) if by_month else Count("pk", filter=during)
        )
        figures[f"unique{number}"] = Count("young_person", filter=during, distinct=True)
    counts = counted.filter(**{f"{month}__gte": start.start, f"{month}__lte": end.end}).aggregate(
        **figures
    )
    return [
        QuarterCount(quarter, total=counts[f"total{n}"] or 0, unique=counts[f"unique{n}"])
        for n, quarter in enumerate(shown)
    ]


# Reach --------------------------------------------------------------------------------------


def suppress(number: int) -> str:
    """Numbers under 5 could identify a child, so they are shown as "fewer than 5"."""
    if 0 < number < SMALL_NUMBER:
        return f"fewer than {SMALL_NUMBER}"
    return str(number)


@dataclass
class ReachRow:
    label: str
    count: int
    cohort_size: int | None = None
    # Hidden although not small, so a small number cannot be worked out by subtraction.
    withheld: bool = False

    @property
    def shown(self) -> str:
        return "withheld" if self.withheld else suppress(self.count)

    @property
    def suppressed(self) -> bool:
        return self.withheld or 0 < self.count < SMALL_NUMBER

    @property
    def percent(self) -> str:
        if self.cohort_size is None or self.cohort_size == 0 or self.suppressed:
            return ""
        return f"{round(100 * self.count / self.cohort_size)}%"


def withhold_to_protect(rows: list[ReachRow]) -> list[ReachRow]:
    """Secondary suppression for rows that add up to the total shown on the page.

    With one small number hidden, the total minus the other rows would reveal it; so the next
    smallest row is withheld too.
    """
    if sum(1 for row in rows if row.suppressed) == 1:
        others = [row for row in rows if row.count >= SMALL_NUMBER]
        if others:
            min(others, key=lambda row: row.count).withheld = True
    return rows


@dataclass
class Reach:
    quarter: Quarter
    unique: int
    total: int
    by_cohort: list[ReachRow]
    by_age_band: list[ReachRow]
    by_gender: list[ReachRow]
    by_ethnicity: list[ReachRow]
    by_disability: list[ReachRow]

    @property
    def unique_shown(self) -> str:
        return suppress(self.unique)

    @property
    def total_shown(self) -> str:
        return suppress(self.total)


def cohort_sizes(*, council: Council, quarter: Quarter) -> dict[str, int]:
    return dict(
        CohortSize.objects.filter(council=council, quarter_start=quarter.start).values_list(
            "cohort", "size"
        )
    )


def reach(*, council: Council, quarter: Quarter) -> Reach:
    """Unique young people who took part in done activities in the quarter, by group."""
    counted, by_month = _took_part(council=council)
    month = "month" if by_month else "activity__starts_on"
    links = counted.filter(**{f"{month}__gte": quarter.start, f"{month}__lte": quarter.end})
    total = (links.aggregate(n=Sum("times"))["n"] or 0) if by_month else links.count()
    # Plain rows, not model instances: a large council's quarter is thousands of people.
    fields = ("date_of_birth", "age_band", "ethnicity", "gender", "disability")
    cohorts = [name for name, _ in COHORTS]
    people = list(
        YoungPerson.objects.filter(council=council, pk__in=links.values("young_person_id"))
        .order_by()
        .values_list(*fields, *cohorts, named=True)
    )
    sizes = cohort_sizes(council=council, quarter=quarter)

    def tally(key, choices) -> list[ReachRow]:
        counts: dict[str, int] = defaultdict(int)
        for person in people:
            counts[key(person) or ""] += 1
        rows = [ReachRow(label, counts[value]) for value, label in choices]
        if counts[""]:
            rows.append(ReachRow("Not recorded", counts[""]))
        return withhold_to_protect(rows)

    return Reach(
        quarter=quarter,
        unique=len(people),
        total=total,
        by_cohort=[
            ReachRow(label, sum(1 for p in people if getattr(p, name)), sizes.get(name))
            for name, label in COHORTS
        ],
        by_age_band=tally(
            lambda p: age_band_on(p.date_of_birth, p.age_band, quarter.end), AgeBand.choices
        ),
        by_gender=tally(lambda p: p.gender, YoungPerson.Gender.choices),
        by_ethnicity=tally(lambda p: p.ethnicity, YoungPerson.Ethnicity.choices),
        by_disability=tally(lambda p: p.disability, YoungPerson.Disability.choices),
    )


# Activity in a period (the quarterly report) ------------------------------------------------


@dataclass
class ActivityBreakdown:
    """Done activities that started in a period, counted each way the report shows them."""

    total: int
    by_kind: list[tuple[str, int]]
    by_service_area: list[tuple[str, int]]
    by_type: list[tuple[str, int]]
    by_rung: list[tuple[str, int]]
    by_lundy: list[tuple[str, int]]


def activity_breakdown(*, council: Council, start: date, end: date) -> ActivityBreakdown:
    """Counts of activities (not of children: no suppression needed). An activity informing two
    service areas counts once under each."""
    done = Activity.objects.filter(
        council=council, status=Activity.Status.DONE, starts_on__gte=start, starts_on__lte=end
    )
    lundy = done.aggregate(
        total=Count("pk"), **{field: Count("pk", filter=Q(**{field: True})) for field, _ in LUNDY}
    )
    kinds_count = dict(
        done.values_list("kind__name").annotate(n=Count("pk")).values_list("kind__name", "n")
    )
    types = dict(
        done.values_list("participation_type")
        .annotate(n=Count("pk"))
        .values_list("participation_type", "n")
    )
    rungs = dict(
        done.values_list("ladder_rung").annotate(n=Count("pk")).values_list("ladder_rung", "n")
    )
    areas = list(
        ActivityServiceArea.objects.filter(council=council, activity__in=done)
        .values("service_area__name", "service_area__position")
        .annotate(n=Count("activity_id", distinct=True))
        .order_by("service_area__position", "service_area__name")
    )
    return ActivityBreakdown(
        total=lundy["total"],
        by_kind=sorted(kinds_count.items(), key=lambda kv: (-kv[1], kv[0])),
        by_service_area=[(row["service_area__name"], row["n"]) for row in areas],
        by_type=[(label, types.get(value, 0)) for value, label in ParticipationType.choices],
        by_rung=[(label, rungs.get(value, 0)) for value, label in LadderRung.choices],
        by_lundy=[(label, lundy[field]) for field, label in LUNDY],
    )
