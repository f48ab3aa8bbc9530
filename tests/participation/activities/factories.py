import datetime

import factory

from participation.activities.models import (
    Activity,
    ActivityKind,
    LadderRung,
    Participation,
    ParticipationType,
    ServiceArea,
    YoungPerson,
)
from tests.factories import CouncilFactory


class ActivityKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityKind
        # Every council already has the standard ones: a test naming one gets that one.
        django_get_or_create = ("council", "name")

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"Kind {n}")


class ServiceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceArea
        # Every council already has the standard ones: a test naming one gets that one.
        django_get_or_create = ("council", "name")

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"Service area {n}")


class YoungPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YoungPerson

    council = factory.SubFactory(CouncilFactory)
    preferred_name = factory.Sequence(lambda n: f"Young person {n}")
    reference = factory.Sequence(lambda n: f"YP-{n:05d}")
    age_band = "13_15"


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    council = factory.SubFactory(CouncilFactory)
    title = factory.Sequence(lambda n: f"Activity {n}")
    starts_on = datetime.date(2026, 5, 12)
    status = Activity.Status.DONE
    kind = factory.LazyAttribute(lambda o: ActivityKindFactory(council=o.council))
    participation_type = ParticipationType.CONSULTATION
    ladder_rung = LadderRung.CONSULTED_INFORMED


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    activity = factory.SubFactory(ActivityFactory)
    council = factory.LazyAttribute(lambda o: o.activity.council)
    young_person = factory.LazyAttribute(lambda o: YoungPersonFactory(council=o.activity.council))
