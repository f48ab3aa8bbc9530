"""Demo feedback for a demo council: the template library as draft forms, two open forms with a few
hundred invented responses, a safeguarding contact, an alert and some "you said, we did".

Every answer here is invented. Running it again leaves what it made in place.
"""

import random
from datetime import timedelta

from django.http import QueryDict
from django.utils import timezone

from feedback import selectors, services
from feedback.models import (
    Answer,
    FeedbackForm,
    Question,
    Response,
    SafeguardingContact,
    Theme,
    YouSaidWeDid,
)
from feedback.templates_library import TEMPLATES
from participation.activities.models import YoungPerson
from participation.models import Membership

OPEN_FORMS = ("six_principles", "children_in_care")
RESPONSES_PER_FORM = 160

WRITTEN = [
    "My social worker always phones me back.",
    "I would like more trips in the holidays.",
    "Meetings are too long and use big words.",
    "I want to see my brother more.",
    "The youth club is the best thing.",
    "Nobody told me my worker was changing.",
    "I like my foster carers.",
    "More help with homework please.",
    "Bus passes cost too much.",
    "I want to choose where my review happens.",
    "",
    "",
    "",
]


def load(council, members: dict) -> None:
    officer = members.get(Membership.Role.PARTICIPATION_OFFICER)
    practitioner = members.get(Membership.Role.PRACTITIONER)
    if FeedbackForm.objects.filter(council=council).exists():
        return
    rng = random.Random(council.slug)
    services.safeguarding_settings_update(
        council=council,
        actor=officer,
        worrying_phrases=selectors.safeguarding_settings(council=council).worrying_phrases,
        contact_text="Children's Services front door: 0300 555 0100 (Monday to Friday, 9 to 5). "
        "Out of hours: 0300 555 0199.",
        renotify_after_minutes=60,
    )
    officer_membership = Membership.objects.get(council=council, user=officer)
    SafeguardingContact.objects.get_or_create(council=council, membership=officer_membership)

    for key in TEMPLATES:
        form = services.form_create_from_template(council=council, actor=officer, template_key=key)
        if key in OPEN_FORMS:
            services.form_publish(form=form, actor=officer)
            form.refresh_from_db()
            _invent_responses(form, rng, RESPONSES_PER_FORM)

    # One young person asks to talk, through the real path, so the alert queue has an entry.
    form = FeedbackForm.objects.filter(council=council, template_key=OPEN_FORMS[0]).get()
    questions = list(form.live_version.questions.order_by("position"))
    data = QueryDict(mutable=True)
    data[services.field_name(questions[0])] = "2"
    data["talk"] = "yes"
    services.response_submit(
        form=form,
        version=form.live_version,
        data=data,
        submission_key=f"demo-{council.slug}".ljust(32, "0")[:32],
        assisted_by=practitioner,
    )

    _named_feedback(council, officer, practitioner, rng)

    for theme_name, you_said, we_did, status in [
        (
            "trips",
            "You said there is not enough to do in the school holidays.",
            "We ran six free trips this summer, chosen by the Children in Care Council.",
            YouSaidWeDid.Status.DONE,
        ),
        (
            "meetings",
            "You said review meetings are too long and use words you don't understand.",
            "IROs now send a short plan in plain words before every review.",
            YouSaidWeDid.Status.IN_PROGRESS,
        ),
    ]:
        services.you_said_create(
            council=council,
            actor=officer,
            you_said=you_said,
            we_did=we_did,
            status=status,
            owner=officer,
            is_published=True,
            theme=Theme.objects.get_or_create(council=council, name=theme_name)[0],
        )


def _invent_responses(form, rng, count) -> None:
    questions = list(form.live_version.questions.order_by("position"))
    now = timezone.now()
    responses = Response.objects.bulk_create(
        Response(
            council_id=form.council_id,
            form=form,
            version=form.live_version,
            submitted_at=now - timedelta(days=rng.randint(0, 140), minutes=rng.randint(0, 1440)),
            submission_key=f"demo{rng.getrandbits(112):028x}",
            is_assisted=rng.random() < 0.2,
        )
        for _ in range(count)
    )
    answers = []
    for response in responses:
        for question in questions:
            if not question.required and rng.random() < 0.1:
                continue
            values = {}
            if question.kind == Question.Kind.FACES:
                values["number"] = rng.choices([1, 2, 3, 4, 5], weights=[1, 2, 4, 6, 5])[0]
            elif question.kind == Question.Kind.SCALE:
                values["number"] = rng.randint(3, 10)
            elif question.kind in (Question.Kind.YES_NO, Question.Kind.SINGLE):
                values["choices"] = [rng.choice(question.choice_list())]
            elif question.kind == Question.Kind.MULTIPLE:
                options = question.choice_list()
                values["choices"] = [o for o in options if rng.random() < 0.4] or options[:1]
            else:
                text = rng.choice(WRITTEN)
                if not text:
                    continue
                values["text"] = text
            answers.append(
                Answer(council_id=form.council_id, response=response, question=question, **values)
            )
    Answer.objects.bulk_create(answers)


def _named_feedback(council, officer, practitioner, rng) -> None:
    """A form that asks for names, completed with a worker for a few young people, so their
    records show "Gave feedback". Only when the activities demo has made young people."""
    people = list(YoungPerson.objects.filter(council=council).order_by("reference")[:6])
    if not people:
        return
    form = services.form_create(
        council=council,
        actor=officer,
        title="After your review",
        audience=FeedbackForm.Audience.YOUNG_PEOPLE,
        service_area=FeedbackForm.ServiceArea.CHILDREN_IN_CARE,
        is_anonymous=False,
    )
    question = services.question_add(
        form=form,
        actor=officer,
        kind=Question.Kind.FACES,
        text="How did your review go?",
        required=True,
    )
    services.form_publish(form=form, actor=officer)
    form.refresh_from_db()
    question = form.live_version.questions.order_by("position").first() or question
    for number, person in enumerate(people):
        data = QueryDict(mutable=True)
        data[services.field_name(question)] = str(rng.randint(3, 5))
        response, _ = services.response_submit(
            form=form,
            version=form.live_version,
            data=data,
            submission_key=f"demo-named-{council.slug}-{number}".ljust(32, "0")[:32],
            assisted_by=practitioner,
            young_person=person,
        )
        Response.objects.filter(pk=response.pk).update(
            submitted_at=timezone.now() - timedelta(days=rng.randint(3, 120))
        )
