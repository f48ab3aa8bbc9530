"""Every list, detail and dashboard page: a fixed number of queries at 10 and at 1,000 rows of
what it shows, and no more than the page's budget.

The budget is 12 queries. Pages over it are listed in OVER_BUDGET with the reason, so the test
still fails if they grow further. Rows go in with bulk_create: the test is about query counts,
and 1,000 rows through the services would make it slow.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from feedback import rollup
from feedback.models import Answer, Question, Response, SafeguardingAlert
from forums.models import Forum, ForumMember
from participation.activities.models import Activity, Participation, YoungPerson
from participation.strategy.models import Action, StatusUpdate
from tests.conftest import client_for
from tests.factories import ForumFactory
from tests.feedback.factories import make_form
from tests.participation.activities.factories import (
    ActivityFactory,
    ActivityKindFactory,
    YoungPersonFactory,
)
from tests.participation.strategy.factories import ObjectiveFactory
from tests.querycount import assert_constant_queries

BUDGET = 12
# Pages over the budget today, with the count they must not pass. Each is explained in
# docs/scaling.md ("Query budgets").
OVER_BUDGET: dict[str, int] = {}

_serial = iter(range(10**9))


def _people(council, n):
    start = next(_serial) * 10_000
    return YoungPerson.objects.bulk_create(
        YoungPerson(council=council, preferred_name=f"P{start + i}", reference=f"B{start + i}")
        for i in range(n)
    )


def _activities(council, n, *, on=None):
    kind = ActivityKindFactory(council=council)
    return Activity.objects.bulk_create(
        Activity(
            council=council,
            title=f"Activity {i}",
            starts_on=on or timezone.localdate(),
            kind=kind,
            participation_type="consultation",
            ladder_rung=5,
        )
        for i in range(n)
    )


def _take_part(council, activities, people):
    Participation.objects.bulk_create(
        Participation(council=council, activity=a, young_person=p)
        for a, p in zip(activities, people, strict=True)
    )


def _responses(form, n):
    questions = list(form.live_version.questions.order_by("position"))
    start = next(_serial) * 10_000
    responses = Response.objects.bulk_create(
        Response(
            council_id=form.council_id,
            form=form,
            version=form.live_version,
            submission_key=f"budget{start + i}",
            submitted_at=timezone.now() - timedelta(days=i % 60),
        )
        for i in range(n)
    )
    answers = []
    for response in responses:
        for q in questions:
            if q.kind == Question.Kind.FACES:
                values = {"number": 4}
            elif q.kind == Question.Kind.YES_NO:
                values = {"choices": ["Yes"]}
            elif q.kind == Question.Kind.MULTIPLE:
                values = {"choices": ["Mum", "Friends"]}
            else:
                values = {"text": "Things at school are hard"}
            answers.append(
                Answer(council_id=form.council_id, response=response, question=q, **values)
            )
    Answer.objects.bulk_create(answers)
    # Past the services, so the results rollup is recounted (as generate_scale does).
    rollup.rebuild(council_id=form.council_id)
    return responses


def page_council_home(c):
    return f"/c/{c.slug}/", lambda n: _activities(c, n)


def page_activity_list(c):
    def grow(n):
        _take_part(c, _activities(c, n), _people(c, n))

    return f"/c/{c.slug}/activities/", grow


def page_activity_detail(c):
    activity = ActivityFactory(council=c)
    return f"/c/{c.slug}/activities/{activity.pk}/", lambda n: _take_part(
        c, [activity] * n, _people(c, n)
    )


def page_young_person_list(c):
    def grow(n):
        _take_part(c, _activities(c, n), _people(c, n))

    return f"/c/{c.slug}/young-people/", grow


def page_young_person_detail(c):
    person = YoungPersonFactory(council=c)
    return f"/c/{c.slug}/young-people/{person.pk}/", lambda n: _take_part(
        c, _activities(c, n), [person] * n
    )


def page_reach(c):
    def grow(n):
        _take_part(c, _activities(c, n), _people(c, n))

    return f"/c/{c.slug}/reach/", grow


def page_feedback_results(c):
    form = make_form(c)
    return f"/c/{c.slug}/feedback/{form.pk}/results/", lambda n: _responses(form, n)


def page_feedback_text_answers(c):
    form = make_form(c)
    return f"/c/{c.slug}/feedback/{form.pk}/answers/", lambda n: _responses(form, n)


def page_feedback_scorecard(c):
    form = make_form(
        c, questions=[{"kind": "faces", "text": "Listened to?", "principle": "listened"}]
    )
    return f"/c/{c.slug}/feedback/scorecard/", lambda n: _responses(form, n)


def page_alert_list(c):
    form = make_form(c)

    def grow(n):
        SafeguardingAlert.objects.bulk_create(
            SafeguardingAlert(council=c, response=r, reason=SafeguardingAlert.Reason.ASKED)
            for r in _responses(form, n)
        )

    return f"/c/{c.slug}/feedback/alerts/?status=all", grow


def page_forum_list(c):
    def grow(n):
        start = next(_serial) * 10_000
        Forum.objects.bulk_create(
            Forum(council=c, name=f"Forum {start + i}", audience="young_people") for i in range(n)
        )

    return f"/c/{c.slug}/forums/", grow


def page_forum_detail(c):
    forum = ForumFactory(council=c)

    def grow(n):
        ForumMember.objects.bulk_create(
            ForumMember(council=c, forum=forum, young_person=p, joined_on=timezone.localdate())
            for p in _people(c, n)
        )

    return f"/c/{c.slug}/forums/{forum.pk}/", grow


def _plan_grow(c):
    objective = ObjectiveFactory(council=c)

    def grow(n):
        actions = Action.objects.bulk_create(
            Action(
                council=c,
                objective=objective,
                title=f"Action {i}",
                due_date=timezone.localdate() + timedelta(days=i % 300),
                status="green",
            )
            for i in range(n)
        )
        StatusUpdate.objects.bulk_create(
            StatusUpdate(council=c, action=a, status="amber", at=timezone.now()) for a in actions
        )

    return grow


def page_strategy_dashboard(c):
    return f"/c/{c.slug}/strategy/dashboard/", _plan_grow(c)


def page_action_list(c):
    return f"/c/{c.slug}/strategy/actions/", _plan_grow(c)


PAGES = {
    name.removeprefix("page_"): fn for name, fn in globals().items() if name.startswith("page_")
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_queries_are_fixed_and_within_budget(page, council_a, admin_a, council_b, admin_b):
    # Another council's rows grow alongside, so a page that forgets the council shows it too.
    url, grow = PAGES[page](council_a)
    _, grow_other = PAGES[page](council_b)
    client = client_for(admin_a)
    client.get(url)  # warm up: first-request work (sessions, caches) is not the page's

    def grow_both(n):
        grow(n)
        grow_other(n)

    count = assert_constant_queries(lambda: client.get(url), grow=grow_both, sizes=(10, 1000))
    assert count <= OVER_BUDGET.get(page, BUDGET), f"{page}: {count} queries"
