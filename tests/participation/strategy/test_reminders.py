from datetime import date, datetime
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from participation.strategy import selectors, tasks
from participation.strategy.models import Status, StatusReminder, StatusUpdate, Strategy
from tests.participation.strategy.factories import ActionFactory

QUARTER_END = date(2027, 3, 31)


def at(day):
    return timezone.make_aware(datetime(day.year, day.month, day.day, 9))


def run_on(day):
    with mock.patch("django.utils.timezone.localdate", return_value=day):
        return tasks.send_status_reminders()


@pytest.fixture
def owned(manager_a):
    action = ActionFactory(council=manager_a.council, owner=manager_a, title="Train new staff")
    StatusUpdate.objects.create(
        council=action.council, action=action, status=Status.ON_TRACK, at=at(date(2026, 12, 1))
    )
    return action


def test_reminder_window_is_the_last_two_weeks(council_a):
    assert selectors.reminder_quarter(council=council_a, today=date(2027, 3, 16)) is None
    assert selectors.reminder_quarter(council=council_a, today=date(2027, 3, 17)) == QUARTER_END
    assert selectors.reminder_quarter(council=council_a, today=QUARTER_END) == QUARTER_END


def test_owner_with_no_update_this_quarter_is_emailed_once(owned, manager_a):
    assert run_on(date(2027, 3, 10)) == 0
    assert not mail.outbox
    run_on(date(2027, 3, 17))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [manager_a.user.email]
    assert "Train new staff" in message.body
    assert f"/strategy/actions/{owned.pk}/" in message.body
    assert "Q4 2026/27 ends on 31 March 2027" in message.body
    # The next days' runs, and a repeated task, send nothing more.
    run_on(date(2027, 3, 18))
    tasks.send_status_reminder(manager_a.pk, QUARTER_END.isoformat(), manager_a.council_id)
    assert len(mail.outbox) == 1
    assert StatusReminder.objects.get().action_count == 1


def test_an_update_this_quarter_means_no_reminder(owned):
    StatusUpdate.objects.create(
        council=owned.council, action=owned, status=Status.ON_TRACK, at=at(date(2027, 1, 5))
    )
    run_on(date(2027, 3, 20))
    assert not mail.outbox


def test_completed_archived_and_unowned_actions_need_no_reminder(owned, manager_a):
    owned.status = Status.COMPLETED
    owned.save()
    ActionFactory(council=manager_a.council, owner=manager_a, is_archived=True)
    ActionFactory(council=manager_a.council, owner_name="A partner")
    draft = ActionFactory(council=manager_a.council, owner=manager_a)
    draft.objective.strategy.state = Strategy.State.DRAFT
    draft.objective.strategy.save()
    run_on(date(2027, 3, 20))
    assert not mail.outbox


def _year_starts_in(council, month):
    council.year_starts = month
    council.save(update_fields=["year_starts"])


def test_quarters_follow_the_council_setting(owned, manager_a):
    _year_starts_in(manager_a.council, 1)
    # With calendar quarters, 31 March is still a quarter end; 30 June is the next one.
    assert selectors.reminder_quarter(council=manager_a.council, today=date(2027, 6, 20)) == date(
        2027, 6, 30
    )
    _year_starts_in(manager_a.council, 2)
    assert selectors.reminder_quarter(council=manager_a.council, today=date(2027, 3, 20)) is None
    assert selectors.reminder_quarter(council=manager_a.council, today=date(2027, 4, 20)) == date(
        2027, 4, 30
    )


def test_failed_email_is_retried_next_time(owned, manager_a):
    down = mock.patch("django.core.mail.send_mail", side_effect=OSError("mail server down"))
    with down, pytest.raises(OSError):
        run_on(date(2027, 3, 20))
    assert not StatusReminder.objects.exists()
    run_on(date(2027, 3, 21))
    assert len(mail.outbox) == 1


def test_task_messages_carry_ids_only(owned, manager_a):
    with mock.patch.object(tasks.send_status_reminder, "delay") as delay:
        run_on(date(2027, 3, 20))
    delay.assert_called_once_with(manager_a.pk, "2027-03-31", manager_a.council_id)


def test_deactivated_owner_is_not_emailed(owned, manager_a):
    manager_a.is_active = False
    manager_a.save()
    run_on(date(2027, 3, 20))
    tasks.send_status_reminder(manager_a.pk, QUARTER_END.isoformat(), manager_a.council_id)
    assert not mail.outbox
