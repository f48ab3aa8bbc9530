from django.urls import reverse

from participation.activities.models import ActivityKind, ServiceArea
from tests.conftest import client_for
from tests.participation.activities.factories import (
    ActivityFactory,
    ActivityKindFactory,
    ServiceAreaFactory,
)


def url(name, council, **kwargs):
    return reverse(name, kwargs={"council_slug": council.slug, **kwargs})


def test_officer_adds_a_kind_and_a_service_area(council_a, officer_a):
    client = client_for(officer_a)
    client.post(
        url("council_lists", council_a),
        {"add": "kind", "kind-name": "Mystery shopping", "kind-usual_type": "consultation"},
    )
    client.post(url("council_lists", council_a), {"add": "area", "area-name": "Fostering"})
    assert ActivityKind.objects.get(council=council_a, name="Mystery shopping").usual_type == (
        "consultation"
    )
    assert ServiceArea.objects.filter(council=council_a, name="Fostering").exists()
    page = client.get(url("activity_create", council_a)).content.decode()
    assert "Mystery shopping" in page and "Fostering" in page


def test_a_name_already_on_the_list_is_refused(council_a, officer_a):
    client = client_for(officer_a)
    client.get(url("council_lists", council_a))  # seeds the standard lists
    count = ActivityKind.objects.filter(council=council_a).count()
    response = client.post(
        url("council_lists", council_a), {"add": "kind", "kind-name": "  focus   GROUP "}
    )
    assert "This council already has a kind of activity called focus GROUP." in (
        response.content.decode()
    )
    empty = client.post(url("council_lists", council_a), {"add": "area", "area-name": ""})
    assert "Enter the name of the service area." in empty.content.decode()
    assert ActivityKind.objects.filter(council=council_a).count() == count


def test_a_retired_kind_leaves_the_form_but_stays_on_its_activities(council_a, officer_a):
    kind = ActivityKindFactory(council=council_a, name="Pizza night")
    area = ServiceAreaFactory(council=council_a, name="Old team")
    activity = ActivityFactory(council=council_a, kind=kind)
    activity.area_links.create(council=council_a, service_area=area)
    client = client_for(officer_a)
    confirm = client.get(url("kind_retire", council_a, kind_id=kind.pk)).content.decode()
    assert "Retire Pizza night?" in confirm
    client.post(url("kind_retire", council_a, kind_id=kind.pk))
    client.post(url("service_area_retire", council_a, area_id=area.pk))
    kind.refresh_from_db()
    assert not kind.is_active
    lists = client.get(url("council_lists", council_a)).content.decode()  # shows the messages
    assert "Pizza night retired." in lists
    new = client.get(url("activity_create", council_a)).content.decode()
    assert "Pizza night" not in new and "Old team" not in new
    edit = client.get(url("activity_edit", council_a, activity_id=activity.pk)).content.decode()
    assert "Pizza night" in edit and "Old team" in edit
    listed = client.get(url("activity_list", council_a), {"kind": kind.pk}).content.decode()
    assert activity.title in listed
    client.post(url("kind_restore", council_a, kind_id=kind.pk))
    kind.refresh_from_db()
    assert kind.is_active


def test_only_officers_and_admins_change_the_lists(council_a, member_a, manager_a, admin_a):
    kind = ActivityKindFactory(council=council_a)
    for membership in (member_a, manager_a):
        client = client_for(membership)
        assert client.get(url("council_lists", council_a)).status_code == 403
        assert client.post(url("kind_retire", council_a, kind_id=kind.pk)).status_code == 403
    kind.refresh_from_db()
    assert kind.is_active
    assert client_for(admin_a).get(url("council_lists", council_a)).status_code == 200
