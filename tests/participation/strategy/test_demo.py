from collections import Counter

from participation.strategy import demo
from participation.strategy.models import Action, Status, Strategy


def test_demo_plans_load_twice_without_duplicates(officer_a, manager_a):
    demo.load(officer_a.council)
    demo.load(officer_a.council)
    sandwell = Strategy.objects.get(title="Participation Strategy and Action Plan")
    actions = Action.objects.filter(objective__strategy=sandwell)
    assert actions.count() == 14
    assert Counter(actions.values_list("status", flat=True)) == {
        Status.ON_TRACK: 12,
        Status.OFF_TRACK: 2,
    }
    # The documents' plans are live: none of Sandwell's actions has passed its due date.
    assert not [action for action in actions if action.is_overdue()]
    assert actions.filter(owner=officer_a).count() == 9
    dudley = Strategy.objects.get(title="Active Involvement Strategy: Delivery Plan")
    assert Action.objects.filter(objective__strategy=dudley).count() == 15
    assert dudley.indicators.count() == 2
    # Every update is kept; each action has its own history.
    assert all(action.updates.exists() for action in actions)
