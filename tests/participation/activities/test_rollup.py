"""The participation rollup the database keeps: always what counting the participations gives."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction

from participation import rls
from participation.activities import rollup, selectors, services
from participation.activities.models import Activity, Participation, ParticipationMonth
from participation.quarters import Quarter
from tests.factories import MembershipFactory
from tests.participation.activities.factories import (
    ActivityFactory,
    ParticipationFactory,
    YoungPersonFactory,
)

pytestmark = pytest.mark.django_db

MAY, JULY = datetime.date(2026, 5, 12), datetime.date(2026, 7, 3)


def _in_step(council) -> set:
    kept = rollup.kept_months(council=council)
    assert kept == rollup.live_months(council=council)
    return kept


def test_every_kind_of_write_keeps_the_rollup_equal_to_the_participations(council_a, council_b):
    sam, alex = YoungPersonFactory(council=council_a), YoungPersonFactory(council=council_a)
    talk = ActivityFactory(council=council_a, starts_on=MAY)
    ParticipationFactory(activity=talk, young_person=sam)
    ParticipationFactory(activity=talk, young_person=alex)
    again = ActivityFactory(council=council_a, starts_on=datetime.date(2026, 5, 20))
    ParticipationFactory(activity=again, young_person=sam)
    assert _in_step(council_a) == {
        (datetime.date(2026, 5, 1), sam.pk, 2),
        (datetime.date(2026, 5, 1), alex.pk, 1),
    }
    # An activity moved to another month takes its people with it.
    again.starts_on = JULY
    again.save()
    assert (datetime.date(2026, 7, 1), sam.pk, 1) in _in_step(council_a)
    # Not done any more: out; done again: back.
    talk.status = Activity.Status.PLANNED
    talk.save()
    assert {row[1] for row in _in_step(council_a) if row[0].month == 5} == set()
    talk.status = Activity.Status.DONE
    talk.save()
    _in_step(council_a)
    # A participation removed, one moved to another young person, many added at once.
    Participation.objects.get(activity=talk, young_person=alex).delete()
    _in_step(council_a)
    link = Participation.objects.get(activity=talk, young_person=sam)
    link.young_person = alex
    link.save()
    _in_step(council_a)
    Participation.objects.bulk_create(
        Participation(council=council_a, activity=talk, young_person=person)
        for person in YoungPersonFactory.create_batch(3, council=council_a)
    )
    _in_step(council_a)
    # Deleting the activity (the page's service) and erasing a person take their rows away.
    services.activity_delete(activity=again, actor=MembershipFactory(council=council_a).user)
    _in_step(council_a)
    sam.delete()
    alex.delete()
    assert _in_step(council_a)
    # The other council's rollup was never touched.
    assert not ParticipationMonth.objects.filter(council=council_b).exists()


def test_a_write_rolled_back_leaves_the_rollup_as_it_was(council_a):
    activity = ActivityFactory(council=council_a)
    ParticipationFactory(activity=activity)
    before = _in_step(council_a)
    with pytest.raises(RuntimeError), transaction.atomic():
        ParticipationFactory(activity=activity)
        raise RuntimeError
    assert _in_step(council_a) == before


def test_rebuilding_gives_what_the_triggers_kept(council_a, council_b):
    for council in (council_a, council_b):
        activity = ActivityFactory(council=council)
        ParticipationFactory.create_batch(3, activity=activity)
    kept = rollup.kept_months(council=council_a)
    assert rollup.rebuild(council=council_a) == 3
    assert rollup.kept_months(council=council_a) == kept
    assert len(rollup.kept_months(council=council_b)) == 3


def test_the_rebuild_command_rebuilds_the_participation_rollup_too(council_a, council_b):
    for council in (council_a, council_b):
        activity = ActivityFactory(council=council)
        ParticipationFactory.create_batch(2, activity=activity)
    kept_a, kept_b = rollup.kept_months(council=council_a), rollup.kept_months(council=council_b)
    # Rows lost past the triggers (a dump restored without them): the pages would undercount.
    ParticipationMonth.objects.filter(council__in=[council_a, council_b]).delete()

    call_command("rebuild_result_counts", council=council_a.slug, stdout=io.StringIO())
    assert rollup.kept_months(council=council_a) == kept_a == rollup.live_months(council=council_a)
    assert not ParticipationMonth.objects.filter(council=council_b).exists()

    out = io.StringIO()
    call_command("rebuild_result_counts", stdout=out)
    assert rollup.kept_months(council=council_b) == kept_b
    assert rollup.kept_months(council=council_a) == kept_a
    assert "participation" in out.getvalue()


def test_a_council_sees_only_its_own_rollup_rows(council_a, council_b):
    ParticipationFactory(activity=ActivityFactory(council=council_b))
    with rls.council_scope(council_a):
        assert not ParticipationMonth.objects.exists()
    with rls.council_scope(council_b):
        assert ParticipationMonth.objects.count() == 1


def _figures(council, quarter):
    found = selectors.reach(council=council, quarter=quarter)
    quarters = selectors.participation_by_quarter(council=council)
    return (
        found.total,
        found.unique,
        [
            [(row.label, row.count, row.shown, row.percent) for row in rows]
            for rows in (
                found.by_cohort,
                found.by_age_band,
                found.by_gender,
                found.by_ethnicity,
                found.by_disability,
            )
        ],
        [(q.quarter, q.total, q.unique) for q in quarters],
    )


def test_reach_and_the_quarters_count_the_same_from_the_rollup_as_from_the_participations(
    council_a, monkeypatch
):
    quarter = Quarter.containing(MAY, year_starts=council_a.year_starts)
    people = [
        YoungPersonFactory(council=council_a, in_care=i % 2 == 0, gender="girl" if i < 3 else "")
        for i in range(9)
    ]
    for day, count in ((MAY, 9), (datetime.date(2026, 6, 30), 4), (JULY, 2)):
        activity = ActivityFactory(council=council_a, starts_on=day)
        for person in people[:count]:
            ParticipationFactory(activity=activity, young_person=person)
    ActivityFactory(council=council_a, starts_on=MAY, status=Activity.Status.PLANNED)
    from_rollup = _figures(council_a, quarter)
    assert from_rollup[:2] == (13, 9)
    monkeypatch.setattr(rollup, "kept_by_triggers", lambda using=None: False)
    assert _figures(council_a, quarter) == from_rollup
