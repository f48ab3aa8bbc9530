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
