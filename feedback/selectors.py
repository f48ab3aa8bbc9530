from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import timezone

from feedback import rollup
from feedback.models import (
    Answer,
    AnswerCount,
    FeedbackForm,
    FormLink,
    FormVersion,
    Question,
    Response,
    ResponseCount,
    SafeguardingAlert,
    SafeguardingContact,
    SafeguardingSettings,
    Theme,
    YouSaidWeDid,
)
from participation.activities.models import Activity, YoungPerson
from participation.models import Council, Membership
from participation.quarters import Quarter, current_quarter, quarter_key
from participation.tenancy import get_for_council

# Fewer answers than this and a figure could point to one young person: it is not shown.
SUPPRESS_BELOW = 5


def form_list(*, council: Council, search: str = "", status: str = "") -> QuerySet[FeedbackForm]:
    qs = FeedbackForm.objects.filter(council=council).annotate(
        response_count=_responses_counted(council_id=council.pk, version__form=OuterRef("pk"))
    )
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(intro__icontains=search))
    if status == "draft":
        qs = qs.filter(live_version=None)
    elif status == "closed":
        qs = qs.filter(is_closed=True)
    elif status == "live":
        qs = qs.filter(is_closed=False).exclude(live_version=None)
    return qs.order_by("-created_at", "-pk")


def access_form(*, council: Council, pk) -> FeedbackForm:
    return get_for_council(FeedbackForm.objects.all(), council=council, pk=pk)


def access_question(*, council: Council, form: FeedbackForm, pk) -> Question:
    return get_for_council(
        Question.objects.filter(version__form=form).select_related("version__form"),
        council=council,
        pk=pk,
    )


def versions(*, form: FeedbackForm) -> list[FormVersion]:
    return list(
        FormVersion.objects.filter(council=form.council_id, form=form)
        .annotate(
            response_count=_responses_counted(council_id=form.council_id, version=OuterRef("pk"))
        )
        .order_by("number")
    )


def _responses_counted(*, council_id: int, **match):
    """How many responses, from the rollup's daily counts (feedback/rollup.py) rather than a
    count of every response: a big form has a hundred thousand."""
    return Coalesce(
        Subquery(
            ResponseCount.objects.filter(council_id=council_id, **match)
            .order_by()
            .values("council_id")
            .annotate(total=Sum("n"))
            .values("total")
        ),
        0,
    )


def questions_of(version: FormVersion) -> list[Question]:
    return list(
        Question.objects.filter(council=version.council_id, version=version).order_by(
            "position", "pk"
        )
    )


def current_link(*, form: FeedbackForm) -> FormLink | None:
    """The link to share, or None before the form is first published: a draft's link would only
    tell a young person the form is not open, so officers are not shown one to hand out."""
    if form.live_version_id is None:
        return None
    return (
        FormLink.objects.filter(council=form.council_id, form=form, revoked_at=None)
        .order_by("-created_at")
        .first()
    )


def link_by_token(token: str) -> FormLink | None:
    """The public way in: the token is the only key, and the council must be active."""
    if not token or len(token) > 64:
        return None
    return (
        FormLink.objects.select_related("form__council", "form__live_version")
        .filter(token=token, form__council__is_active=True)
        .first()
    )


# Alerts ------------------------------------------------------------------------------------


def safeguarding_settings(*, council: Council) -> SafeguardingSettings:
    """The council's saved settings, or the defaults (unsaved) until an officer first saves them:
    reading them, on a public form or an alert, writes nothing."""
    found = SafeguardingSettings.objects.filter(council=council).first()
    return found or SafeguardingSettings(council=council)


def is_contact(membership: Membership) -> bool:
    return SafeguardingContact.objects.filter(
        council=membership.council_id, membership=membership
    ).exists()


def can_see_alerts(membership: Membership) -> bool:
    return membership.can("feedback.alerts") or is_contact(membership)


def alert_list(*, council: Council, status: str = "") -> QuerySet[SafeguardingAlert]:
    qs = SafeguardingAlert.objects.filter(council=council).select_related(
        "response__form", "acknowledged_by"
    )
    if status == "waiting":
        qs = qs.filter(acknowledged_at=None)
    elif status == "acknowledged":
        qs = qs.exclude(acknowledged_at=None)
    return qs.order_by("-created_at", "-pk")


def alert_counts(*, council: Council) -> dict:
    return SafeguardingAlert.objects.filter(council=council).aggregate(
        waiting=Count("pk", filter=Q(acknowledged_at=None)), total=Count("pk")
    )


def access_alert(*, council: Council, pk) -> SafeguardingAlert:
    return get_for_council(
        SafeguardingAlert.objects.select_related("response__form", "acknowledged_by"),
        council=council,
        pk=pk,
    )


def response_answers(response: Response) -> list[Answer]:
    return list(
        Answer.objects.filter(council=response.council_id, response=response)
        .select_related("question")
        .order_by("question__position", "question__pk")
    )


def contacts(*, council: Council) -> QuerySet[SafeguardingContact]:
    return (
        SafeguardingContact.objects.filter(council=council)
        .select_related("membership__user")
        .order_by("membership__user__full_name")
    )


# Results -----------------------------------------------------------------------------------


def _label(question: Question, value) -> str:
    if question.kind == Question.Kind.FACES:
        return FACE_LABELS.get(value, str(value))
    return str(value)


FACE_LABELS = {1: "Very sad", 2: "Sad", 3: "OK", 4: "Happy", 5: "Very happy"}


def results(*, form: FeedbackForm, version: FormVersion, live: bool = False) -> dict:
    """Everything the results page shows for one version, in a fixed number of queries. The
    figures come from the rollup (feedback/rollup.py): a big form has hundreds of thousands of
    answers, too many to count for every page. `live=True` counts the answers themselves instead,
    the way the rollup is checked (tests/feedback/test_rollup.py)."""
    questions = questions_of(version)
    if live:
        response_total, weekly, answered, counts = _result_counts_live(form, version, questions)
    else:
        response_total, weekly, answered, counts = _result_counts(form, version, questions)
    items = []
    for question in questions:
        total = answered[question.pk]
        item = {"question": question, "answered": total, "suppressed": total < SUPPRESS_BELOW}
        if question.kind not in Question.TEXT_KINDS and not item["suppressed"]:
            item["rows"] = [
                {
                    "label": _label(question, int(c) if c.isdigit() else c),
                    "face": int(c) if question.kind == Question.Kind.FACES else None,
                    "count": counts[question.pk][c],
                    "percent": round(100 * counts[question.pk][c] / total) if total else 0,
                }
                for c in question.choice_list()
            ]
            if question.kind in Question.NUMBER_KINDS:
                numbers = {c: n for c, n in counts[question.pk].items() if c.lstrip("-").isdigit()}
                how_many = sum(numbers.values())
                item["average"] = (
                    round(sum(int(c) * n for c, n in numbers.items()) / how_many, 1)
                    if how_many
                    else None
                )
        items.append(item)
    return {
        "total": response_total,
        "suppressed": response_total < SUPPRESS_BELOW,
        "weekly": weekly,
        "questions": items,
        "breakdowns": _breakdowns(questions=questions, counts=counts),
    }


def _choice_question_ids(questions) -> set[int]:
    return {q.pk for q in questions if q.kind in Question.CHOICE_KINDS + (Question.Kind.YES_NO,)}


def _result_counts(form, version, questions):
    """From the rollup: two queries whatever the number of answers (a row per day of responses,
    and per month and value of answers)."""
    days = rollup.response_days(council_id=form.council_id, version_id=version.pk)
    by_week: Counter = Counter()
    for day, n in days:
        by_week[day - timedelta(days=day.weekday())] += n
    # What TruncWeek gives: midnight on Monday, local time.
    weekly = [
        {"week": timezone.make_aware(datetime.combine(monday, time.min)), "count": n}
        for monday, n in sorted(by_week.items())
    ]
    answered: Counter = Counter()
    counts: dict[int, Counter] = defaultdict(Counter)
    choosing = _choice_question_ids(questions)
    Kind = AnswerCount.Kind
    for question_id, kind, number, choice, n in rollup.answer_totals(
        council_id=form.council_id, questions=questions
    ):
        if kind == Kind.NUMBER:
            answered[question_id] += n
            counts[question_id][str(number)] += n
        elif kind == Kind.NO_NUMBER:
            answered[question_id] += n
        elif question_id in choosing:
            counts[question_id][choice] += n
    return sum(n for _day, n in days), weekly, answered, counts


def _result_counts_live(form, version, questions):
    """The same figures counted from every response and answer."""
    question_ids = [q.pk for q in questions]
    response_total = Response.objects.filter(council=form.council_id, version=version).count()
    weekly = list(
        Response.objects.filter(council=form.council_id, version=version)
        .annotate(week=TruncWeek("submitted_at"))
        .values("week")
        .annotate(count=Count("pk"))
        .order_by("week")
    )
    # One pass gives both how many answered each question and how the numbers fell: the groups
    # with no number (choices, writing) add to the first and not the second.
    answered: Counter = Counter()
    counts: dict[int, Counter] = defaultdict(Counter)
    for question_id, number, n in (
        Answer.objects.filter(council=form.council_id, question_id__in=question_ids)
        .order_by()
        .values_list("question_id", "number")
        .annotate(n=Count("pk"))
        .values_list("question_id", "number", "n")
    ):
        answered[question_id] += n
        if number is not None:
            counts[question_id][str(number)] += n
    for question_id, choice, n in choice_counts(council_id=form.council_id, questions=questions):
        counts[question_id][choice] += n
    return response_total, weekly, answered, counts


# What of a response leaves Heard through the API (docs/api.md, "Feedback responses"): never
# the respondent's name, contact details, the young person it is linked to, who assisted, or
# whether they asked to talk (that is the safeguarding queue's, not another system's).
RESPONSE_API_FIELDS = ("id", "council_id", "form_id", "version_id", "submitted_at", "is_assisted")


def form_responses(*, form: FeedbackForm, with_answers: bool = False) -> QuerySet[Response]:
    """A form's responses, newest first, reading only the fields that may leave Heard; with
    their answers (question, number, choices, text) for roles that see results."""
    qs = (
        Response.objects.filter(council=form.council_id, form=form)
        .only(*RESPONSE_API_FIELDS)
        .order_by("-submitted_at", "-pk")
    )
    if with_answers:
        answers = (
            Answer.objects.filter(council=form.council_id)
            .only("id", "response_id", "question_id", "number", "choices", "text")
            .order_by("question__position", "question_id")
        )
        qs = qs.prefetch_related(Prefetch("answers", queryset=answers))
    return qs


def choice_counts(*, council_id: int, questions) -> list[tuple[int, str, int]]:
    """(question id, choice, how many answers chose it) for the choice questions given, counted
    by the database: PostgreSQL unnests the JSON list with jsonb_array_elements_text, SQLite with
    json_each. Django has no portable way to group by an element of a JSON list."""
    ids = [q.pk for q in questions if q.kind in Question.CHOICE_KINDS + (Question.Kind.YES_NO,)]
    if not ids:
        return []
    table = Answer._meta.db_table
    marks = ", ".join(["%s"] * len(ids))
    if connection.vendor == "postgresql":
        elements = "CROSS JOIN LATERAL jsonb_array_elements_text(a.choices) AS e(value)"
    else:
        elements = "CROSS JOIN json_each(a.choices) AS e"
    # The table name and placeholders are ours; every value goes in as a parameter.
    sql = (
        f"SELECT a.question_id, e.value, COUNT(*) FROM {table} a {elements} "  # noqa: S608
        f"WHERE a.council_id = %s AND a.question_id IN ({marks}) GROUP BY a.question_id, e.value"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [council_id, *ids])
        return [(question_id, str(value), n) for question_id, value, n in cursor.fetchall()]


def _breakdowns(*, questions, counts) -> list[dict]:
    """For each 'about you' question: how many responses per group, with small groups hidden."""
    about = [q for q in questions if q.about_you and q.kind in Question.CHOICE_KINDS]
    return [
        {
            "question": q,
            "rows": [
                {
                    "label": c,
                    "count": counts[q.pk][c] if counts[q.pk][c] >= SUPPRESS_BELOW else None,
                }
                for c in q.choice_list()
            ],
        }
        for q in about
    ]


def text_answers(
    *, form: FeedbackForm, version: FormVersion, theme: str = "", search: str = ""
) -> QuerySet[Answer]:
    # Filtering by the response's version too lets PostgreSQL walk responses newest first
    # (response_council_version index) and stop after a page, instead of sorting every answer.
    qs = (
        Answer.objects.filter(
            council=form.council_id,
            # The question ids as values, not a join: one large council among many skews the
            # statistics, and only with the values does PostgreSQL see how many answers they have.
            question_id__in=_written_question_ids(version),
            response__council=form.council_id,
            response__version=version,
        )
        .exclude(text="")
        .select_related("question", "response")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")))
        # The page offers no "approve for reports" for an answer that came with an alert.
        .annotate(
            raised_alert=Exists(
                SafeguardingAlert.objects.filter(
                    council=form.council_id, response_id=OuterRef("response_id")
                )
            )
        )
    )
    if theme:
        qs = qs.filter(themes__name=theme)
    if search:
        qs = qs.filter(text__icontains=search)
    return qs.order_by("-response__submitted_at", "pk")


def text_answer_count(*, form: FeedbackForm, version: FormVersion) -> QuerySet[Answer]:
    """What `text_answers` unfiltered counts, without its joins: read off the partial index of
    written answers (answer_council_written)."""
    return Answer.objects.filter(
        council=form.council_id, question_id__in=_written_question_ids(version)
    ).exclude(text="")


def _written_question_ids(version: FormVersion) -> list[int]:
    if not hasattr(version, "_written_question_ids"):
        version._written_question_ids = list(
            Question.objects.filter(
                council=version.council_id, version=version, kind__in=Question.TEXT_KINDS
            ).values_list("pk", flat=True)
        )
    return version._written_question_ids


def access_answer(*, council: Council, form: FeedbackForm, pk) -> Answer:
    return get_for_council(
        Answer.objects.filter(response__form=form).select_related("response", "question"),
        council=council,
        pk=pk,
    )


def themes(*, council: Council) -> QuerySet[Theme]:
    return (
        Theme.objects.filter(council=council)
        .annotate(answer_count=Count("answers"))
        .order_by("name")
    )


def export_rows(*, form: FeedbackForm, version: FormVersion):
    """Rows for the CSV: one per response, one column per question. Names and contact details are
    left out: the export is for analysis, and it travels."""
    questions = questions_of(version)
    yield ["Response", "Submitted", "With a worker", "Asked to talk"] + [q.text for q in questions]
    responses = (
        Response.objects.filter(council=form.council_id, version=version)
        .prefetch_related("answers")
        .order_by("submitted_at", "pk")
    )
    for response in responses.iterator(chunk_size=500):
        by_question = {a.question_id: a for a in response.answers.all()}
        row = [
            response.pk,
            response.submitted_at.isoformat(timespec="minutes"),
            "yes" if response.is_assisted else "no",
            "yes" if response.wants_to_talk else "no",
        ]
        for q in questions:
            answer = by_question.get(q.pk)
            if answer is None:
                row.append("")
            elif answer.text:
                row.append(answer.text)
            elif answer.number is not None:
                row.append(answer.number)
            else:
                row.append("; ".join(answer.choices))
        yield row


# You said, we did --------------------------------------------------------------------------


def you_said_list(*, council: Council, published_only: bool = False) -> QuerySet[YouSaidWeDid]:
    qs = YouSaidWeDid.objects.filter(council=council).select_related("owner", "theme")
    if published_only:
        qs = qs.filter(is_published=True)
    return qs.order_by("-date", "-pk")


def access_you_said(*, council: Council, pk) -> YouSaidWeDid:
    return get_for_council(
        YouSaidWeDid.objects.select_related("owner", "theme"), council=council, pk=pk
    )


def you_said_activities(*, entry: YouSaidWeDid):
    """The activities an entry is linked to, newest first."""
    return Activity.objects.filter(council_id=entry.council_id, you_said_entries=entry).order_by(
        "-starts_on", "-pk"
    )


def you_said_for_activity(*, council: Council, activity) -> QuerySet[YouSaidWeDid]:
    """The "you said, we did" entries linked to one activity."""
    return (
        YouSaidWeDid.objects.filter(council=council, activities=activity)
        .select_related("owner")
        .order_by("-date", "-pk")
    )


def activity_choices(*, council: Council, search: str = "", keep=(), recent: int = 30):
    """Activities to offer on the entry's form: matches for the search words (or the most recent
    ones), plus any already chosen so a search never drops a ticked box."""
    activities = Activity.objects.filter(council=council)
    search = search.replace("\x00", "").strip()
    if search:
        shown = activities.filter(title__icontains=search)
    else:
        shown = activities.order_by("-starts_on", "-pk")
    shown_ids = list(shown.order_by("-starts_on", "-pk").values_list("pk", flat=True)[:recent])
    keep_ids = [int(pk) for pk in keep if str(pk).isdigit() and len(str(pk)) < 18]
    return activities.filter(pk__in=shown_ids + keep_ids).order_by("-starts_on", "-pk")


def principles_scorecard(
    *, council: Council, quarters: int = 4, until: date | None = None, live: bool = False
) -> dict:
    """The six principles by service area and quarter: the average face score (1 to 5) from
    questions tagged with a principle. A cell with fewer than five answers shows no figure.
    `until` (a report's quarter end) leaves out answers given after that day. The counts come
    from the rollup (feedback/rollup.py), by month, so `until` must end a month; `live=True`
    counts the answers instead."""
    if until is not None and (until + timedelta(days=1)).day != 1:
        raise ValueError(f"The scorecard is counted by month: {until} does not end one.")
    # Only the quarters shown are read: the one holding `until` (or today) and the three before
    # it. (Which quarter an answer falls in is the grouping below; this only bounds the scan.)
    first = current_quarter(council=council, today=until or timezone.localdate())
    for _ in range(quarters - 1):
        first = first.previous()
    rows = (_scorecard_rows_live if live else _scorecard_rows)(
        council=council, first=first, until=until
    )
    cells: dict = {}
    all_quarters = set()
    for area, principle, quarter_number, n, average in rows:
        quarter = Quarter.from_key(quarter_number, year_starts=council.year_starts)
        all_quarters.add(quarter)
        cells[(area, principle, quarter)] = (n, average)
    shown = sorted(all_quarters, key=lambda q: q.start)[-quarters:]
    areas = sorted({area for area, _, _ in cells})
    labels = dict(FeedbackForm.ServiceArea.choices)
    principles = [p for p in Question.Principle if p.value]
    tables = []
    for area in areas:
        table_rows = []
        for principle in principles:
            row_cells = []
            for quarter in shown:
                n, average = cells.get((area, principle.value, quarter), (0, None))
                row_cells.append(
                    {
                        "count": n,
                        "average": round(average, 1) if n >= SUPPRESS_BELOW else None,
                    }
                )
            table_rows.append({"principle": principle.label, "cells": row_cells})
        tables.append({"area": labels.get(area, area), "rows": table_rows})
    return {"quarters": shown, "tables": tables}


def _scorecard_rows(*, council: Council, first: Quarter, until: date | None) -> list[tuple]:
    """(service area, principle, quarter key, answers, average) from the rollup's face numbers:
    one row per question, month and number, whatever the number of answers."""
    counts = AnswerCount.objects.filter(
        council=council,
        kind=AnswerCount.Kind.NUMBER,
        month__gte=first.start,
        question__kind=Question.Kind.FACES,
        question__principle__gt="",
    )
    if until is not None:
        counts = counts.filter(month__lte=until)
    rows = (
        counts.annotate(quarter=quarter_key("month", year_starts=council.year_starts))
        .values_list("question__version__form__service_area", "question__principle", "quarter")
        .annotate(answers=Sum("n"), total=Sum(F("n") * F("number")))
        .order_by()
    )
    return [(area, principle, key, n, total / n) for area, principle, key, n, total in rows]


def _scorecard_rows_live(*, council: Council, first: Quarter, until: date | None) -> list[tuple]:
    """The same, counted from every answer."""
    since = timezone.make_aware(datetime.combine(first.start, time.min))
    answers = Answer.objects.filter(
        council=council,
        response__council=council,
        response__submitted_at__gte=since,
        question__kind=Question.Kind.FACES,
        question__principle__gt="",
        number__isnull=False,
    )
    if until is not None:
        answers = answers.filter(response__submitted_at__lt=_day_after(until))
    return list(
        answers.annotate(
            quarter=quarter_key("response__submitted_at", year_starts=council.year_starts)
        )
        .values_list("response__form__service_area", "question__principle", "quarter")
        .annotate(n=Count("pk"), average=Avg("number"))
        .order_by()
    )


def named_responses(*, young_person: YoungPerson) -> QuerySet[Response]:
    """Feedback a young person gave by name, completed with a worker (titles only, no answers)."""
    return (
        Response.objects.filter(
            council=young_person.council_id, young_person=young_person, form__is_anonymous=False
        )
        .select_related("form")
        .only("pk", "submitted_at", "form__title", "form__is_anonymous")
        .order_by("-submitted_at", "-pk")
    )


# Figures for a period (the quarterly report) ----------------------------------------------


def _day_after(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def responses_by_form(*, council: Council, start: date, end: date) -> list[dict]:
    """Responses submitted in a period, per form, with the form's service area."""
    labels = dict(FeedbackForm.ServiceArea.choices)
    rows = (
        Response.objects.filter(
            council=council,
            submitted_at__gte=_day_after(start - timedelta(days=1)),
            submitted_at__lt=_day_after(end),
        )
        .values("form_id", "form__title", "form__service_area")
        .annotate(n=Count("pk"))
        .order_by("form__service_area", "form__title", "form_id")
    )
    return [
        {
            "form": row["form__title"],
            "service_area": labels.get(row["form__service_area"], row["form__service_area"]),
            "count": row["n"],
        }
        for row in rows
    ]


def alert_figures(*, council: Council, start: date, end: date) -> dict:
    """Safeguarding alerts raised in a period: how many, how many a person acknowledged within
    the council's reminder time, and how many were still unacknowledged at the period's end.
    Counts only: nothing about the children or what they wrote."""
    settings_row = SafeguardingSettings.objects.filter(council=council).first()
    target = settings_row.renotify_after_minutes if settings_row else 60
    period_end = _day_after(end)
    raised = SafeguardingAlert.objects.filter(
        council=council,
        created_at__gte=_day_after(start - timedelta(days=1)),
        created_at__lt=period_end,
    )
    figures = raised.aggregate(
        raised=Count("pk"),
        within_target=Count(
            "pk",
            filter=Q(acknowledged_at__isnull=False)
            & Q(acknowledged_at__lte=F("created_at") + timedelta(minutes=target)),
        ),
        still_open=Count("pk", filter=Q(acknowledged_at=None) | Q(acknowledged_at__gte=period_end)),
    )
    figures["target_minutes"] = target
    return figures


def you_said_in_period(
    *, council: Council, start: date, end: date, published_only: bool = False
) -> QuerySet[YouSaidWeDid]:
    return you_said_list(council=council, published_only=published_only).filter(
        date__gte=start, date__lte=end
    )


def approved_quotes(*, council: Council, start: date, end: date) -> list[dict]:
    """Written answers approved for reports, from responses submitted in the period: the words
    and the form's title only, never who gave them. Answers from a response that raised an alert
    are left out even if approved before the alert was known."""
    rows = (
        Answer.objects.filter(
            council=council,
            quote_approved_at__isnull=False,
            response__council=council,
            response__submitted_at__gte=_day_after(start - timedelta(days=1)),
            response__submitted_at__lt=_day_after(end),
        )
        .exclude(text="")
        .exclude(
            response__in=SafeguardingAlert.objects.filter(council=council).values("response_id")
        )
        .values("text", "response__form__title")
        .order_by("response__form__title", "response__submitted_at", "pk")
    )
    return [{"text": row["text"], "form": row["response__form__title"]} for row in rows]
