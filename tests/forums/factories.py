import datetime

import factory

from forums.models import ForumMember
from tests.factories import CouncilFactory, ForumFactory
from tests.participation.activities.factories import YoungPersonFactory


class ForumMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ForumMember

    council = factory.SubFactory(CouncilFactory)
    forum = factory.SubFactory(ForumFactory, council=factory.SelfAttribute("..council"))
    young_person = factory.SubFactory(
        YoungPersonFactory, council=factory.SelfAttribute("..council")
    )
    role = ForumMember.Role.MEMBER
    joined_on = datetime.date(2026, 1, 10)


def make_meeting(forum, *, actor=None, date=None, **fields):
    """Meetings are made through the service, so each has its one activity as in real use."""
    from forums import services
    from tests.factories import MembershipFactory

    if actor is None:
        actor = MembershipFactory(council=forum.council, role="participation_officer").user
    fields.setdefault("place", "Youth Hub")
    return services.meeting_create(
        forum=forum,
        actor=actor,
        date=date or datetime.date.today() - datetime.timedelta(days=30),
        **fields,
    )


def make_ask(forum, *, actor=None, addressed_to=None, **fields):
    from forums import services
    from tests.factories import MembershipFactory

    if actor is None:
        actor = MembershipFactory(council=forum.council, role="participation_officer").user
    if addressed_to is None and not fields.get("addressed_to_role"):
        fields["addressed_to_role"] = "Lead Member for Children"
    fields.setdefault("raised_on", datetime.date.today() - datetime.timedelta(days=5))
    fields.setdefault("you_said", "We want free bus passes for care leavers.")
    return services.ask_create(forum=forum, actor=actor, addressed_to=addressed_to, **fields)


def add_visitor(meeting, young_person=None):
    """A young person recorded as having come to the meeting without being a member (present).
    Written directly, as a fixture, so the meeting's version and activity stay as they were."""
    from forums.models import Attendance

    if young_person is None:
        young_person = YoungPersonFactory(council=meeting.council)
    Attendance.objects.create(
        council=meeting.council,
        meeting=meeting,
        young_person=young_person,
        status=Attendance.Status.PRESENT,
        is_member=False,
    )
    return young_person


def make_consultation(forum, *, requested_by, **fields):
    """A request to consult the forum, still waiting for a decision."""
    from forums.models import ConsultationRequest

    fields = {
        "topic": "Placements",
        "reason": "To change the sufficiency plan",
        "needed_by": "2030-01-01",
        "format": "discussion",
        **fields,
    }
    return ConsultationRequest.objects.create(
        council=forum.council, forum=forum, requested_by=requested_by, **fields
    )
