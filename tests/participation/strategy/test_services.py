from datetime import date

import pytest
from django.core.exceptions import ValidationError

from participation.strategy import services
from participation.strategy.models import Action, Objective, Strategy
from tests.participation.strategy.factories import ObjectiveFactory, StrategyFactory


def test_strategy_dates_out_of_order_are_refused(officer_a):
    with pytest.raises(ValidationError) as error:
        services.strategy_create(
            council=officer_a.council,
            actor=officer_a.user,
            title="Participation strategy",
            period_start=date(2027, 4, 1),
            period_end=date(2026, 3, 31),
        )
    assert "end date must be the same as or after the start" in str(error.value)
    assert not Strategy.objects.exists()


def test_empty_title_is_refused(officer_a):
    with pytest.raises(ValidationError) as error:
        services.strategy_create(
            council=officer_a.council,
            actor=officer_a.user,
            title="   ",
            period_start=date(2026, 4, 1),
            period_end=date(2027, 3, 31),
        )
    assert "Enter the strategy's title" in str(error.value)
    assert not Strategy.objects.exists()


def test_duplicate_objective_code_within_a_strategy_is_refused(officer_a):
    strategy = StrategyFactory(council=officer_a.council)
    ObjectiveFactory(council=officer_a.council, strategy=strategy, code="SP1")
    with pytest.raises(ValidationError) as error:
        services.objective_create(strategy=strategy, actor=officer_a.user, code="sp1", title="X")
    assert "already has an objective with the code" in str(error.value)
    assert Objective.objects.count() == 1
    # The same code in another strategy is fine.
    other = StrategyFactory(council=officer_a.council)
    services.objective_create(strategy=other, actor=officer_a.user, code="SP1", title="X")


def test_due_date_before_start_is_refused(officer_a):
    objective = ObjectiveFactory(council=officer_a.council)
    with pytest.raises(ValidationError) as error:
        services.action_create(
            council=officer_a.council,
            actor=officer_a.user,
            objective=objective,
            title="Train staff",
            start_date=date(2026, 9, 1),
            due_date=date(2026, 6, 1),
        )
    assert "due date must be the same as or after the start date" in str(error.value)
    assert not Action.objects.exists()


def test_owner_from_another_council_is_refused(officer_a, member_b):
    objective = ObjectiveFactory(council=officer_a.council)
    with pytest.raises(ValidationError):
        services.action_create(
            council=officer_a.council,
            actor=officer_a.user,
            objective=objective,
            title="Train staff",
            owner=member_b,
            due_date=date(2026, 6, 1),
        )
    assert not Action.objects.exists()


def test_action_without_an_owner_or_partner_is_refused(officer_a):
    objective = ObjectiveFactory(council=officer_a.council)
    with pytest.raises(ValidationError) as error:
        services.action_create(
            council=officer_a.council,
            actor=officer_a.user,
            objective=objective,
            title="Train staff",
            owner_name="   ",
            due_date=date(2026, 6, 1),
        )
    assert "Choose the owner, or enter the name of a partner who owns it." in str(error.value)
    assert not Action.objects.exists()


def test_action_owned_by_a_partner_is_accepted(officer_a):
    objective = ObjectiveFactory(council=officer_a.council)
    action = services.action_create(
        council=officer_a.council,
        actor=officer_a.user,
        objective=objective,
        title="Train staff",
        owner_name="Leah Barton",
        owner_organisation="Leaving Care",
        due_date=date(2026, 6, 1),
    )
    assert action.owner_display == "Leah Barton, Leaving Care"


def test_removing_the_owner_of_an_action_is_refused(officer_a):
    objective = ObjectiveFactory(council=officer_a.council)
    action = services.action_create(
        council=officer_a.council,
        actor=officer_a.user,
        objective=objective,
        title="Train staff",
        owner=officer_a,
        due_date=date(2026, 6, 1),
    )
    with pytest.raises(ValidationError) as error:
        services.action_update(action=action, actor=officer_a.user, owner=None, owner_name="")
    assert "Choose the owner, or enter the name of a partner who owns it." in str(error.value)
    action = Action.objects.get(pk=action.pk)
    assert action.owner == officer_a
    assert action.owner_name == ""
