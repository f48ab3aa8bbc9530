"""Writes for feedback forms, responses and safeguarding alerts. Views call these; nothing else
writes."""

import re
import secrets
from datetime import timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from feedback.models import (
    Answer,
    FeedbackForm,
    FormLink,
    FormVersion,
    Question,
    Response,
    SafeguardingAlert,
    SafeguardingContact,
    SafeguardingSettings,
    Theme,
    YouSaidActivity,
    YouSaidWeDid,
)
from feedback.templates_library import TEMPLATES
from participation.activities.models import YoungPerson
from participation.models import Council, Membership, User
from participation.services import audit

FORM_FIELDS = (
    "title",
    "intro",
    "audience",
    "service_area",
    "opens_at",
    "closes_at",
    "is_anonymous",
    "one_per_screen",
)
QUESTION_FIELDS = (
    "kind",
    "text",
    "help_text",
    "required",
    "choices",
    "about_you",
    "principle",
    "alert_on",
)
NAME_MAX = 100
CONTACT_MAX = 300
SUBMISSION_SALT = "feedback.submission"


def safeguarding_settings(*, council: Council) -> SafeguardingSettings:
    found, _ = SafeguardingSettings.objects.get_or_create(council=council)
    return found


@transaction.atomic
def safeguarding_settings_update(
    *,
    council: Council,
    actor: User,
    worrying_phrases: str,
    contact_text: str,
    renotify_after_minutes: int,
) -> SafeguardingSettings:
    found = safeguarding_settings(council=council)
    found.worrying_phrases = worrying_phrases
    found.contact_text = contact_text.strip()
    found.renotify_after_minutes = renotify_after_minutes
    found.full_clean()
    found.save()
    audit(council=council, actor=actor, verb="changed safeguarding settings", subject=found)
    return found


@transaction.atomic
def contact_add(*, council: Council, actor: User, membership: Membership) -> SafeguardingContact:
    if membership.council_id != council.id or not membership.is_active:
        raise ValidationError({"membership": "Choose an active member of this council."})
    contact, _ = SafeguardingContact.objects.get_or_create(council=council, membership=membership)
    audit(council=council, actor=actor, verb="named safeguarding contact", subject=contact)
    return contact


@transaction.atomic
def contact_remove(*, contact: SafeguardingContact, actor: User) -> None:
    audit(
        council=contact.council, actor=actor, verb="removed safeguarding contact", subject=contact
    )
    contact.delete()


# Forms and versions ------------------------------------------------------------------------


def _check_dates(opens_at, closes_at) -> None:
    if opens_at and closes_at and closes_at < opens_at:
        raise ValidationError(
            {"closes_at": "The closing date must be on or after the opening date."}
        )


@transaction.atomic
def form_create(
    *,
    council: Council,
    actor: User,
    title: str,
    audience: str,
    service_area: str,
    intro: str = "",
    opens_at=None,
    closes_at=None,
    is_anonymous: bool = True,
    one_per_screen: bool = False,
    template_key: str = "",
) -> FeedbackForm:
    if template_key and template_key not in TEMPLATES:
        raise ValidationError("Choose a template from the list.")
    _check_dates(opens_at, closes_at)
    form = FeedbackForm(
        council=council,
        title=title.strip(),
        intro=intro,
        audience=audience,
        service_area=service_area,
        opens_at=opens_at,
        closes_at=closes_at,
        is_anonymous=is_anonymous,
        one_per_screen=one_per_screen,
        template_key=template_key,
        created_by=actor,
    )
    form.full_clean(exclude=["live_version"])
    form.save()
    version = FormVersion.objects.create(council=council, form=form, number=1)
    if template_key:
        for position, spec in enumerate(TEMPLATES[template_key]["questions"]):
            spec = {"required": False, "choices": "", "about_you": "", "principle": "", **spec}
            Question.objects.create(council=council, version=version, position=position, **spec)
    FormLink.objects.create(council=council, form=form)
    audit(council=council, actor=actor, verb="created feedback form", subject=form)
    return form


@transaction.atomic
def form_create_from_template(*, council: Council, actor: User, template_key: str) -> FeedbackForm:
    if template_key not in TEMPLATES:
        raise ValidationError("Choose a template from the list.")
    spec = TEMPLATES[template_key]
    return form_create(
        council=council,
        actor=actor,
        title=spec["title"],
        intro=spec["intro"],
        audience=spec["audience"],
        service_area=spec["service_area"],
        template_key=template_key,
    )


@transaction.atomic
def form_update(*, form: FeedbackForm, actor: User, **fields) -> FeedbackForm:
    unknown = set(fields) - set(FORM_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    for key, value in fields.items():
        setattr(form, key, value.strip() if key == "title" else value)
    _check_dates(form.opens_at, form.closes_at)
    form.full_clean(exclude=["live_version"])
    form.save()
    audit(council=form.council, actor=actor, verb="changed feedback form", subject=form)
    return form


def latest_version(form: FeedbackForm) -> FormVersion:
    return (
        FormVersion.objects.filter(council=form.council_id, form=form).order_by("-number").first()
    )


def _editable_version(form: FeedbackForm) -> FormVersion:
    """The version an edit may change. A version young people have answered is frozen, so the
    edit goes to a fresh copy; if the frozen one was live, the copy goes live in its place."""
    form = FeedbackForm.objects.select_for_update().get(pk=form.pk)
    version = latest_version(form)
    if not Response.objects.filter(council=form.council_id, version=version).exists():
        return version
    copy = FormVersion.objects.create(
        council_id=form.council_id,
        form=form,
        number=version.number + 1,
        published_at=timezone.now() if form.live_version_id == version.pk else None,
    )
    for question in version.questions.order_by("position", "pk"):
        question.pk = None
        question.version = copy
        question.save()
    if form.live_version_id == version.pk:
        form.live_version = copy
        form.save(update_fields=["live_version", "updated_at"])
    return copy


def _same_question_in(version: FormVersion, question: Question) -> Question:
    if question.version_id == version.pk:
        return question
    # After a copy the question sits at the same place in the new version.
    ordered = list(
        question.version.questions.order_by("position", "pk").values_list("pk", flat=True)
    )
    index = ordered.index(question.pk)
    return list(version.questions.order_by("position", "pk"))[index]


def _clean_question(question: Question) -> None:
    if question.kind in Question.CHOICE_KINDS and len(question.choice_list()) < 2:
        raise ValidationError({"choices": "Enter at least two choices, one a line."})
    if question.kind not in Question.CHOICE_KINDS:
        question.choices = ""
    if question.about_you:
        # "About you" questions are never required: nobody has to say who they are.
        question.required = False
    question.alert_on = question.alert_on.strip()
    if question.alert_on and question.alert_on not in question.choice_list():
        raise ValidationError(
            {"alert_on": "Enter one of the question's choices exactly, or leave this empty."}
        )
    question.full_clean()


@transaction.atomic
def question_add(*, form: FeedbackForm, actor: User, **fields) -> Question:
    unknown = set(fields) - set(QUESTION_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    version = _editable_version(form)
    last = version.questions.aggregate(top=Max("position"))["top"]
    question = Question(
        council_id=form.council_id,
        version=version,
        position=0 if last is None else last + 1,
        **fields,
    )
    _clean_question(question)
    question.save()
    audit(council=form.council, actor=actor, verb="added question", subject=form)
    return question


@transaction.atomic
def question_update(*, question: Question, actor: User, **fields) -> Question:
    unknown = set(fields) - set(QUESTION_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    form = question.version.form
    question = _same_question_in(_editable_version(form), question)
    for key, value in fields.items():
        setattr(question, key, value)
    _clean_question(question)
    question.save()
    audit(council=form.council, actor=actor, verb="changed question", subject=form)
    return question


@transaction.atomic
def question_delete(*, question: Question, actor: User) -> None:
    form = question.version.form
    question = _same_question_in(_editable_version(form), question)
    question.delete()
    audit(council=form.council, actor=actor, verb="removed question", subject=form)


@transaction.atomic
def question_move(*, question: Question, actor: User, up: bool) -> None:
    form = question.version.form
    question = _same_question_in(_editable_version(form), question)
    ordered = list(question.version.questions.order_by("position", "pk"))
    index = ordered.index(question)
    other = index - 1 if up else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
        for position, item in enumerate(ordered):
            if item.position != position:
                item.position = position
                item.save(update_fields=["position"])
        audit(council=form.council, actor=actor, verb="reordered questions", subject=form)


@transaction.atomic
def form_publish(*, form: FeedbackForm, actor: User) -> FormVersion:
    form = FeedbackForm.objects.select_for_update().get(pk=form.pk)
    version = latest_version(form)
    if not version.questions.exists():
        raise ValidationError("Add at least one question before you publish the form.")
    if version.published_at is None:
        version.published_at = timezone.now()
        version.save(update_fields=["published_at"])
    form.live_version = version
    form.is_closed = False
    form.save(update_fields=["live_version", "is_closed", "updated_at"])
    audit(
        council=form.council,
        actor=actor,
        verb="published feedback form",
        subject=form,
        detail=f"version {version.number}",
    )
    return version


@transaction.atomic
def form_set_closed(*, form: FeedbackForm, actor: User, closed: bool) -> FeedbackForm:
    if form.is_closed != closed:
        form.is_closed = closed
        form.save(update_fields=["is_closed", "updated_at"])
        audit(
            council=form.council,
            actor=actor,
            verb="closed feedback form" if closed else "reopened feedback form",
            subject=form,
        )
    return form


@transaction.atomic
def link_replace(*, form: FeedbackForm, actor: User) -> FormLink:
    """Stop the current public link working and make a new one (a QR code was shared too widely,
    say). The old link shows a kind page instead of the form."""
    FormLink.objects.filter(council=form.council_id, form=form, revoked_at=None).update(
        revoked_at=timezone.now()
    )
    link = FormLink.objects.create(council_id=form.council_id, form=form)
    audit(council=form.council, actor=actor, verb="replaced feedback link", subject=form)
    return link


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
                transaction.on_commit(_notify_later(alert.pk), robust=True)
    except IntegrityError:
        # Two taps raced: the other one saved it.
        existing = Response.objects.filter(
            council=form.council_id, submission_key=submission_key
        ).first()
        if existing is None:
            raise
        return existing, False
    return response, True


def _notify_later(alert_id: int):
    from feedback.tasks import notify_safeguarding_alert

    return lambda: notify_safeguarding_alert.delay(alert_id)


# Safeguarding alerts -----------------------------------------------------------------------


def alert_recipients(*, council_id: int) -> list[str]:
    """Named contacts; if a council has named nobody, its admins and participation officers, so an
    alert always reaches someone."""
    emails = list(
        SafeguardingContact.objects.filter(
            council_id=council_id, membership__is_active=True, membership__user__is_active=True
        ).values_list("membership__user__email", flat=True)
    )
    if not emails:
        emails = list(
            Membership.objects.filter(
                council_id=council_id,
                is_active=True,
                user__is_active=True,
                role__in=[Membership.Role.COUNCIL_ADMIN, Membership.Role.PARTICIPATION_OFFICER],
            ).values_list("user__email", flat=True)
        )
    return sorted(set(emails))


def alert_notify(*, alert_id: int, now=None) -> bool:
    """Email the contacts about an alert if it is due: never yet notified, or unacknowledged and
    last notified longer ago than the council's reminder time. Safe to call twice."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse

    now = now or timezone.now()
    with transaction.atomic():
        alert = (
            SafeguardingAlert.objects.select_for_update(of=("self",))
            .select_related("council")
            .filter(pk=alert_id)
            .first()
        )
        if alert is None or alert.acknowledged_at is not None:
            return False
        if alert.notified_at is not None:
            wait = safeguarding_settings(council=alert.council).renotify_after_minutes
            if alert.notified_at > now - timedelta(minutes=wait):
                return False
        recipients = alert_recipients(council_id=alert.council_id)
        link = settings.SITE_URL + reverse("alert_detail", args=[alert.council.slug, alert.pk])
        context = {
            "alert": alert,
            "council": alert.council,
            "link": link,
            "reminder": alert.notify_count > 0,
        }
        if recipients:
            send_mail(
                subject=(
                    f"{'Reminder: ' if alert.notify_count else ''}Safeguarding alert in Heard "
                    f"({alert.council.name})"
                ),
                message=render_to_string("feedback/email/alert.txt", context),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=recipients,
            )
        alert.notified_at = now
        alert.notify_count += 1
        alert.save(update_fields=["notified_at", "notify_count"])
    return True


def alerts_due_for_reminder(*, now=None) -> list[int]:
    now = now or timezone.now()
    due = []
    rows = SafeguardingAlert.objects.filter(acknowledged_at=None).values_list(
        "pk", "council_id", "notified_at"
    )
    waits = dict(SafeguardingSettings.objects.values_list("council_id", "renotify_after_minutes"))
    for pk, council_id, notified_at in rows:
        wait = waits.get(council_id, 60)
        if notified_at is None or notified_at <= now - timedelta(minutes=wait):
            due.append(pk)
    return due


@transaction.atomic
def alert_acknowledge(*, alert: SafeguardingAlert, actor: User) -> SafeguardingAlert:
    alert = SafeguardingAlert.objects.select_for_update().get(pk=alert.pk)
    if alert.acknowledged_at is not None:
        raise ValidationError("Someone has already acknowledged this alert.")
    alert.acknowledged_at = timezone.now()
    alert.acknowledged_by = actor
    alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
    audit(council=alert.council, actor=actor, verb="acknowledged safeguarding alert", subject=alert)
    return alert


@transaction.atomic
def alert_record_action(
    *, alert: SafeguardingAlert, actor: User, action_taken: str
) -> SafeguardingAlert:
    action_taken = action_taken.strip()
    if not action_taken:
        raise ValidationError({"action_taken": "Write what was done."})
    alert = SafeguardingAlert.objects.select_for_update().get(pk=alert.pk)
    if alert.acknowledged_at is None:
        alert.acknowledged_at = timezone.now()
        alert.acknowledged_by = actor
    alert.action_taken = action_taken
    alert.action_recorded_at = timezone.now()
    alert.save()
    audit(council=alert.council, actor=actor, verb="recorded safeguarding action", subject=alert)
    return alert


# Themes and "you said, we did" -------------------------------------------------------------


@transaction.atomic
def answer_set_themes(*, answer: Answer, actor: User, names: list[str]) -> list[Theme]:
    names = [name.strip()[:80] for name in names if name.strip()]
    # Emptying the box removes an answer's themes; on an untagged answer it would save nothing.
    if not names and not answer.themes.exists():
        raise ValidationError(
            {"themes": "Enter at least one theme, like school or contact with family."}
        )
    themes = []
    for name in names:
        theme, _ = Theme.objects.get_or_create(council_id=answer.council_id, name=name)
        themes.append(theme)
    answer.themes.set(themes)
    audit(council=answer.council, actor=actor, verb="tagged answer", subject=answer.response)
    return themes


def _set_activities(*, entry: YouSaidWeDid, activities) -> None:
    """Link the entry to these activities (replacing any others): all from the entry's council."""
    activities = list(activities)
    if any(activity.council_id != entry.council_id for activity in activities):
        raise ValidationError(
            {"activities": "Choose activities from your own council's participation log."}
        )
    wanted = {activity.pk for activity in activities}
    links = YouSaidActivity.objects.filter(council_id=entry.council_id, entry=entry)
    links.exclude(activity_id__in=wanted).delete()
    have = set(links.values_list("activity_id", flat=True))
    YouSaidActivity.objects.bulk_create(
        YouSaidActivity(council_id=entry.council_id, entry=entry, activity_id=pk)
        for pk in sorted(wanted - have)
    )


def _check_owner(entry: YouSaidWeDid) -> None:
    """The owner answers for the entry inside the council: an active member of it."""
    if (
        entry.owner_id
        and not Membership.objects.filter(
            council_id=entry.council_id, user_id=entry.owner_id, is_active=True
        ).exists()
    ):
        raise ValidationError({"owner": "Choose an owner who is a member of this council."})


@transaction.atomic
def you_said_create(*, council: Council, actor: User, activities=(), **fields) -> YouSaidWeDid:
    entry = YouSaidWeDid(council=council, **fields)
    if entry.theme_id and entry.theme.council_id != council.id:
        raise ValidationError({"theme": "Choose a theme from the list."})
    _check_owner(entry)
    entry.full_clean()
    entry.save()
    _set_activities(entry=entry, activities=activities)
    audit(council=council, actor=actor, verb="added you said we did", subject=entry)
    return entry


@transaction.atomic
def you_said_update(*, entry: YouSaidWeDid, actor: User, activities=None, **fields) -> YouSaidWeDid:
    owner_before = entry.owner_id
    for key, value in fields.items():
        setattr(entry, key, value)
    if entry.theme_id and entry.theme.council_id != entry.council_id:
        raise ValidationError({"theme": "Choose a theme from the list."})
    if entry.owner_id != owner_before:
        # An owner who has since left stays on the entry until someone changes it.
        _check_owner(entry)
    entry.full_clean()
    entry.save()
    if activities is not None:
        _set_activities(entry=entry, activities=activities)
    audit(council=entry.council, actor=actor, verb="changed you said we did", subject=entry)
    return entry
