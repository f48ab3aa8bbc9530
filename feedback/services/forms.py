from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from feedback.models import (
    FeedbackForm,
    FormLink,
    FormVersion,
    Question,
    Response,
)
from feedback.services.common import FORM_FIELDS, QUESTION_FIELDS
from feedback.templates_library import TEMPLATES
from participation.models import Council, User
from participation.services import audit

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
