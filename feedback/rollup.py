"""The results rollup: counts of answers per question, value and month, and of responses per
version and day.

The results page and the scorecard read these instead of counting every answer: a big form has
hundreds of thousands of answers and no index makes a live count of them fit the page's budget
(docs/scaling.md). The rows are

- `AnswerCount(council, question, month, kind, number, choice, n)`: per question and local
  month, how many answers had no number, how many had each number, and how many times each choice
  was ticked;
- `ResponseCount(council, version, day, n)`: responses per version and local day (the results
  page charts them by week).

Months and days are local (the council's pages and quarters are in local time). A quarter is three
months whatever month the council's year starts in, so the scorecard adds up months exactly; the
results page adds up every month of a version, a few dozen rows per question however many
answers there are.

They change only here: `record_response` in the transaction that saves a response (one upsert per
table, rows in a fixed order so concurrent submissions never deadlock), and `rebuild` from the
answers themselves, for one council (`manage.py rebuild_result_counts`, the scale generator, the
demo, anything that bulk-inserts past the services). Erasure and retention change no counted field
(they blank written text and names; every answer and response stays, on its day and version), so
they leave the rollup as it is; tests/feedback/test_rollup.py checks that after each.

`live_answer_counts` and `live_response_counts` are the live aggregation: what the rows must hold.
The rebuild writes them; the tests compare the tables with them.
"""

from collections import Counter
from datetime import date

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from feedback.models import Answer, AnswerCount, Question, Response, ResponseCount

Kind = AnswerCount.Kind

# (question id, month, kind, number, choice) -> n
AnswerKey = tuple[int, object, int, int, str]


def _local_day_sql(column: str) -> tuple[str, list]:
    """SQL for the local date of a date-time column, as TruncDate gives it in the ORM."""
    zone = timezone.get_current_timezone_name()
    if connection.vendor == "postgresql":
        return f"({column} AT TIME ZONE %s)::date", [zone]
    return f"django_datetime_cast_date({column}, %s, %s)", [zone, "UTC"]


def live_answer_counts(*, council_id: int) -> Counter:
    """Every count the rollup should hold for one council, counted from its answers (by day in
    the database, added up into months here)."""
    counts: Counter = Counter()
    rows = (
        Answer.objects.filter(council_id=council_id, response__council_id=council_id)
        .annotate(day=TruncDate("response__submitted_at"))
        .order_by()
        .values_list("question_id", "day", "number")
        .annotate(n=Count("pk"))
    )
    for question_id, day, number, n in rows:
        month = day.replace(day=1)
        if number is None:
            counts[(question_id, month, Kind.NO_NUMBER.value, 0, "")] += n
        else:
            counts[(question_id, month, Kind.NUMBER.value, number, "")] += n
    answers, responses = Answer._meta.db_table, Response._meta.db_table
    day_sql, day_params = _local_day_sql("r.submitted_at")
    if connection.vendor == "postgresql":
        elements = "CROSS JOIN LATERAL jsonb_array_elements_text(a.choices) AS e(value)"
    else:
        elements = "CROSS JOIN json_each(a.choices) AS e"
    # Table names and the time zone expression are ours; every value goes in as a parameter.
    sql = (
        f"SELECT a.question_id, {day_sql}, e.value, COUNT(*) "  # noqa: S608
        f"FROM {answers} a JOIN {responses} r ON r.id = a.response_id {elements} "
        "WHERE a.council_id = %s AND r.council_id = %s GROUP BY 1, 2, 3"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*day_params, council_id, council_id])
        for question_id, day, value, n in cursor.fetchall():
            if isinstance(day, str):  # SQLite
                day = date.fromisoformat(day)
            counts[(question_id, day.replace(day=1), Kind.CHOICE.value, 0, str(value))] += n
    return counts


def live_response_counts(*, council_id: int) -> Counter:
    """(version id, day) -> responses, counted from one council's responses."""
    rows = (
        Response.objects.filter(council_id=council_id)
        .annotate(day=TruncDate("submitted_at"))
        .order_by()
        .values_list("version_id", "day")
        .annotate(n=Count("pk"))
    )
    return Counter({(version_id, day): n for version_id, day, n in rows})


def stored_answer_counts(*, council_id: int) -> Counter:
    return Counter(
        {
            (q, month, kind, number, choice): n
            for q, month, kind, number, choice, n in AnswerCount.objects.filter(
                council_id=council_id
            ).values_list("question_id", "month", "kind", "number", "choice", "n")
        }
    )


def stored_response_counts(*, council_id: int) -> Counter:
    return Counter(
        {
            (version_id, day): n
            for version_id, day, n in ResponseCount.objects.filter(
                council_id=council_id
            ).values_list("version_id", "day", "n")
        }
    )


@transaction.atomic
def rebuild(*, council_id: int) -> tuple[int, int]:
    """Replace one council's rollup with fresh counts from its answers and responses. Returns
    how many answer and response rows it wrote. Call inside the council's scope (or
    `rls.all_councils`)."""
    answer_counts = live_answer_counts(council_id=council_id)
    response_counts = live_response_counts(council_id=council_id)
    AnswerCount.objects.filter(council_id=council_id).delete()
    ResponseCount.objects.filter(council_id=council_id).delete()
    AnswerCount.objects.bulk_create(
        (
            AnswerCount(
                council_id=council_id,
                question_id=q,
                month=month,
                kind=kind,
                number=number,
                choice=choice,
                n=n,
            )
            for (q, month, kind, number, choice), n in sorted(answer_counts.items())
        ),
        batch_size=5000,
    )
    ResponseCount.objects.bulk_create(
        (
            ResponseCount(council_id=council_id, version_id=version_id, day=day, n=n)
            for (version_id, day), n in sorted(response_counts.items())
        ),
        batch_size=5000,
    )
    return len(answer_counts), len(response_counts)


def answer_keys(answer: Answer, month: date) -> list[AnswerKey]:
    """The rollup rows one answer adds one to."""
    if answer.number is not None:
        keys = [(answer.question_id, month, Kind.NUMBER.value, answer.number, "")]
    else:
        keys = [(answer.question_id, month, Kind.NO_NUMBER.value, 0, "")]
    return keys + [
        (answer.question_id, month, Kind.CHOICE.value, 0, str(c)) for c in answer.choices or []
    ]


def record_response(*, response: Response, answers: list[Answer]) -> None:
    """Add one saved response and its answers to the rollup. Call in the transaction that saved
    them, as late as possible: the rows it updates are shared by every submission of the month, and
    stay locked until the transaction ends."""
    day = timezone.localdate(response.submitted_at)
    added: Counter = Counter()
    for answer in answers:
        for key in answer_keys(answer, day.replace(day=1)):
            added[key] += 1
    council_id = response.council_id
    # One order for every transaction (version row first, then answer rows sorted), so two
    # submissions wait for each other instead of deadlocking.
    _upsert(
        ResponseCount._meta.db_table,
        ["council_id", "version_id", "day", "n"],
        ["council_id", "version_id", "day"],
        [(council_id, response.version_id, day, 1)],
    )
    if added:
        _upsert(
            AnswerCount._meta.db_table,
            ["council_id", "question_id", "month", "kind", "number", "choice", "n"],
            ["council_id", "question_id", "month", "kind", "number", "choice"],
            [(council_id, *key, n) for key, n in sorted(added.items())],
        )


def _upsert(table: str, columns: list[str], conflict: list[str], rows: list[tuple]) -> None:
    """INSERT ... ON CONFLICT DO UPDATE SET n = n + the new n (PostgreSQL and SQLite alike):
    Django's bulk_create can only overwrite a conflicting row, not add to it."""
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    # Table and column names are ours; every value goes in as a parameter.
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES "  # noqa: S608
        + ", ".join([row] * len(rows))
        + f" ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET n = {table}.n + excluded.n"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for r in rows for value in r])


# Reading -------------------------------------------------------------------------------------


def response_days(*, council_id: int, version_id: int) -> list[tuple]:
    """(day, responses) for one version, oldest first."""
    return list(
        ResponseCount.objects.filter(council_id=council_id, version_id=version_id)
        .order_by("day")
        .values_list("day", "n")
    )


def answer_totals(*, council_id: int, questions: list[Question]) -> list[tuple]:
    """(question id, kind, number, choice, n) over every month, for the questions given."""
    return list(
        AnswerCount.objects.filter(council_id=council_id, question_id__in=[q.pk for q in questions])
        .order_by()
        .values_list("question_id", "kind", "number", "choice")
        .annotate(total=Sum("n"))
    )
