from datetime import date

import factory

from participation.strategy.models import Action, Indicator, Objective, Strategy
from tests.factories import CouncilFactory


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strategy

    council = factory.SubFactory(CouncilFactory)
    title = factory.Sequence(lambda n: f"Participation strategy {n}")
    period_start = date(2026, 4, 1)
    period_end = date(2028, 3, 31)


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    council = factory.SubFactory(CouncilFactory)
    strategy = factory.SubFactory(StrategyFactory, council=factory.SelfAttribute("..council"))
    code = factory.Sequence(lambda n: f"SP{n}")
    title = factory.Sequence(lambda n: f"Priority {n}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    council = factory.SubFactory(CouncilFactory)
    objective = factory.SubFactory(ObjectiveFactory, council=factory.SelfAttribute("..council"))
    title = factory.Sequence(lambda n: f"Action {n}")
    due_date = date(2027, 3, 31)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    council = factory.SubFactory(CouncilFactory)
    strategy = factory.SubFactory(StrategyFactory, council=factory.SelfAttribute("..council"))
    title = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "staff"
    target = 668
