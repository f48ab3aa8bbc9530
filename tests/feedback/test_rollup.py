"""The results rollup (feedback/rollup.py): the results page and the scorecard read counts kept in
step with every submission; they must show exactly what counting every answer shows, including
which figures are hidden below five, after erasure and after retention, and a rebuild must give
the same rows as the submissions did."""

from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from feedback import rollup, selectors
from feedback.models import (
    Answer,
    AnswerCount,
    FeedbackForm,
    FormVersion,
    Question,
    Response,
    ResponseCount,
)
from lifecycle import services as lifecycle_services
from participation.quarters import Quarter, current_quarter
from tests.feedback.factories import K, make_form, submit
from tests.lifecycle.factories import named_everywhere

LONDON = ZoneInfo("Europe/London")

QUESTIONS = [
    {
        "kind": K.FACES,
        "text": "Do people listen to you?",
        "required": True,
        "principle": Question.Principle.LISTENED,
    },
    {"kind": K.YES_NO, "text": "Do you have a trusted adult?"},
    {"kind": K.MULTIPLE, "text": "Who do you see?", "choices": "Mum\nDad\nFriends"},
    {
        "kind": K.SINGLE,
        "text": "How old are you?",
        "choices": "8 to 10\n11 to 13",
        "about_you": "age",
    },
    {"kind": K.SCALE, "text": "How safe do you feel?"},
    {"kind": K.LONG_TEXT, "text": "Anything else?"},
]


@contextmanager
def submitted_at(moment):
    """Responses saved inside the block are stamped `moment`, as if sent then: through the
    service, so the rollup is kept the way it is in use."""
    field = Response._meta.get_field("submitted_at")
    saved = field.__dict__.get("_get_default")
    field.__dict__["_get_default"] = lambda: moment
    try:
        yield
    finally:
        if saved is None:
            field.__dict__.pop("_get_default", None)
        else:
            field.__dict__["_get_default"] = saved


def moments():
    """Days that test the buckets: today, last week, the edges of the last five quarters, and
    just after midnight on 1 July in summer time (still 30 June in UTC)."""
    today = timezone.localdate()
    quarter = Quarter.containing(today, year_starts=4)
    days = [today, today - timedelta(days=7), today - timedelta(days=1)]
    for _ in range(5):
        days += [quarter.start, quarter.end]
        quarter = quarter.previous()
    found = [timezone.make_aware(datetime.combine(d, time(12))) for d in days]
    for year in (today.year - 1, today.year):
        found += [
            datetime(year, 7, 1, 0, 30, tzinfo=LONDON),
            datetime(year, 6, 30, 23, 30, tzinfo=LONDON),
        ]
    return [m for m in found if m <= timezone.now()]


def fill(council, *, big=True):
    """Two forms in two service areas: one with enough answers to show most figures, one with
    too few to show any. Returns the forms."""
    care = make_form(council, questions=QUESTIONS, service_area="cla")
    cp = make_form(council, questions=QUESTIONS[:1], service_area="cp")
    answers = [
        {0: "5", 1: "Yes", 2: ["Mum", "Friends"], 3: "8 to 10", 4: "7", 5: "Good"},
        {0: "4", 1: "No", 2: ["Dad"], 3: "8 to 10", 4: "10"},
        {0: "3", 1: "Yes", 2: ["Mum", "Dad", "Friends"], 3: "11 to 13"},
        {0: "1", 3: "8 to 10", 5: "Bad"},
        {0: "2", 1: "Yes"},
    ]
    for i, moment in enumerate(moments()):
        with submitted_at(moment):
            for values in answers[: 5 if big else 2]:
                submit(care, values)
            if i % 5 == 0:
                submit(cp, {0: str(1 + i % 5)})
    return care, cp


def assert_rollup_matches(council):
    assert rollup.stored_answer_counts(council_id=council.pk) == rollup.live_answer_counts(
        council_id=council.pk
    )
    assert rollup.stored_response_counts(council_id=council.pk) == rollup.live_response_counts(
        council_id=council.pk
    )
    # The response counts beside each form and version, as counting the responses gives them.
    assert {f.pk: f.response_count for f in selectors.form_list(council=council)} == dict(
        FeedbackForm.objects.filter(council=council)
        .annotate(n=Count("responses"))
        .values_list("pk", "n")
    )
    for form in FeedbackForm.objects.filter(council=council):
        assert [v.response_count for v in selectors.versions(form=form)] == [
            v.n
            for v in FormVersion.objects.filter(form=form)
            .annotate(n=Count("responses"))
            .order_by("number")
        ]
        for version in selectors.versions(form=form):
            assert selectors.results(form=form, version=version) == selectors.results(
                form=form, version=version, live=True
            )
    today = timezone.localdate()
    quarter = current_quarter(council=council, today=today)
    for until in [None, quarter.end, quarter.previous().end, date(today.year - 1, 9, 30)]:
        for quarters in (1, 4):
            assert selectors.principles_scorecard(
                council=council, until=until, quarters=quarters
            ) == selectors.principles_scorecard(
                council=council, until=until, quarters=quarters, live=True
            )


def test_results_and_scorecard_from_the_rollup_match_counting_every_answer(council_a, council_b):
    care, cp = fill(council_a)
    fill(council_b, big=False)  # another council's answers must not count
    assert_rollup_matches(council_a)
    assert_rollup_matches(council_b)

    shown = selectors.results(form=care, version=care.live_version)
    assert shown["total"] == 5 * len(moments())
    faces, yes_no, _many, _age, scale, written = shown["questions"]
    assert not faces["suppressed"] and faces["rows"][0]["count"] == len(moments())
    assert yes_no["answered"] == 4 * len(moments())
    assert written["answered"] == 2 * len(moments()) and "rows" not in written
    assert scale["average"] == 8.5
    # Suppression: the small form shows nothing, in results or in its scorecard cells.
    small = selectors.results(form=cp, version=cp.live_version)
    assert small["total"] < 5 and small["suppressed"] and small["questions"][0]["suppressed"]
    card = selectors.principles_scorecard(council=council_a)
    cp_table = next(t for t in card["tables"] if t["area"] == "Child protection")
    assert all(c["average"] is None for c in cp_table["rows"][0]["cells"])
    care_table = next(t for t in card["tables"] if t["area"] == "Children in care")
    assert any(c["average"] == 3.0 for c in care_table["rows"][0]["cells"])


def test_breakdowns_hide_the_same_small_groups(council_a):
    form = make_form(council_a, questions=QUESTIONS)
    for _ in range(5):
        submit(form, {0: "3", 3: "8 to 10"})
    for _ in range(4):
        submit(form, {0: "3", 3: "11 to 13"})
    assert_rollup_matches(council_a)
    rows = selectors.results(form=form, version=form.live_version)["breakdowns"][0]["rows"]
    assert [r["count"] for r in rows] == [5, None]


def test_a_new_version_counts_apart(council_a, officer_a):
    from feedback import services

    form = make_form(council_a, questions=QUESTIONS)
    for _ in range(6):
        submit(form, {0: "4"})
    services.question_add(form=form, actor=officer_a.user, kind=K.FACES, text="And now?")
    services.form_publish(form=form, actor=officer_a.user)
    form.refresh_from_db()
    for _ in range(3):
        submit(form, {0: "2", 6: "5"})
    assert_rollup_matches(council_a)
    assert ResponseCount.objects.filter(council=council_a).count() == 2


def test_erasure_leaves_every_count_as_it_was(council_a, admin_a):
    care, _cp = fill(council_a)
    person, _response = named_everywhere(council_a, name="Alex", form=care)
    rollup.rebuild(council_id=council_a.pk)  # the named response went in past the services
    before = rollup.stored_answer_counts(council_id=council_a.pk)
    results_before = selectors.results(form=care, version=care.live_version)
    lifecycle_services.young_person_erase(
        council=council_a, young_person=person, actor=admin_a.user
    )
    assert rollup.stored_answer_counts(council_id=council_a.pk) == before
    assert_rollup_matches(council_a)
    assert selectors.results(form=care, version=care.live_version) == results_before


def test_retention_leaves_every_count_as_it_was(council_a):
    care, _cp = fill(council_a)
    person, response = named_everywhere(council_a, name="Jordan", form=care)
    rollup.rebuild(council_id=council_a.pk)
    before = rollup.stored_answer_counts(council_id=council_a.pk)
    # Far enough ahead that every kind of record has expired.
    now = timezone.now() + timedelta(days=365 * 12)
    # (Bounded: so far ahead, each batch's own audit entry is already due, so a run never ends.)
    done = lifecycle_services.retention_apply(council=council_a, now=now, max_batches=40)["done"]
    assert sum(done.values()) > 0
    assert not Answer.objects.filter(council=council_a).exclude(text="").exists()
    assert rollup.stored_answer_counts(council_id=council_a.pk) == before
    assert_rollup_matches(council_a)


def test_the_command_rebuilds_what_bulk_inserts_left_out(council_a, council_b):
    care, _cp = fill(council_a)
    fill(council_b, big=False)
    # Rows written past the services (as generate_scale and imports do): the rollup misses them.
    response = Response.objects.create(
        council=council_a, form=care, version=care.live_version, submission_key="bulk-1"
    )
    question = care.live_version.questions.order_by("position").first()
    Answer.objects.create(council=council_a, response=response, question=question, number=1)
    AnswerCount.objects.filter(council=council_b).delete()
    assert rollup.stored_answer_counts(council_id=council_a.pk) != rollup.live_answer_counts(
        council_id=council_a.pk
    )

    call_command("rebuild_result_counts", council=council_a.slug, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert_rollup_matches(council_a)
    assert not AnswerCount.objects.filter(council=council_b).exists()

    call_command("rebuild_result_counts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert_rollup_matches(council_b)
    assert AnswerCount.objects.filter(council=council_b).exists()


def test_the_command_names_an_unknown_council(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no council"):
        call_command("rebuild_result_counts", council="nowhere")


def test_the_scorecard_ends_at_the_end_of_a_month(council_a):
    fill(council_a, big=False)
    with pytest.raises(ValueError, match="does not end one"):
        selectors.principles_scorecard(council=council_a, until=date(2026, 6, 15))
