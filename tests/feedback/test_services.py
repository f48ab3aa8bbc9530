from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from feedback import selectors, services, tasks
from feedback.models import (
    Answer,
    FormVersion,
    Question,
    Response,
    SafeguardingAlert,
    SafeguardingSettings,
)
from feedback.templates_library import TEMPLATES
from tests.feedback.factories import K, make_contact, make_form, officer, post_data, submit

pytestmark = pytest.mark.django_db


# Versions -----------------------------------------------------------------------------------


def test_editing_a_form_with_no_responses_changes_the_same_version(council_a):
    form = make_form(council_a)
    question = form.live_version.questions.first()
    services.question_update(question=question, actor=officer(council_a), text="New words")
    assert FormVersion.objects.filter(form=form).count() == 1
    question.refresh_from_db()
    assert question.text == "New words"


def test_editing_a_form_with_responses_makes_a_new_version_and_keeps_the_old(council_a):
    form = make_form(council_a)
    first = form.live_version
    response = submit(form, {0: "5"})
    question = first.questions.order_by("position").first()
    services.question_update(question=question, actor=officer(council_a), text="Changed")
    form.refresh_from_db()
    assert form.live_version.number == 2
    assert form.live_version.published_at is not None
    # The answered version is frozen: its question still reads as the young person saw it.
    assert (
        first.questions.order_by("position").first().text == "How do you feel about where you live?"
    )
    assert form.live_version.questions.order_by("position").first().text == "Changed"
    assert form.live_version.questions.count() == first.questions.count()
    response.refresh_from_db()
    assert response.version == first
    # New answers go to the new version.
    assert submit(form, {0: "3"}).version == form.live_version


def test_adding_and_moving_questions_on_an_answered_version_also_makes_a_new_version(council_a):
    form = make_form(council_a)
    submit(form)
    actor = officer(council_a)
    services.question_add(form=form, actor=actor, kind=K.SHORT_TEXT, text="One word?")
    assert FormVersion.objects.filter(form=form).count() == 2
    form.refresh_from_db()
    last = form.live_version.questions.order_by("position").last()
    services.question_move(question=last, actor=actor, up=True)
    texts = list(form.live_version.questions.order_by("position").values_list("text", flat=True))
    assert texts[-2:] == ["One word?", "Anything else?"]
    assert FormVersion.objects.filter(form=form).count() == 2  # version 2 has no answers yet


def test_moving_the_first_question_up_changes_nothing(council_a):
    form = make_form(council_a)
    first = form.live_version.questions.order_by("position").first()
    before = list(form.live_version.questions.order_by("position").values_list("pk", flat=True))
    services.question_move(question=first, actor=officer(council_a), up=True)
    after = list(form.live_version.questions.order_by("position").values_list("pk", flat=True))
    assert before == after


def test_about_you_questions_are_never_required(council_a):
    form = make_form(council_a, questions=[], publish=False)
    q = services.question_add(
        form=form,
        actor=officer(council_a),
        kind=K.SINGLE,
        text="How old are you?",
        choices="8 to 10\n11 to 13",
        about_you=Question.AboutYou.AGE,
        required=True,
    )
    assert q.required is False


def test_a_choice_question_needs_two_choices(council_a):
    form = make_form(council_a, questions=[], publish=False)
    with pytest.raises(ValidationError) as error:
        services.question_add(
            form=form, actor=officer(council_a), kind=K.SINGLE, text="Pick", choices="Only one"
        )
    assert "at least two choices" in str(error.value)
    assert not Question.objects.filter(version__form=form).exists()


def test_publishing_needs_a_question(council_a):
    form = make_form(council_a, questions=[], publish=False)
    with pytest.raises(ValidationError):
        services.form_publish(form=form, actor=officer(council_a))
    form.refresh_from_db()
    assert form.live_version is None


def test_closing_date_before_opening_date_is_refused(council_a):
    import datetime

    with pytest.raises(ValidationError) as error:
        make_form(
            council_a,
            opens_at=datetime.date(2026, 5, 2),
            closes_at=datetime.date(2026, 5, 1),
        )
    assert "closing date" in str(error.value)


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_every_template_makes_a_publishable_form(council_a, key):
    form = services.form_create_from_template(
        council=council_a, actor=officer(council_a), template_key=key
    )
    version = services.form_publish(form=form, actor=officer(council_a))
    assert version.questions.count() == len(TEMPLATES[key]["questions"])
    assert not version.questions.filter(about_you__gt="", required=True).exists()


# Responses ----------------------------------------------------------------------------------


def test_missing_required_answer_saves_nothing(council_a):
    form = make_form(council_a)
    with pytest.raises(ValidationError) as error:
        submit(form, {1: "Yes"})
    assert "Choose an answer." in str(error.value)
    assert not Response.objects.exists()
    assert not Answer.objects.exists()


@pytest.mark.parametrize(
    "values",
    [
        {0: "6"},
        {0: "4", 1: "Maybe"},
        {0: "4", 2: ["Mum", "Aunt"]},
        {0: "4", 3: "x" * 5001},
    ],
)
def test_bad_answers_are_refused_and_nothing_is_saved(council_a, values):
    form = make_form(council_a)
    with pytest.raises(ValidationError):
        submit(form, values)
    assert not Response.objects.exists()


def test_answers_are_saved_by_kind(council_a):
    form = make_form(council_a)
    response = submit(form, {0: "4", 1: "Not sure", 2: ["Friends", "Mum"], 3: "  Good  "})
    answers = {a.question.position: a for a in response.answers.select_related("question")}
    assert answers[0].number == 4
    assert answers[1].choices == ["Not sure"]
    assert answers[2].choices == ["Mum", "Friends"]  # in the form's order
    assert answers[3].text == "Good"
    assert response.is_assisted is False


def test_a_second_tap_with_the_same_key_keeps_one_response(council_a):
    form = make_form(council_a)
    data = post_data(form, {0: "4", "talk": "yes"})
    first, created = services.response_submit(
        form=form, version=form.live_version, data=data, submission_key="a" * 32
    )
    again, created_again = services.response_submit(
        form=form, version=form.live_version, data=data, submission_key="a" * 32
    )
    assert created and not created_again
    assert first == again
    assert Response.objects.count() == 1
    assert SafeguardingAlert.objects.count() == 1


# Safeguarding -------------------------------------------------------------------------------


def test_asking_to_talk_raises_an_alert(council_a):
    form = make_form(council_a)
    response = submit(form, {0: "1", "talk": "yes"})
    alert = SafeguardingAlert.objects.get(response=response)
    assert alert.reason == SafeguardingAlert.Reason.ASKED
    assert response.wants_to_talk


@pytest.mark.parametrize(
    "text",
    ["My stepdad HITS ME when he is angry", "sometimes i   want to die", "I don’t feel safe"],
)
def test_worrying_words_raise_an_alert(council_a, text):
    form = make_form(council_a)
    response = submit(form, {0: "3", 3: text})
    assert SafeguardingAlert.objects.get(response=response).reason == "phrase"


@pytest.mark.parametrize("text", ["I feel safe and happy", "We had a hit movie night", ""])
def test_ordinary_words_raise_no_alert(council_a, text):
    form = make_form(council_a)
    submit(form, {0: "3", 3: text})
    assert not SafeguardingAlert.objects.exists()


def test_the_council_sets_its_own_worrying_phrases(council_a, council_b):
    services.safeguarding_settings_update(
        council=council_a,
        actor=officer(council_a),
        worrying_phrases="locked in\n",
        contact_text="Front door 0300 000 0000",
        renotify_after_minutes=30,
    )
    form_a, form_b = make_form(council_a), make_form(council_b)
    submit(form_a, {0: "3", 3: "They locked in my room"})
    submit(form_b, {0: "3", 3: "They locked in my room"})
    assert SafeguardingAlert.objects.filter(council=council_a).count() == 1
    assert SafeguardingAlert.objects.filter(council=council_b).count() == 0


def test_reading_the_settings_writes_nothing_until_they_are_saved(council_a, council_b):
    form = make_form(council_a)
    submit(form, {0: "3", 3: "They hit me"})  # the default phrases still raise the alert
    assert SafeguardingAlert.objects.filter(council=council_a).count() == 1
    found = selectors.safeguarding_settings(council=council_a)
    assert found.pk is None and "hit me" in found.phrases()
    assert not SafeguardingSettings.objects.exists()
    services.safeguarding_settings_update(
        council=council_a,
        actor=officer(council_a),
        worrying_phrases="locked in",
        contact_text="Front door",
        renotify_after_minutes=30,
    )
    assert SafeguardingSettings.objects.get().council == council_a
    assert selectors.safeguarding_settings(council=council_a).worrying_phrases == "locked in"
    assert selectors.safeguarding_settings(council=council_b).pk is None


def test_alert_and_response_are_saved_together_or_not_at_all(council_a, monkeypatch):
    form = make_form(council_a)

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(SafeguardingAlert.objects, "create", broken)
    with pytest.raises(RuntimeError):
        submit(form, {0: "1", "talk": "yes"})
    assert not Response.objects.exists()
    assert not Answer.objects.exists()


def test_alert_email_goes_to_named_contacts_without_the_childs_words(
    council_a, admin_a, django_capture_on_commit_callbacks
):
    contact = make_contact(council_a)
    form = make_form(council_a)
    with django_capture_on_commit_callbacks(execute=True):
        submit(
            form,
            {0: "1", 3: "my uncle hurts me at night", "talk": "yes", "contact": "07700 900123"},
        )
    assert SafeguardingAlert.objects.get().reason == SafeguardingAlert.Reason.BOTH
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [contact.membership.user.email]
    body = message.subject + message.body
    assert "hurts me" not in body and "uncle" not in body and "07700" not in body
    assert f"/c/{council_a.slug}/feedback/alerts/" in message.body


def test_with_no_named_contacts_admins_and_officers_get_the_alert(
    council_a, admin_a, member_a, django_capture_on_commit_callbacks
):
    form = make_form(council_a)  # make_form adds an officer
    with django_capture_on_commit_callbacks(execute=True):
        submit(form, {0: "1", "talk": "yes"})
    recipients = set(mail.outbox[0].to)
    assert admin_a.user.email in recipients
    assert member_a.user.email not in recipients
    assert len(recipients) == 2


def test_unacknowledged_alerts_are_reminded_once_per_wait(
    council_a, admin_a, django_capture_on_commit_callbacks
):
    form = make_form(council_a)
    with django_capture_on_commit_callbacks(execute=True):
        submit(form, {0: "1", "talk": "yes"})
    alert = SafeguardingAlert.objects.get()
    assert alert.notify_count == 1 and len(mail.outbox) == 1

    # Too soon: the beat task sends nothing, however often it runs.
    assert tasks.remind_unacknowledged_alerts() == 0
    assert len(mail.outbox) == 1

    SafeguardingAlert.objects.filter(pk=alert.pk).update(
        notified_at=timezone.now() - timedelta(minutes=61)
    )
    assert tasks.remind_unacknowledged_alerts() == 1
    assert tasks.remind_unacknowledged_alerts() == 0
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject.startswith("Reminder:")
    alert.refresh_from_db()
    assert alert.notify_count == 2


def test_acknowledged_alerts_are_not_reminded(
    council_a, admin_a, django_capture_on_commit_callbacks
):
    form = make_form(council_a)
    with django_capture_on_commit_callbacks(execute=True):
        submit(form, {0: "1", "talk": "yes"})
    alert = SafeguardingAlert.objects.get()
    services.alert_acknowledge(alert=alert, actor=admin_a.user)
    SafeguardingAlert.objects.filter(pk=alert.pk).update(
        notified_at=timezone.now() - timedelta(days=1)
    )
    assert tasks.remind_unacknowledged_alerts() == 0
    assert len(mail.outbox) == 1


def test_acknowledging_records_who_and_when_and_only_once(council_a, admin_a, officer_a):
    form = make_form(council_a)
    submit(form, {0: "1", "talk": "yes"})
    alert = SafeguardingAlert.objects.get()
    services.alert_acknowledge(alert=alert, actor=admin_a.user)
    with pytest.raises(ValidationError):
        services.alert_acknowledge(alert=alert, actor=officer_a.user)
    alert.refresh_from_db()
    assert alert.acknowledged_by == admin_a.user
    assert alert.acknowledged_at is not None
    services.alert_record_action(alert=alert, actor=officer_a.user, action_taken="Called her SW")
    alert.refresh_from_db()
    assert alert.action_taken == "Called her SW"
    assert alert.acknowledged_by == admin_a.user


def test_a_mail_failure_loses_no_alert_and_the_reminder_task_sends_it(
    council_a, admin_a, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.mail.backends.locmem import EmailBackend

    form = make_form(council_a)
    real_send = EmailBackend.send_messages

    def down(self, messages):
        raise ConnectionError("mail server down")

    monkeypatch.setattr(EmailBackend, "send_messages", down)
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(form, {0: "1", "talk": "yes"})
    alert = SafeguardingAlert.objects.get(response=response)
    assert alert.notified_at is None and alert.notify_count == 0

    monkeypatch.setattr(EmailBackend, "send_messages", real_send)
    assert tasks.remind_unacknowledged_alerts() == 1
    assert len(mail.outbox) == 1


def test_asking_to_talk_is_never_blocked_by_a_skipped_required_question(council_a):
    form = make_form(council_a)
    response = submit(form, {1: "No", "talk": "yes"})
    assert response.wants_to_talk
    assert SafeguardingAlert.objects.filter(response=response).exists()


def test_asking_to_talk_still_refuses_a_malformed_answer(council_a):
    form = make_form(council_a)
    with pytest.raises(ValidationError):
        submit(form, {0: "9", "talk": "yes"})
    assert not Response.objects.exists()


def test_deleting_a_council_takes_its_feedback_with_it(council_a):
    form = make_form(council_a)
    submit(form, {0: "1", "talk": "yes"})
    council_a.delete()
    assert not Response.objects.exists()
    assert not SafeguardingAlert.objects.exists()
    assert not FormVersion.objects.exists()


def test_an_answered_question_cannot_be_deleted_directly(council_a):
    from django.db.models import RestrictedError

    form = make_form(council_a)
    submit(form, {0: "4"})
    with pytest.raises(RestrictedError):
        form.live_version.questions.order_by("position").first().delete()
    assert Answer.objects.count() == 1


def test_a_worrying_choice_raises_an_alert(council_a):
    form = make_form(
        council_a,
        questions=[
            {"kind": K.YES_NO, "text": "Do you feel safe where you live?", "alert_on": "No"}
        ],
    )
    submit(form, {0: "Yes"})
    assert not SafeguardingAlert.objects.exists()
    response = submit(form, {0: "No"})
    assert SafeguardingAlert.objects.get(response=response).reason == "phrase"


def test_a_worrying_choice_must_be_one_of_the_choices(council_a):
    form = make_form(council_a, questions=[], publish=False)
    with pytest.raises(ValidationError) as error:
        services.question_add(
            form=form, actor=officer(council_a), kind=K.YES_NO, text="Safe?", alert_on="Nope"
        )
    assert "one of the question's choices" in str(error.value)
    assert not Question.objects.exists()


def test_the_children_in_care_survey_alerts_on_not_feeling_safe_at_home(council_a):
    form = services.form_create_from_template(
        council=council_a, actor=officer(council_a), template_key="children_in_care"
    )
    services.form_publish(form=form, actor=officer(council_a))
    form.refresh_from_db()
    safe = form.live_version.questions.get(text="Do you feel safe where you live?")
    response = submit(form, {safe.position: "No"})
    assert SafeguardingAlert.objects.filter(response=response).exists()


def test_tagging_an_untagged_answer_with_no_theme_is_refused(council_a):
    from feedback.models import Theme
    from participation.models import AuditEvent
    from tests.feedback.factories import make_answer

    form, answer = make_answer(council_a)
    actor = officer(council_a)
    with pytest.raises(ValidationError, match="Enter at least one theme"):
        services.answer_set_themes(answer=answer, actor=actor, names=[" ", ""])
    assert not Theme.objects.exists()
    assert not AuditEvent.objects.filter(verb="tagged answer").exists()
    services.answer_set_themes(answer=answer, actor=actor, names=["school"])
    services.answer_set_themes(answer=answer, actor=actor, names=[])  # clearing is allowed
    assert not answer.themes.exists()


# Quotes approved for reports ------------------------------------------------------------------


def test_an_answer_with_a_safeguarding_alert_is_never_quoted(council_a):
    form = make_form(council_a)
    response = submit(form, {0: "1", 3: "I do not feel safe at home", "talk": "yes"})
    assert SafeguardingAlert.objects.filter(response=response).exists()
    answer = response.answers.exclude(text="").get()
    with pytest.raises(ValidationError, match="safeguarding alert"):
        services.answer_approve_quote(answer=answer, actor=officer(council_a), approved=True)
    answer.refresh_from_db()
    assert answer.quote_approved_at is None


def test_only_a_written_answer_is_quoted(council_a):
    form = make_form(council_a)
    response = submit(form, {0: "4", 3: "Good"})
    faces = response.answers.filter(text="").first()
    with pytest.raises(ValidationError, match="written answer"):
        services.answer_approve_quote(answer=faces, actor=officer(council_a), approved=True)
    faces.refresh_from_db()
    assert faces.quote_approved_at is None


def test_only_a_member_of_the_answers_council_approves(council_a, council_b):
    form = make_form(council_a)
    answer = submit(form, {0: "4", 3: "Good"}).answers.exclude(text="").get()
    with pytest.raises(ValidationError, match="member of this council"):
        services.answer_approve_quote(answer=answer, actor=officer(council_b), approved=True)
    answer.refresh_from_db()
    assert answer.quote_approved_at is None
