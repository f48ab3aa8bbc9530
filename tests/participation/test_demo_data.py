import time

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.oath import TOTP

from feedback.models import FeedbackForm, Response, SafeguardingAlert, YouSaidWeDid
from feedback.templates_library import TEMPLATES
from forums.models import Forum
from participation.management.commands.demo_data import (
    DEMO_PASSWORD,
    DEMO_RECOVERY_CODES,
    demo_key_hex,
)
from participation.models import Council, Membership, User
from reporting.models import ReportRun


def test_demo_data_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_data")
    assert not Council.objects.exists()


def test_demo_data_is_repeatable_and_each_login_sees_its_menu_and_council(db, settings):
    # One test, because loading the demo takes seconds: run it twice, then sign in as each role
    # and check each app's part of the demo.
    settings.DEBUG = True
    call_command("demo_data")
    call_command("demo_data")
    check_feedback_demo()
    assert set(Council.objects.values_list("slug", flat=True)) == {"northbrook", "westmoor"}
    for council in Council.objects.all():
        roles = set(Membership.objects.filter(council=council).values_list("role", flat=True))
        assert roles == set(Membership.Role.values)
        assert Forum.objects.filter(council=council, name="Children in Care Council").exists()
        runs = ReportRun.objects.filter(council=council)
        assert (
            runs.filter(state=ReportRun.State.FINAL, status=ReportRun.Status.SUCCEEDED).count() == 1
        )
        assert runs.filter(state=ReportRun.State.DRAFT).count() == 1
        _assert_forum_life(council)
    assert User.objects.count() == 9

    # The printed second step works: the demo key's current code for one, a recovery code for
    # the other (the codes a second run renewed).
    totp = TOTP(bytes.fromhex(demo_key_hex()))
    totp.time = time.time()
    for email, sees_people, code in [
        ("practitioner@northbrook.example", False, None),
        ("officer@northbrook.example", False, None),
        ("manager@westmoor.example", False, f"{totp.token():06d}"),
        ("admin@westmoor.example", True, DEMO_RECOVERY_CODES[0]),
    ]:
        client = Client()
        response = client.post(
            "/account/sign-in/", {"username": email, "password": DEMO_PASSWORD}, follow=True
        )
        slug = email.split("@")[1].split(".")[0]
        if code is not None:
            assert response.redirect_chain[-1][0].startswith("/account/two-factor/code/"), email
            response = client.post(
                "/account/two-factor/code/", {"code": code, "next": f"/c/{slug}/"}, follow=True
            )
        assert response.redirect_chain[-1][0] == f"/c/{slug}/", email
        html = response.content.decode()
        assert (f'href="/c/{slug}/people/"' in html) is sees_people, email
        other = "westmoor" if slug == "northbrook" else "northbrook"
        assert client.get(f"/c/{other}/").status_code == 404, email


def check_feedback_demo():
    """The feedback library and two open forms with responses, in each council."""
    for council in Council.objects.all():
        forms = FeedbackForm.objects.filter(council=council)
        # The library, plus one form that asks for names ("After your review").
        assert forms.count() == len(TEMPLATES) + 1
        open_forms = [f for f in forms if f.is_open]
        assert len(open_forms) == 3
        named = Response.objects.filter(council=council).exclude(young_person=None)
        assert named.count() == 6
        assert {r.form.title for r in named} == {"After your review"}
        assert all(r.young_person.council_id == council.pk for r in named)
        assert Response.objects.filter(council=council).count() > 300
        assert SafeguardingAlert.objects.filter(council=council).count() == 1
        assert YouSaidWeDid.objects.filter(council=council, is_published=True).count() == 2


def test_demo_data_prints_the_logins_not_alert_emails_or_warnings(
    transactional_db, settings, capsys, caplog
):
    # As bin/start runs it: DEBUG on, email to the console, and the command's transaction really
    # commits (transactional_db), so the alerts' notification tasks run as they do there.
    settings.DEBUG = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    call_command("demo_data")
    assert SafeguardingAlert.objects.filter(notified_at__isnull=False).exists()
    out = capsys.readouterr()
    assert "Demo logins" in out.out
    # Managers and admins are marked, with the way in for their second step.
    assert "manager@northbrook.example *" in out.out
    assert "practitioner@northbrook.example *" not in out.out
    assert "HEAR DDEM OTOT PKEY" in out.out and DEMO_RECOVERY_CODES[-1] in out.out
    assert "Subject:" not in out.out + out.err
    noisy = [r.getMessage() for r in caplog.records if r.levelname != "DEBUG"]
    assert not [m for m in noisy if "hostname" in m or "succeeded in" in m], noisy


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


def test_demo_code_prints_the_demo_keys_current_code(capsys):
    totp = TOTP(bytes.fromhex(demo_key_hex()))
    before = time.time()
    call_command("demo_code")
    after = time.time()
    expected = set()
    for moment in (before, after):  # the command may have run either side of a 30-second step
        totp.time = moment
        expected.add(f"{totp.token():06d}")
    assert capsys.readouterr().out.split()[0] in expected
