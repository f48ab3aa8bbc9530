import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from forums.models import Forum
from participation.management.commands.demo_data import DEMO_PASSWORD
from participation.models import Council, Membership, User


def test_demo_data_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_data")
    assert not Council.objects.exists()


def test_demo_data_is_repeatable_and_each_login_sees_its_menu_and_council(db, settings):
    # One test, because loading the demo takes seconds: run it twice, then sign in as each role.
    settings.DEBUG = True
    call_command("demo_data")
    call_command("demo_data")
    assert set(Council.objects.values_list("slug", flat=True)) == {"northbrook", "westmoor"}
    for council in Council.objects.all():
        roles = set(Membership.objects.filter(council=council).values_list("role", flat=True))
        assert roles == set(Membership.Role.values)
        assert Forum.objects.filter(council=council, name="Children in Care Council").exists()
        _assert_forum_life(council)
    assert User.objects.count() == 9

    for email, sees_people in [
        ("practitioner@northbrook.example", False),
        ("officer@northbrook.example", False),
        ("manager@westmoor.example", False),
        ("admin@westmoor.example", True),
    ]:
        client = Client()
        response = client.post(
            "/account/sign-in/", {"username": email, "password": DEMO_PASSWORD}, follow=True
        )
        slug = email.split("@")[1].split(".")[0]
        assert response.redirect_chain[-1][0] == f"/c/{slug}/", email
        html = response.content.decode()
        assert (f'href="/c/{slug}/people/"' in html) is sees_people, email
        other = "westmoor" if slug == "northbrook" else "northbrook"
        assert client.get(f"/c/{other}/").status_code == 404, email


def _assert_forum_life(council):
    from forums.models import Ask, Attendance, ConsultationRequest, Meeting, WorkItem
    from participation.activities.models import FORUM_MEETING, Activity

    meetings = Meeting.objects.filter(council=council)
    assert meetings.count() >= 12
    assert Attendance.objects.filter(council=council, status="present").exists()
    assert set(Ask.objects.filter(council=council).values_list("status", flat=True)) == set(
        Ask.Status.values
    )
    assert set(
        ConsultationRequest.objects.filter(council=council).values_list("status", flat=True)
    ) == set(ConsultationRequest.Status.values)
    assert WorkItem.objects.filter(council=council, objective__isnull=False).exists()
    # One activity per meeting, and none of the forum-meeting kind logged by hand.
    kind_activities = Activity.objects.filter(council=council, kind__code=FORUM_MEETING)
    assert kind_activities.count() == meetings.count()
