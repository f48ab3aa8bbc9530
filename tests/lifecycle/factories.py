"""A young person named in every kind of record Heard holds, for retention, erasure and subject
access tests."""

from datetime import date

from feedback.models import Answer, Response, SafeguardingAlert
from forums.models import Attendance, ForumMember
from participation.activities.models import Participation
from tests.factories import ForumFactory
from tests.feedback.factories import make_form
from tests.forums.factories import make_meeting
from tests.participation.activities.factories import ActivityFactory, YoungPersonFactory

_serial = iter(range(10**9))


def named_everywhere(council, *, name: str, on: date = date(2026, 5, 12), form=None):
    """A young person with an activity, a forum membership and attendance, a named response
    with a written answer that names them, and an alert on it. Returns (person, response)."""
    person = YoungPersonFactory(
        council=council,
        preferred_name=name,
        contact_notes=f"Call {name}'s carer first",
        ethnicity="mixed",
        gender="girl",
    )
    activity = ActivityFactory(
        council=council, starts_on=on, what_young_people_said=f"{name} asked for a quieter room."
    )
    Participation.objects.create(council=council, activity=activity, young_person=person)
    forum = ForumFactory(council=council, name=f"Forum {next(_serial)}")
    ForumMember.objects.create(
        council=council, forum=forum, young_person=person, joined_on=on, left_on=on
    )
    # Meetings cannot be planned years ahead of the real clock, so a future `on` is clamped.
    meeting = make_meeting(
        forum, date=min(on, date.today()), minutes=f"{name} chaired the item on placements."
    )
    Attendance.objects.create(
        council=council, meeting=meeting, young_person=person, status="present"
    )
    form = form or make_form(council, is_anonymous=False)
    response = Response.objects.create(
        council=council,
        form=form,
        version=form.live_version,
        submission_key=f"named-{next(_serial)}",
        respondent_name=name,
        contact_details="07700 900123",
        young_person=person,
        wants_to_talk=True,
    )
    questions = list(form.live_version.questions.order_by("position"))
    Answer.objects.create(council=council, response=response, question=questions[0], number=2)
    Answer.objects.create(
        council=council,
        response=response,
        question=questions[-1],
        text=f"My name is {name} and I want to move school.",
    )
    SafeguardingAlert.objects.create(
        council=council,
        response=response,
        reason=SafeguardingAlert.Reason.ASKED,
        action_taken=f"Spoke to {name} at school.",
    )
    return person, response
