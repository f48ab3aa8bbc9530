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
