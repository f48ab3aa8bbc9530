"""A waiting safeguarding alert is the first thing its readers see on their home page."""

from django.utils import timezone

from feedback.models import SafeguardingContact
from tests.conftest import client_for
from tests.feedback.factories import make_alert

BANNER = "safeguarding alert waiting for someone to read it"


def test_officer_sees_the_waiting_alert_on_home_until_it_is_acknowledged(council_a, officer_a):
    alert = make_alert(council_a)
    client = client_for(officer_a)
    html = client.get("/c/council-a/").content.decode()
    assert "1 " + BANNER in html
    assert "/c/council-a/feedback/alerts/?status=waiting" in html
    alert.acknowledged_at = timezone.now()
    alert.acknowledged_by = officer_a.user
    alert.save()
    assert BANNER not in client.get("/c/council-a/").content.decode()


def test_practitioner_sees_it_only_when_named_as_a_contact(council_a, member_a):
    make_alert(council_a)
    client = client_for(member_a)
    assert BANNER not in client.get("/c/council-a/").content.decode()
    SafeguardingContact.objects.create(council=council_a, membership=member_a)
    assert BANNER in client.get("/c/council-a/").content.decode()


def test_another_councils_alert_never_shows(council_a, officer_a, council_b):
    make_alert(council_b)
    assert BANNER not in client_for(officer_a).get("/c/council-a/").content.decode()
