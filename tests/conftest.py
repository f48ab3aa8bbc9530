"""The three personas every permission test uses (after healthchecks' alice, bob and charlie):

- `member_a`: a practitioner in council A
- `admin_a`: a council admin in council A
- `member_b`: a practitioner in council B
"""

import pytest
from django.test import Client

from participation.models import Membership
from tests.factories import CouncilFactory, MembershipFactory


@pytest.fixture
def council_a(db):
    return CouncilFactory(name="Council A", slug="council-a")


@pytest.fixture
def council_b(db):
    return CouncilFactory(name="Council B", slug="council-b")


@pytest.fixture
def member_a(council_a):
    return MembershipFactory(council=council_a, role=Membership.Role.PRACTITIONER)


@pytest.fixture
def officer_a(council_a):
    return MembershipFactory(council=council_a, role=Membership.Role.PARTICIPATION_OFFICER)


@pytest.fixture
def manager_a(council_a):
    return MembershipFactory(council=council_a, role=Membership.Role.MANAGER)


@pytest.fixture
def admin_a(council_a):
    return MembershipFactory(council=council_a, role=Membership.Role.COUNCIL_ADMIN)


@pytest.fixture
def member_b(council_b):
    return MembershipFactory(council=council_b, role=Membership.Role.PRACTITIONER)


@pytest.fixture
def admin_b(council_b):
    return MembershipFactory(council=council_b, role=Membership.Role.COUNCIL_ADMIN)


def client_for(membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    return client
