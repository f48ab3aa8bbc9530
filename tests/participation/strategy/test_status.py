"""Overdue is derived, and the status on any past date is read back from the history."""

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from participation.strategy import selectors, services
from participation.strategy.models import Action, Status, StatusUpdate
from tests.participation.strategy.factories import ActionFactory


def at(day: date, hour=12):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def set_status(action, status, day, author=None):
    StatusUpdate.objects.create(
        council=action.council, action=action, status=status, at=at(day), author=author
    )
    action.status = status
    action.save()


@pytest.mark.django_db
def test_past_due_and_not_completed_shows_overdue_whatever_was_set():
    action = ActionFactory(due_date=date(2026, 6, 30), status=Status.ON_TRACK)
    assert action.shown_status(date(2026, 6, 30)) == Status.ON_TRACK
    assert action.shown_status(date(2026, 7, 1)) == Status.OVERDUE
    action.status = Status.COMPLETED
    assert action.shown_status(date(2026, 7, 1)) == Status.COMPLETED


@pytest.mark.django_db
def test_list_annotation_agrees_with_the_model():
    late = ActionFactory(due_date=date(2026, 1, 1), status=Status.OFF_TRACK)
    done = ActionFactory(due_date=date(2026, 1, 1), status=Status.COMPLETED, council=late.council)
    shown = dict(
        Action.objects.annotate(s=selectors.shown_status_expression(date(2026, 5, 1)))
        .filter(council=late.council)
        .values_list("pk", "s")
    )
    assert shown == {late.pk: Status.OVERDUE, done.pk: Status.COMPLETED}


@pytest.mark.django_db
def test_status_at_each_quarter_end_is_read_from_history():
    action = ActionFactory(due_date=date(2027, 3, 31))
    set_status(action, Status.ON_TRACK, date(2026, 5, 2))
    set_status(action, Status.OFF_TRACK, date(2026, 8, 15))
    set_status(action, Status.ON_TRACK, date(2026, 9, 30))  # the last day still counts
    set_status(action, Status.COMPLETED, date(2027, 2, 1))
    assert selectors.status_of(action, on=date(2026, 3, 31)) == Status.NOT_STARTED
    assert selectors.status_of(action, on=date(2026, 6, 30)) == Status.ON_TRACK
    assert selectors.status_of(action, on=date(2026, 8, 31)) == Status.OFF_TRACK
    assert selectors.status_of(action, on=date(2026, 9, 30)) == Status.ON_TRACK
    assert selectors.status_of(action, on=date(2027, 3, 31)) == Status.COMPLETED


@pytest.mark.django_db
def test_status_at_a_date_after_the_due_date_is_overdue_unless_completed_by_then():
    action = ActionFactory(due_date=date(2026, 6, 1))
    set_status(action, Status.ON_TRACK, date(2026, 5, 1))
    set_status(action, Status.COMPLETED, date(2026, 8, 1))
    assert selectors.status_of(action, on=date(2026, 6, 30)) == Status.OVERDUE
    assert selectors.status_of(action, on=date(2026, 9, 30)) == Status.COMPLETED


@pytest.mark.django_db
def test_update_keeps_every_change(manager_a):
    action = services.action_create(
        council=manager_a.council,
        actor=manager_a.user,
        objective=ActionFactory(council=manager_a.council).objective,
        title="Launch the strategy",
        owner=manager_a,
        due_date=date(2027, 3, 31),
    )
    services.action_update_status(
        action=action, membership=manager_a, status=Status.ON_TRACK, commentary="Launch booked"
    )
    services.action_update_status(action=action, membership=manager_a, status=Status.OFF_TRACK)
    history = list(action.updates.values_list("status", "commentary"))
    assert history == [
        (Status.OFF_TRACK, ""),
        (Status.ON_TRACK, "Launch booked"),
        (Status.NOT_STARTED, ""),
    ]
    action.refresh_from_db()
    assert action.status == Status.OFF_TRACK


@pytest.mark.django_db
def test_practitioner_who_does_not_own_it_cannot_update(member_a):
    action = ActionFactory(council=member_a.council)
    with pytest.raises(ValidationError):
        services.action_update_status(action=action, membership=member_a, status=Status.ON_TRACK)
    assert not action.updates.exists()
    action.refresh_from_db()
    assert action.status == Status.NOT_STARTED


@pytest.mark.django_db
def test_practitioner_who_owns_it_can_update(member_a):
    action = ActionFactory(council=member_a.council, owner=member_a)
    services.action_update_status(action=action, membership=member_a, status=Status.ON_TRACK)
    action.refresh_from_db()
    assert action.status == Status.ON_TRACK


@pytest.mark.django_db
def test_unknown_status_is_refused(manager_a):
    action = ActionFactory(council=manager_a.council)
    with pytest.raises(ValidationError) as error:
        services.action_update_status(action=action, membership=manager_a, status="purple")
    assert "Choose a status" in str(error.value)
    assert not action.updates.exists()
