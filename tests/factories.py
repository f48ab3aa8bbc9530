import factory

from forums.models import Forum
from participation.models import Council, Invitation, Membership, User

PASSWORD = "correct horse battery"


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Council {n}")
    slug = factory.Sequence(lambda n: f"council-{n}")

    @factory.post_generation
    def default_lists(council, create, extracted, **kwargs):
        # The lists council_create makes (without its audit event, which would show up in
        # tests that check nothing was recorded).
        if create:
            from participation.services import council_default_lists_create

            council_default_lists_create(council=council)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.objects.create_user(*args, password=PASSWORD, **kwargs)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    council = factory.SubFactory(CouncilFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.PRACTITIONER


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    council = factory.SubFactory(CouncilFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = Membership.Role.PRACTITIONER


class ForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forum

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"Forum {n}")
    audience = Forum.Audience.CHILDREN_IN_CARE
