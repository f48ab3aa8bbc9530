"""Builders for feedback forms, responses and alerts, going through the services where the rules
live (versions, links, alerts) so tests see what users would."""

from django.http import QueryDict

from feedback import services
from feedback.models import (
    Answer,
    FeedbackForm,
    Question,
    Response,
    SafeguardingAlert,
    SafeguardingContact,
    YouSaidWeDid,
)
from participation.models import Membership
from tests.factories import MembershipFactory

K = Question.Kind


def officer(council):
    return MembershipFactory(council=council, role=Membership.Role.PARTICIPATION_OFFICER).user


def make_form(council, *, questions=None, publish=True, title="How are we doing?", **fields):
    """A form with a faces question, a yes/no, a choose-any and a long text by default."""
    actor = officer(council)
    form = services.form_create(
        council=council,
        actor=actor,
        title=title,
        **{
            "audience": FeedbackForm.Audience.YOUNG_PEOPLE,
            "service_area": FeedbackForm.ServiceArea.CHILDREN_IN_CARE,
            **fields,
        },
    )
    specs = (
        questions
        if questions is not None
        else [
            {"kind": K.FACES, "text": "How do you feel about where you live?", "required": True},
            {"kind": K.YES_NO, "text": "Do you have a trusted adult?"},
            {"kind": K.MULTIPLE, "text": "Who do you see?", "choices": "Mum\nDad\nFriends"},
            {"kind": K.LONG_TEXT, "text": "Anything else?"},
        ]
    )
    for spec in specs:
        services.question_add(form=form, actor=actor, **spec)
    if publish:
        services.form_publish(form=form, actor=actor)
    form.refresh_from_db()
    return form


def post_data(form, values: dict, version=None) -> QueryDict:
    """values maps question position (0-based) to a value or a list of values."""
    version = version or form.live_version
    questions = list(version.questions.order_by("position", "pk"))
    data = QueryDict(mutable=True)
    for position, value in values.items():
        name = services.field_name(questions[position]) if isinstance(position, int) else position
        for v in value if isinstance(value, list) else [value]:
            data.appendlist(name, v)
    return data


_counter = iter(range(10**9))


def submit(form, values=None, *, version=None, assisted_by=None) -> Response:
    version = version or form.live_version
    values = values if values is not None else {0: "4"}
    response, _ = services.response_submit(
        form=form,
        version=version,
        data=post_data(form, values, version),
        submission_key=f"{next(_counter):032d}",
        assisted_by=assisted_by,
    )
    return response


def make_alert(council) -> SafeguardingAlert:
    form = make_form(council)
    response = submit(form, {0: "2", "talk": "yes"})
    return SafeguardingAlert.objects.get(response=response)


def make_question(council):
    form = make_form(council, publish=False)
    return form, form.versions.get().questions.first()


def make_answer(council):
    form = make_form(council)
    response = submit(form, {0: "3", 3: "Things at school are hard"})
    return form, Answer.objects.filter(response=response).exclude(text="").get()


def make_contact(council):
    return SafeguardingContact.objects.create(
        council=council, membership=MembershipFactory(council=council)
    )


def make_you_said(council, **fields):
    return YouSaidWeDid.objects.create(
        council=council,
        you_said=fields.pop("you_said", "There is nothing to do at weekends."),
        we_did=fields.pop("we_did", "We opened the youth centre on Saturdays."),
        **fields,
    )
