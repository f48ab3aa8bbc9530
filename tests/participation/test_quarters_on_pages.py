"""Every page that shows quarters shows the council's own: a council whose year starts in January
and one whose year starts in April name the same days differently, and each names them the same
way on every page (reach, young people's records, the action plan, indicators, the dashboard,
the feedback scorecard)."""

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback import rollup
from feedback.models import Question, Response
from participation.models import Membership
from participation.strategy.models import Action, IndicatorValue, Strategy
from tests.conftest import client_for
from tests.factories import CouncilFactory, MembershipFactory
from tests.feedback.factories import K, make_form, submit
from tests.participation.activities.factories import (
    ActivityFactory,
    ParticipationFactory,
    YoungPersonFactory,
)
from tests.participation.strategy.factories import (
    ActionFactory,
    IndicatorFactory,
    StrategyFactory,
)

DAY = date(2026, 2, 15)
# Written out by hand rather than computed by the module under test.
EXPECTED = {
    1: {
        "short": "Q1 2026",
        "long": "Q1 2026 (Jan to Mar 2026)",
        "previous": "Q4 2025",
        "next": "Q2 2026",
    },
    4: {
        "short": "Q4 2025/26",
        "long": "Q4 2025/26 (Jan to Mar 2026)",
        "previous": "Q3 2025/26",
        "next": "Q1 2026/27",
    },
}
# A label in the other council's style: January councils never name a year "2025/26", and
# April councils always do.
WRONG_STYLE = {1: re.compile(r"Q[1-4] \d{4}/\d{2}"), 4: re.compile(r"Q[1-4] \d{4}(?![/\d])")}


def label_for(day: date, year_starts: int) -> str:
    """The label by the councils' own rule, worked out independently of participation.quarters."""
    if year_starts == 1:
        return f"Q{(day.month - 1) // 3 + 1} {day.year}"
    first = day.year if day.month >= 4 else day.year - 1
    return f"Q{(day.month - 4) % 12 // 3 + 1} {first}/{(first + 1) % 100:02d}"


def _council_with_history(year_starts: int):
    council = CouncilFactory(year_starts=year_starts)
    admin = MembershipFactory(council=council, role=Membership.Role.COUNCIL_ADMIN)
    person = YoungPersonFactory(council=council)
    activity = ActivityFactory(council=council, starts_on=DAY)
    ParticipationFactory(council=council, activity=activity, young_person=person)
    # Something taking part this quarter too, for the young people's quarter-by-quarter table.
    ParticipationFactory(
        council=council,
        activity=ActivityFactory(council=council, starts_on=timezone.localdate()),
        young_person=person,
    )
    strategy = StrategyFactory(
        council=council,
        period_start=date(2025, 10, 1),
        period_end=date(2027, 9, 30),
        state=Strategy.State.ACTIVE,
    )
    action = ActionFactory(council=council, objective__strategy=strategy)
    Action.objects.filter(pk=action.pk).update(
        created_at=timezone.make_aware(datetime(2025, 11, 1, 12))
    )
    indicator = IndicatorFactory(council=council, strategy=strategy)
    IndicatorValue.objects.create(
        council=council, indicator=indicator, quarter_end=date(2026, 3, 31), value=300
    )
    principle = [
        {"kind": K.FACES, "text": "I am listened to.", "principle": Question.Principle.LISTENED}
    ]
    form = make_form(council, questions=principle)
    response = submit(form, {0: "4"})
    Response.objects.filter(pk=response.pk).update(
        submitted_at=timezone.make_aware(datetime.combine(DAY, time(10)))
    )
    rollup.rebuild(council_id=council.pk)  # the day was moved past the services
    return council, admin, person, strategy, indicator


@pytest.mark.parametrize("year_starts", [1, 4])
def test_every_page_names_quarters_by_the_council_year_start(db, year_starts):
    council, admin, person, strategy, indicator = _council_with_history(year_starts)
    client = client_for(admin)
    expected = EXPECTED[year_starts]
    today = timezone.localdate()
    this_quarter = label_for(today, year_starts)
    calendar_quarter_start = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    last_quarter = label_for(calendar_quarter_start - timedelta(days=1), year_starts)

    def page(name, query="", **kwargs):
        path = reverse(name, kwargs={"council_slug": council.slug, **kwargs}) + query
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        wrong = WRONG_STYLE[year_starts].findall(html)
        assert not wrong, f"{path} shows {wrong} for a council starting in month {year_starts}"
        return html

    reach = page("reach", f"?quarter={DAY}")
    assert expected["long"] in reach
    assert expected["previous"] in reach and expected["next"] in reach
    assert expected["long"] in page("cohort_sizes", f"?quarter={DAY}")

    assert expected["short"] in page("young_person_detail", young_person_id=person.pk)
    assert this_quarter in page("young_person_list")

    detail = page("strategy_detail", strategy_id=strategy.pk)
    history = detail[detail.index("Status at each quarter") :]
    assert expected["short"] in history  # the quarter ending 31 March 2026
    indicators = detail[detail.index("Indicators against target") :]
    assert expected["short"] in indicators
    assert expected["short"] in page("indicator_record", indicator_id=indicator.pk)

    dashboard = page("strategy_dashboard")
    assert f"Changes since the end of {last_quarter}" in dashboard
    assert expected["short"] in dashboard  # the indicator's value
    assert f"Since the end of {last_quarter}" in page("action_list")

    scorecard = page("feedback_scorecard")
    assert re.search(rf">{re.escape(expected['short'])}</th>", scorecard)
