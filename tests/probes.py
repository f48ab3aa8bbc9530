"""How to make one council-owned object for every council URL that takes an object id.

tests/test_cross_council_probe.py walks the URL configuration and fails when a pattern under
/c/<council_slug>/ takes an id but has no entry here, so each new feature must add one: a function
that creates the object in the given council and returns the URL's keyword arguments.
"""

from tests.factories import ForumFactory, InvitationFactory, MembershipFactory
from tests.participation.activities.factories import (
    ActivityFactory,
    ActivityKindFactory,
    ParticipationFactory,
    ServiceAreaFactory,
    YoungPersonFactory,
)


def _membership(council):
    return {"membership_id": MembershipFactory(council=council).pk}


def _invitation(council):
    return {"invitation_id": InvitationFactory(council=council).pk}


def _forum(council):
    return {"forum_id": ForumFactory(council=council).pk}


def _activity(council):
    return {"activity_id": ActivityFactory(council=council).pk}


def _participation(council):
    participation = ParticipationFactory(activity=ActivityFactory(council=council))
    return {"activity_id": participation.activity_id, "participation_id": participation.pk}


def _young_person(council):
    return {"young_person_id": YoungPersonFactory(council=council).pk}


def _kind(council):
    return {"kind_id": ActivityKindFactory(council=council).pk}


def _service_area(council):
    return {"area_id": ServiceAreaFactory(council=council).pk}


PROBES = {
    "membership_edit": _membership,
    "membership_deactivate": _membership,
    "membership_reactivate": _membership,
    "invitation_revoke": _invitation,
    "forum_detail": _forum,
    "forum_edit": _forum,
    "forum_archive": _forum,
    "forum_restore": _forum,
    "activity_detail": _activity,
    "activity_edit": _activity,
    "activity_duplicate": _activity,
    "activity_delete": _activity,
    "participation_edit": _participation,
    "young_person_detail": _young_person,
    "young_person_edit": _young_person,
    "young_person_delete": _young_person,
    "kind_retire": _kind,
    "kind_restore": _kind,
    "service_area_retire": _service_area,
    "service_area_restore": _service_area,
    "forum_api_detail": _forum,
}

# Whatever a hostile form post might carry: enough to change something if a view let it through.
HOSTILE_POST = {
    "name": "Changed by another council",
    "role": "council_admin",
    "audience": "care_leavers",
    "meets": "weekly",
    "status": "red",
    "title": "Changed by another council",
}
