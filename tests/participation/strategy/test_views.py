from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from participation.strategy.models import Action, Objective, Status, StatusUpdate, Strategy
from tests.conftest import client_for
from tests.participation.strategy.factories import (
    ActionFactory,
    ObjectiveFactory,
    StrategyFactory,
)
from tests.querycount import assert_constant_queries


def url(name, council, **kwargs):
    return reverse(name, kwargs={"council_slug": council.slug, **kwargs})


def action_in(council, **kwargs):
    kwargs.setdefault("due_date", timezone.localdate() + timedelta(days=100))
    return ActionFactory(council=council, **kwargs)


# -- Who may do what: a practitioner of A, an admin of A, a member of B --------------------------


def test_practitioner_reads_the_plan_but_cannot_edit(member_a):
    action = action_in(member_a.council)
    client = client_for(member_a)
    for name, kwargs in [
        ("strategy_list", {}),
        ("strategy_dashboard", {}),
        ("action_list", {}),
        ("strategy_detail", {"strategy_id": action.objective.strategy_id}),
        ("objective_detail", {"objective_id": action.objective_id}),
        ("action_detail", {"action_id": action.pk}),
    ]:
        response = client.get(url(name, member_a.council, **kwargs))
        assert response.status_code == 200, name
        assert "Update status" not in response.content.decode()
    for name, kwargs in [
        ("strategy_create", {}),
        ("strategy_edit", {"strategy_id": action.objective.strategy_id}),
        ("objective_create", {"strategy_id": action.objective.strategy_id}),
        ("action_create", {"objective_id": action.objective_id}),
        ("action_edit", {"action_id": action.pk}),
        ("action_archive", {"action_id": action.pk}),
        ("action_status", {"action_id": action.pk}),
        ("evidence_add", {"action_id": action.pk}),
    ]:
        response = client.post(
            url(name, member_a.council, **kwargs), {"title": "Changed", "status": "completed"}
        )
        assert response.status_code == 403, name
    action.refresh_from_db()
    assert action.status == Status.NOT_STARTED
    assert not action.is_archived and action.title != "Changed"
    assert not StatusUpdate.objects.exists()
    assert Strategy.objects.count() == 1


def test_admin_edits_the_plan(admin_a):
    client = client_for(admin_a)
    response = client.post(
        url("strategy_create", admin_a.council),
        {
            "title": "Participation strategy 2026-28",
            "period_start": "2026-04-01",
            "period_end": "31/03/2028",
            "state": "active",
        },
    )
    strategy = Strategy.objects.get()
    assert response.status_code == 302
    response = client.post(
        url("objective_create", admin_a.council, strategy_id=strategy.pk),
        {"code": "SP1", "title": "Raise the strategy's profile", "order": 1},
    )
    objective = Objective.objects.get()
    response = client.post(
        url("action_create", admin_a.council, objective_id=objective.pk),
        {
            "objective": objective.pk,
            "title": "Launch the strategy",
            "owner": admin_a.pk,
            "due_date": "2027-03-31",
        },
    )
    action = Action.objects.get()
    assert response.status_code == 302
    page = client.get(url("strategy_detail", admin_a.council, strategy_id=strategy.pk))
    assert "SP1 Raise the strategy" in page.content.decode()
    page = client.get(url("action_detail", admin_a.council, action_id=action.pk))
    assert "Launch the strategy" in page.content.decode()
    assert action.updates.get().status == Status.NOT_STARTED


def test_member_of_b_cannot_see_or_update_a(member_b, council_a):
    action = action_in(council_a)
    client = client_for(member_b)
    assert client.get(url("action_detail", council_a, action_id=action.pk)).status_code == 404
    response = client.post(
        url("action_status", council_a, action_id=action.pk), {"status": "completed"}
    )
    assert response.status_code == 404
    action.refresh_from_db()
    assert action.status == Status.NOT_STARTED


# -- Form validation -----------------------------------------------------------------------------


def test_strategy_dates_out_of_order_show_an_error(officer_a):
    response = client_for(officer_a).post(
        url("strategy_create", officer_a.council),
        {"title": "", "period_start": "2027-04-01", "period_end": "2026-03-31", "state": "active"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text
    assert "Enter the strategy&#x27;s title." in text
    assert "The end date must be the same as or after the start date." in text
    assert not Strategy.objects.exists()


def test_duplicate_code_shows_an_error(officer_a):
    objective = ObjectiveFactory(council=officer_a.council, code="SP1")
    response = client_for(officer_a).post(
        url("objective_create", officer_a.council, strategy_id=objective.strategy_id),
        {"code": "sp1", "title": "Another", "order": 2},
    )
    assert "already has an objective with the code sp1" in response.content.decode()
    assert Objective.objects.count() == 1


def test_action_due_before_start_and_unowned_show_errors(officer_a):
    objective = ObjectiveFactory(council=officer_a.council)
    response = client_for(officer_a).post(
        url("action_create", officer_a.council, objective_id=objective.pk),
        {
            "objective": objective.pk,
            "title": "Train staff",
            "start_date": "2026-09-01",
            "due_date": "2026-06-01",
        },
    )
    text = response.content.decode()
    assert "The due date must be the same as or after the start date." in text
    assert "Choose the owner, or enter the name of a partner who owns it." in text
    assert not Action.objects.exists()


def test_an_objective_from_another_strategy_cannot_be_chosen(officer_a):
    objective = ObjectiveFactory(council=officer_a.council)
    elsewhere = ObjectiveFactory(council=officer_a.council)
    response = client_for(officer_a).post(
        url("action_create", officer_a.council, objective_id=objective.pk),
        {
            "objective": elsewhere.pk,
            "title": "Train staff",
            "owner_name": "A partner",
            "due_date": "2026-06-01",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Action.objects.exists()


# -- Quick status update -------------------------------------------------------------------------


def test_quick_update_without_javascript_returns_to_the_list(manager_a):
    action = action_in(manager_a.council)
    list_url = url("action_list", manager_a.council) + "?status=not_started"
    response = client_for(manager_a).post(
        url("action_status", manager_a.council, action_id=action.pk),
        {"status": "off_track", "next": list_url},
    )
    assert response.status_code == 302
    assert response["Location"] == list_url
    action.refresh_from_db()
    assert action.status == Status.OFF_TRACK
    assert action.updates.get().author == manager_a.user


def test_quick_update_never_redirects_off_site(manager_a):
    action = action_in(manager_a.council)
    response = client_for(manager_a).post(
        url("action_status", manager_a.council, action_id=action.pk),
        {"status": "on_track", "next": "https://evil.example/"},
    )
    assert response["Location"] == url("action_detail", manager_a.council, action_id=action.pk)


def test_quick_update_with_htmx_returns_the_row(manager_a):
    action = action_in(manager_a.council, title="Run the young inspectors")
    response = client_for(manager_a).post(
        url("action_status", manager_a.council, action_id=action.pk),
        {"status": "completed"},
        headers={"HX-Request": "true"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert text.lstrip().startswith("<tr")
    assert "Completed" in text and "Updated" in text
    action.refresh_from_db()
    assert action.status == Status.COMPLETED


def test_quick_update_with_htmx_shows_the_error_in_the_row(manager_a):
    action = action_in(manager_a.council)
    response = client_for(manager_a).post(
        url("action_status", manager_a.council, action_id=action.pk),
        {"status": "not_started"},
        headers={"HX-Request": "true"},
    )
    assert "The status has not changed." in response.content.decode()
    assert action.updates.count() == 0


def test_unknown_status_word_is_refused(manager_a):
    action = action_in(manager_a.council)
    response = client_for(manager_a).post(
        url("action_status", manager_a.council, action_id=action.pk), {"status": "purple"}
    )
    assert "Choose a status from the key." in response.content.decode()
    action.refresh_from_db()
    assert action.status == Status.NOT_STARTED


def test_owner_who_is_a_practitioner_can_update_their_action(member_a):
    action = action_in(member_a.council, owner=member_a)
    client = client_for(member_a)
    assert (
        "Update status"
        in client.get(url("action_detail", member_a.council, action_id=action.pk)).content.decode()
    )
    client.post(
        url("action_status", member_a.council, action_id=action.pk),
        {"status": "on_track", "commentary": "Booked the venue"},
    )
    action.refresh_from_db()
    assert action.status == Status.ON_TRACK


def test_the_list_says_overdue_explicitly(member_a):
    action_in(
        member_a.council,
        title="Late action",
        due_date=timezone.localdate() - timedelta(days=3),
        status=Status.ON_TRACK,
    )
    text = client_for(member_a).get(url("action_list", member_a.council)).content.decode()
    assert "Overdue" in text
    assert "Last set: On track" in text


def test_archived_actions_leave_the_list(officer_a):
    action = action_in(officer_a.council, title="Old action")
    client = client_for(officer_a)
    client.post(url("action_archive", officer_a.council, action_id=action.pk))
    assert "Old action" not in client.get(url("action_list", officer_a.council)).content.decode()
    archived = client.get(url("action_list", officer_a.council) + "?archived=1")
    assert "Old action" in archived.content.decode()


def test_evidence_link(manager_a):
    action = action_in(manager_a.council)
    client = client_for(manager_a)
    response = client.post(
        url("evidence_add", manager_a.council, action_id=action.pk),
        {"description": "Launch event report", "url": "not a web address"},
    )
    assert "Enter a web address" in response.content.decode()
    assert not action.evidence.exists()
    client.post(
        url("evidence_add", manager_a.council, action_id=action.pk),
        {"description": "Launch event report", "url": "https://intranet.example/launch"},
    )
    page = client.get(url("action_detail", manager_a.council, action_id=action.pk))
    assert "Launch event report" in page.content.decode()


def test_evidence_can_point_at_any_council_record(manager_a, council_b):
    from django.core.exceptions import ValidationError

    from participation.strategy import services
    from tests.factories import ForumFactory

    action = action_in(manager_a.council)
    forum = ForumFactory(council=manager_a.council)
    link = services.evidence_add(
        action=action, actor=manager_a.user, description="CiCC asked for this", record=forum
    )
    assert link.record == forum
    with pytest.raises(ValidationError):
        services.evidence_add(
            action=action,
            actor=manager_a.user,
            description="Other council",
            record=ForumFactory(council=council_b),
        )
    assert action.evidence.count() == 1


def test_archive_a_strategy_asks_first(officer_a):
    strategy = StrategyFactory(council=officer_a.council, title="Old strategy")
    client = client_for(officer_a)
    page = client.get(url("strategy_archive", officer_a.council, strategy_id=strategy.pk))
    assert "Archive Old strategy?" in page.content.decode()
    strategy.refresh_from_db()
    assert strategy.state == Strategy.State.ACTIVE
    response = client.post(
        url("strategy_archive", officer_a.council, strategy_id=strategy.pk), follow=True
    )
    assert "Old strategy archived" in response.content.decode()
    strategy.refresh_from_db()
    assert strategy.state == Strategy.State.ARCHIVED
    assert (
        "Old strategy" not in client.get(url("strategy_list", officer_a.council)).content.decode()
    )


def test_quarter_dates_are_set_in_the_council_settings(officer_a, admin_a):
    settings_link = f'href="{reverse("council_settings", args=[admin_a.council.slug])}"'
    assert (
        settings_link
        in client_for(admin_a).get(url("strategy_list", admin_a.council)).content.decode()
    )
    officer_page = (
        client_for(officer_a).get(url("strategy_list", officer_a.council)).content.decode()
    )
    assert settings_link not in officer_page


def test_indicator_value_must_be_a_quarter_end(manager_a):
    from tests.participation.strategy.factories import IndicatorFactory

    indicator = IndicatorFactory(council=manager_a.council, strategy__period_start=date(2025, 4, 1))
    client = client_for(manager_a)
    response = client.post(
        url("indicator_record", manager_a.council, indicator_id=indicator.pk),
        {"quarter_end": "2025-06-15", "value": "361"},
    )
    assert "Choose a quarter" in response.content.decode()
    client.post(
        url("indicator_record", manager_a.council, indicator_id=indicator.pk),
        {"quarter_end": "2025-06-30", "value": "361"},
    )
    assert indicator.values.get().value == 361


# -- Query counts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["action_list", "strategy_dashboard", "strategy_list", "action_export"]
)
def test_lists_query_count_is_constant(name, manager_a):
    council = manager_a.council
    objective = ObjectiveFactory(council=council)
    owner = manager_a
    today = timezone.localdate()

    def grow(n):
        for i in range(n):
            strategy_objective = objective if i % 2 else ObjectiveFactory(council=council)
            action = ActionFactory(
                council=council,
                objective=strategy_objective,
                owner=owner,
                due_date=today + timedelta(days=i - 3),
                team=f"Team {i % 3}",
            )
            StatusUpdate.objects.create(council=council, action=action, status=Status.ON_TRACK)

    client = client_for(manager_a)
    assert_constant_queries(lambda: client.get(url(name, council)), grow=grow)


def test_objective_and_strategy_pages_query_count_is_constant(manager_a):
    objective = ObjectiveFactory(council=manager_a.council)
    client = client_for(manager_a)
    for page in (
        url("objective_detail", manager_a.council, objective_id=objective.pk),
        url("strategy_detail", manager_a.council, strategy_id=objective.strategy_id),
    ):
        assert_constant_queries(
            lambda page=page: client.get(page),
            grow=lambda n: ActionFactory.create_batch(
                n, council=manager_a.council, objective=objective
            ),
        )


def test_indicator_shows_value_against_target_with_its_trend(member_a):
    from participation.strategy.models import IndicatorValue
    from tests.participation.strategy.factories import IndicatorFactory

    indicator = IndicatorFactory(
        council=member_a.council, title="Staff trained", unit="staff", target=668
    )
    for end, value in ((date(2026, 6, 30), 244), (date(2026, 9, 30), 361)):
        IndicatorValue.objects.create(
            council=member_a.council, indicator=indicator, quarter_end=end, value=value
        )
    page = client_for(member_a).get(
        url("strategy_detail", member_a.council, strategy_id=indicator.strategy_id)
    )
    text = page.content.decode()
    assert "361 staff" in text and "668 staff" in text
    assert "Q1 2026/27: 244; Q2 2026/27: 361; Target: 668" in text


def test_quick_update_of_an_archived_action_with_htmx(manager_a):
    action = action_in(manager_a.council, is_archived=True)
    response = client_for(manager_a).post(
        url("action_status", manager_a.council, action_id=action.pk),
        {"status": "completed"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Completed" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "?due_within=999999999999",
        "?strategy=99999999999999999999999&owner=-1",
        "?objective=abc&status=purple&moved=sideways",
        "?team=" + "x" * 500 + "&q=%00",
        "?page=999",
    ],
)
def test_malformed_filters_are_ignored_not_errors(query, member_a):
    action_in(member_a.council, title="Visible action")
    client = client_for(member_a)
    for name in ("action_list", "strategy_dashboard", "action_export"):
        response = client.get(url(name, member_a.council) + query)
        assert response.status_code == 200, (name, query)
