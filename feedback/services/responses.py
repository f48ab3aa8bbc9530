import re
import secrets

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from feedback.models import (
    Answer,
    FeedbackForm,
    FormVersion,
    Question,
    Response,
    SafeguardingAlert,
)
from feedback.selectors import safeguarding_settings
from feedback.services.common import CONTACT_MAX, NAME_MAX, SUBMISSION_SALT
from participation.activities.models import YoungPerson
from participation.models import User

# Responses ---------------------------------------------------------------------------------


def new_submission_key(form: FeedbackForm, version: FormVersion) -> str:
    """A signed one-time key for one page of the form. It names the version the young person
    was shown, so their answers are saved against those questions even if the form changes."""
    payload = {"f": form.pk, "v": version.pk, "k": secrets.token_hex(16)}
    return signing.dumps(payload, salt=SUBMISSION_SALT)


def read_submission_key(form: FeedbackForm, signed: str) -> tuple[str, int] | None:
    """(one-time key, version id), or None for anything not signed by us for this form."""
    if not isinstance(signed, str) or len(signed) > 200:
        return None
    try:
        payload = signing.loads(signed, salt=SUBMISSION_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("f") != form.pk:
        return None
    key, version_id = payload.get("k"), payload.get("v")
    if not (isinstance(key, str) and len(key) == 32 and isinstance(version_id, int)):
        return None
    return key, version_id


def _clean_text(value: str) -> str:
    # PostgreSQL refuses NUL characters; nobody types them.
    return value.replace("\x00", "").strip()


def field_name(question: Question) -> str:
    return f"q{question.pk}"


def clean_answers(questions, data, *, require: bool = True) -> tuple[dict, dict]:
    """Check posted answers against the questions. Returns (answers by question id, errors by
    field name). `data` is a QueryDict; anything a browser or a hand-made post can send is safe.
    With require=False, unanswered required questions are not errors."""
    answers, errors = {}, {}
    for question in questions:
        name = field_name(question)
        allowed = question.choice_list()
        if question.kind == Question.Kind.MULTIPLE:
            picked = [_clean_text(v) for v in data.getlist(name) if _clean_text(v)]
            if any(p not in allowed for p in picked):
                errors[name] = "Choose from the list."
            elif picked:
                answers[question.pk] = {"choices": [c for c in allowed if c in picked]}
            elif question.required and require:
                errors[name] = "Choose at least one answer."
            continue
        value = _clean_text(data.get(name, "") or "")
        if not value:
            if question.required and require:
                errors[name] = (
                    "Write an answer."
                    if question.kind in Question.TEXT_KINDS
                    else "Choose an answer."
                )
            continue
        if question.kind in Question.TEXT_KINDS:
            if len(value) > question.max_length:
                errors[name] = (
                    f"Your answer is too long. Make it {question.max_length} letters or fewer "
                    f"(it is {len(value)} now)."
                )
            else:
                answers[question.pk] = {"text": value}
        elif value not in allowed:
            errors[name] = "Choose from the list."
        elif question.kind in Question.NUMBER_KINDS:
            answers[question.pk] = {"number": int(value)}
        else:
            answers[question.pk] = {"choices": [value]}
    return answers, errors


def _matches_worrying_phrase(text: str, phrases: list[str]) -> bool:
    text = re.sub(r"\s+", " ", text.lower().replace("\u2019", "'"))
    return any(re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text) for p in phrases)


def response_submit(
    *,
    form: FeedbackForm,
    version: FormVersion,
    data,
    submission_key: str,
    assisted_by: User | None = None,
    young_person: YoungPerson | None = None,
) -> tuple[Response, bool]:
    """Save a young person's answers, and raise any safeguarding alert in the same transaction so
    an alert can never be lost. A second post with the same key returns the first response."""
    existing = Response.objects.filter(
        council=form.council_id, submission_key=submission_key
    ).first()
    if existing is not None:
        return existing, False
    questions = list(version.questions.order_by("position", "pk"))
    wants_to_talk = (data.get("talk") or "") == "yes"
    # A young person who says they are not safe is never held back by a question they skipped.
    answers, errors = clean_answers(questions, data, require=not wants_to_talk)
    name = _clean_text(data.get("name", "") or "") if not form.is_anonymous else ""
    contact = _clean_text(data.get("contact", "") or "")
    if len(name) > NAME_MAX:
        errors["name"] = f"Make your name {NAME_MAX} letters or fewer."
    if len(contact) > CONTACT_MAX:
        errors["contact"] = f"Make this {CONTACT_MAX} letters or fewer."
    if young_person is not None:
        if assisted_by is None or form.is_anonymous:
            errors["young_person"] = (
                "Feedback can only be linked to a young person when a worker completes a form "
                "that is not anonymous with them."
            )
        elif young_person.council_id != form.council_id:
            errors["young_person"] = (
                "This young person is not recorded in this council. "
                "Choose someone from the list, or leave it empty."
            )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            response = Response.objects.create(
                council_id=form.council_id,
                form=form,
                version=version,
                submission_key=submission_key,
                respondent_name=name,
                wants_to_talk=wants_to_talk,
                contact_details=contact,
                is_assisted=assisted_by is not None,
                assisted_by=assisted_by,
                young_person=young_person,
            )
            Answer.objects.bulk_create(
                Answer(council_id=form.council_id, response=response, question_id=pk, **values)
                for pk, values in answers.items()
            )
            phrases = safeguarding_settings(council=form.council).phrases()
            texts = [v["text"] for v in answers.values() if "text" in v] + [contact]
            worrying = bool(phrases) and any(
                _matches_worrying_phrase(t, phrases) for t in texts if t
            )
            by_pk = {q.pk: q for q in questions}
            worrying = worrying or any(
                by_pk[pk].alert_on
                and (
                    by_pk[pk].alert_on in values.get("choices", [])
                    or by_pk[pk].alert_on == str(values.get("number"))
                )
                for pk, values in answers.items()
            )
            if wants_to_talk or worrying:
                Reason = SafeguardingAlert.Reason
                alert = SafeguardingAlert.objects.create(
                    council_id=form.council_id,
                    response=response,
                    reason=Reason.BOTH
                    if wants_to_talk and worrying
                    else (Reason.ASKED if wants_to_talk else Reason.PHRASE),
                )
                # robust: if the broker or mail server is down, the young person still sees
                # the thank-you page; the beat task emails alerts never notified.
                transaction.on_commit(_notify_later(alert.pk, form.council_id), robust=True)
    except IntegrityError:
        # Two taps raced: the other one saved it.
        existing = Response.objects.filter(
            council=form.council_id, submission_key=submission_key
        ).first()
        if existing is None:
            raise
        return existing, False
    return response, True


def _notify_later(alert_id: int, council_id: int):
    from feedback.tasks import notify_safeguarding_alert

    # If the broker cannot take the task (robust on_commit logs it), the beat job still finds
    # the alert never notified and sends it.
    return lambda: notify_safeguarding_alert.delay(alert_id, council_id=council_id)
