"""The dashboard's figures against data whose answers are known."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from participation.strategy import selectors
from participation.strategy.models import Status, StatusUpdate
from participation.strategy.selectors.common import STATUS_OF_RANK
from tests.conftest import client_for
from tests.participation.strategy.factories import ActionFactory, ObjectiveFactory

TODAY = date(2026, 11, 23)  # in Q3 2026/27; the last quarter ended on 30 September 2026


def history(action, *changes):
    for status, day in changes:
        StatusUpdate.objects.create(
            council=action.council,
            action=action,
            status=status,
            at=timezone.make_aware(datetime(day.year, day.month, day.day, 10)),
        )
        action.status = status
    action.save()
    return action


@pytest.fixture
def plan(manager_a):
    council = manager_a.council
    sp1 = ObjectiveFactory(council=council, code="SP1", order=1)
    sp2 = ObjectiveFactory(council=council, code="SP2", order=2, strategy=sp1.strategy)
    far = date(2027, 3, 31)
    actions = {
        # SP1: one on track, one off track (was on track: moved down), one overdue.
        "a": history(
            ActionFactory(council=council, objective=sp1, due_date=far, team="IRO service"),
            (Status.ON_TRACK, date(2026, 5, 1)),
        ),
        "b": history(
            ActionFactory(council=council, objective=sp1, due_date=far, owner=manager_a),
            (Status.ON_TRACK, date(2026, 5, 1)),
            (Status.OFF_TRACK, date(2026, 10, 20)),
        ),
        "c": history(
            ActionFactory(council=council, objective=sp1, due_date=date(2026, 11, 1)),
            (Status.ON_TRACK, date(2026, 5, 1)),
        ),
        # SP2: completed (moved up from off track), not started and due in 10 days, another
        # off track since before the quarter end (no change).
        "d": history(
            ActionFactory(council=council, objective=sp2, due_date=far),
            (Status.OFF_TRACK, date(2026, 6, 1)),
            (Status.COMPLETED, date(2026, 11, 2)),
        ),
        "e": ActionFactory(council=council, objective=sp2, due_date=TODAY + timedelta(days=10)),
        "f": history(
            ActionFactory(council=council, objective=sp2, due_date=far),
            (Status.OFF_TRACK, date(2026, 8, 1)),
        ),
    }
    return sp1, sp2, actions


def test_counts_by_status_per_objective(plan, manager_a):
    sp1, sp2, _ = plan
    data = selectors.dashboard(
        council=manager_a.council, filters=selectors.ActionFilters(), today=TODAY
    )
    rows = {row["objective__code"]: row for row in data["by_objective"]}
    assert {key: rows["SP1"][key] for key in Status.values} == {
        "not_started": 0,
        "on_track": 1,
        "off_track": 1,
        "overdue": 1,
        "completed": 0,
    }
    assert {key: rows["SP2"][key] for key in Status.values} == {
        "not_started": 1,
        "on_track": 0,
        "off_track": 1,
        "overdue": 0,
        "completed": 1,
    }
    assert data["totals"][Status.OFF_TRACK] == 2
    assert data["total"] == 6
    assert data["overdue_count"] == 1
    assert data["due_soon_count"] == 1
    assert data["since"] == date(2026, 9, 30)
    # c went from on track to overdue, b on track to off track: down. d off track to completed.
    assert data["moved"] == {"up": 1, "down": 2}


def test_overdue_and_due_soon_lists_show_the_first_twenty_of_each_in_due_order(plan, manager_a):
    sp1, _, actions = plan
    council = manager_a.council
    late = [
        ActionFactory(council=council, objective=sp1, due_date=TODAY - timedelta(days=30 - i))
        for i in range(24)
    ]
    soon = [
        ActionFactory(council=council, objective=sp1, due_date=TODAY + timedelta(days=i))
        for i in range(22)
    ]
    data = selectors.dashboard(council=council, filters=selectors.ActionFilters(), today=TODAY)
    assert data["overdue_count"] == 25 and data["due_soon_count"] == 23
    # c is due on 1 November, the same day as late[8], and was made first.
    assert data["overdue"] == [*late[:8], actions["c"], *late[8:19]]
    assert data["due_soon"] == [*soon[:10], actions["e"], *soon[10:19]]


def test_moved_counts_cover_every_change_not_only_the_twenty_listed(plan, manager_a):
    sp1, _, _ = plan
    for _ in range(22):
        history(
            ActionFactory(council=manager_a.council, objective=sp1, due_date=date(2027, 3, 31)),
            (Status.OFF_TRACK, date(2026, 5, 1)),
            (Status.ON_TRACK, date(2026, 10, 20)),
        )
    data = selectors.dashboard(
        council=manager_a.council, filters=selectors.ActionFilters(), today=TODAY
    )
    assert data["moved"] == {"up": 23, "down": 2}
    assert len(data["changed"]) == 20


def test_filters_narrow_every_figure(plan, manager_a):
    data = selectors.dashboard(
        council=manager_a.council, filters=selectors.ActionFilters(owner=manager_a.pk), today=TODAY
    )
    assert data["total"] == 1
    assert data["totals"][Status.OFF_TRACK] == 1
    data = selectors.dashboard(
        council=manager_a.council, filters=selectors.ActionFilters(team="iro service"), today=TODAY
    )
    assert data["total"] == 1
    assert data["moved"] == {"up": 0, "down": 0}


def test_list_behind_each_count_holds_the_same_actions(plan, manager_a):
    sp1, sp2, actions = plan
    council = manager_a.council
    for filters, expected in [
        (selectors.ActionFilters(status=Status.OFF_TRACK), {"b", "f"}),
        (selectors.ActionFilters(objective=sp1.pk, status=Status.OVERDUE), {"c"}),
        (selectors.ActionFilters(due_within=30), {"e"}),
        (selectors.ActionFilters(moved="down"), {"b", "c"}),
        (selectors.ActionFilters(moved="up"), {"d"}),
    ]:
        found = set(selectors.action_list(council=council, filters=filters, today=TODAY))
        assert found == {actions[key] for key in expected}, filters


def test_dashboard_page_links_each_count_to_its_list(manager_a):
    objective = ObjectiveFactory(council=manager_a.council, code="SP7")
    ActionFactory(
        council=manager_a.council,
        objective=objective,
        status=Status.OFF_TRACK,
        due_date=timezone.localdate() + timedelta(days=200),
        title="Amber action",
    )
    client = client_for(manager_a)
    page = client.get(reverse("strategy_dashboard", args=[manager_a.council.slug]))
    text = page.content.decode()
    link = f'/c/{manager_a.council.slug}/strategy/actions/?status=off_track" id="count-off_track"'
    assert link in text
    listed = client.get(f"/c/{manager_a.council.slug}/strategy/actions/?status=off_track")
    assert "Amber action" in listed.content.decode()
    others = client.get(f"/c/{manager_a.council.slug}/strategy/actions/?status=on_track")
    assert "Amber action" not in others.content.decode()


def test_strategy_history_counts_each_quarter_end(manager_a):
    objective = ObjectiveFactory(council=manager_a.council, strategy__period_start=date(2025, 4, 1))
    action = ActionFactory(
        council=manager_a.council, objective=objective, due_date=date(2027, 1, 1)
    )
    action.created_at = timezone.make_aware(datetime(2025, 4, 2))
    action.save()
    history(action, (Status.ON_TRACK, date(2025, 7, 5)), (Status.COMPLETED, date(2025, 10, 5)))
    rows = selectors.strategy_history(strategy=objective.strategy, today=date(2026, 1, 15))
    shown = {row["label"]: dict(row["counts"]) for row in rows}
    assert shown["Q1 2025/26"][Status.NOT_STARTED] == 1
    assert shown["Q2 2025/26"][Status.ON_TRACK] == 1
    assert shown["Q3 2025/26"][Status.COMPLETED] == 1
    assert list(shown) == ["Q1 2025/26", "Q2 2025/26", "Q3 2025/26"]


def test_dashboard_draws_the_stacked_bar_with_its_figures(manager_a):
    objective = ObjectiveFactory(council=manager_a.council, code="SP3")
    far = timezone.localdate() + timedelta(days=200)
    ActionFactory.create_batch(
        2, council=manager_a.council, objective=objective, status=Status.ON_TRACK, due_date=far
    )
    ActionFactory(council=manager_a.council, objective=objective, due_date=far)
    page = client_for(manager_a).get(reverse("strategy_dashboard", args=[manager_a.council.slug]))
    text = page.content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in text
    assert "SP3: Not started 1, On track 2, Off track 0, Overdue 0, Completed 0" in text


def test_draft_strategies_stay_off_the_dashboard_until_active(manager_a):
    from participation.strategy.models import Strategy

    objective = ObjectiveFactory(
        council=manager_a.council, strategy__state=Strategy.State.DRAFT, code="SP9"
    )
    ActionFactory(council=manager_a.council, objective=objective, due_date=TODAY)
    filters = selectors.ActionFilters()
    assert (
        selectors.dashboard(council=manager_a.council, filters=filters, today=TODAY)["total"] == 0
    )
    chosen = selectors.ActionFilters(strategy=objective.strategy_id)
    assert selectors.dashboard(council=manager_a.council, filters=chosen, today=TODAY)["total"] == 1
    objective.strategy.state = Strategy.State.ACTIVE
    objective.strategy.save()
    assert (
        selectors.dashboard(council=manager_a.council, filters=filters, today=TODAY)["total"] == 1
    )


def test_actions_new_since_the_quarter_end_have_not_moved(manager_a):
    # Created (or imported) after 30 September with no earlier history: nothing to compare with.
    action = history(
        ActionFactory(council=manager_a.council, due_date=date(2027, 3, 31)),
        (Status.ON_TRACK, date(2026, 11, 1)),
    )
    assert action.created_at.date() > date(2026, 9, 30)
    data = selectors.dashboard(
        council=manager_a.council, filters=selectors.ActionFilters(), today=TODAY
    )
    assert data["moved"] == {"up": 0, "down": 0}
    moved_up = selectors.ActionFilters(moved="up")
    assert not selectors.action_list(council=manager_a.council, filters=moved_up, today=TODAY)


def test_the_moved_ranks_equal_the_ranks_of_the_statuses_then_and_now(plan, manager_a):
    """`with_moves` (the dashboard's and the list's cheaper shape) ranks exactly as ranking
    `with_status_on`'s status then and the status shown now, on any day: before or after a
    due date, with or without history, completed or not."""
    council = manager_a.council
    _sp1, sp2, _actions = plan
    # Overdue by the quarter's end and never updated; completed after its due date.
    ActionFactory(council=council, objective=sp2, due_date=date(2026, 9, 1))
    history(
        ActionFactory(council=council, objective=sp2, due_date=date(2026, 9, 1)),
        (Status.ON_TRACK, date(2026, 3, 1)),
        (Status.COMPLETED, date(2026, 10, 5)),
    )
    base = selectors.action_list(council=council, filters=selectors.ActionFilters(), today=TODAY)
    for since in (date(2026, 4, 30), date(2026, 9, 30), date(2026, 10, 31), TODAY):
        ranked = selectors.with_status_on(base, since).annotate(
            rank_now=selectors._rank("shown_status"), rank_then=selectors._rank("status_on")
        )
        expected = set(ranked.values_list("pk", "rank_now", "rank_then", "status_on"))
        moved = selectors.with_moves(base, today=TODAY, since=since)
        got = {(a.pk, a.rank_now, a.rank_then, STATUS_OF_RANK[a.rank_then]) for a in moved}
        assert got == expected
        assert len({row[2] for row in got}) > 1  # the dates give different ranks then
