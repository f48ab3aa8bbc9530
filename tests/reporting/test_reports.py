"""The quarterly report: figures, freezing, the PDF, the task and who may see what."""

import io
from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from feedback.models import Response, SafeguardingAlert
from participation.activities.models import Activity
from reporting import rendering, selectors, services
from reporting.models import ReportRun
from tests.conftest import client_for
from tests.feedback import factories as fb
from tests.participation.activities.factories import (
    ActivityFactory,
    ActivityKindFactory,
    ParticipationFactory,
    YoungPersonFactory,
)
from tests.querycount import assert_constant_queries
from tests.reporting.factories import make_draft


def this_quarter(council):
    return selectors.quarter_of(council=council, day=timezone.localdate())


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def page_text(response) -> str:
    import re

    html = response.content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def take_part(council, *, people: int, activities: int = 1, kind_name="Forum session", day=None):
    day = day or this_quarter(council).start
    kind = ActivityKindFactory(council=council, name=kind_name)
    crowd = [YoungPersonFactory(council=council) for _ in range(people)]
    for _ in range(activities):
        activity = ActivityFactory(council=council, kind=kind, starts_on=day)
        for person in crowd:
            ParticipationFactory(activity=activity, young_person=person)
    return kind


def finalise(run, officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.report_finalise(run=run, actor=officer.user)
    run.refresh_from_db()
    return run


@pytest.fixture
def officer(officer_a):
    return officer_a


@pytest.fixture
def draft(council_a, officer):
    return services.report_create_draft(
        council=council_a,
        actor=officer.user,
        quarter_start=this_quarter(council_a).start,
        audience=ReportRun.Audience.CORPORATE_PARENTING,
    )


def test_pdf_figures_are_the_pages_figures(
    council_a, officer, manager_a, draft, django_capture_on_commit_callbacks
):
    take_part(council_a, people=7, activities=2)
    form = fb.make_form(council_a, title="Living in care")
    for _ in range(6):
        fb.submit(form, {0: "4"})
    quarter = this_quarter(council_a)

    reach_page = page_text(
        client_for(manager_a).get(
            reverse("reach", args=[council_a.slug]) + f"?quarter={quarter.start}"
        )
    )
    sentence = (
        "7 different young people with a record took part in done activities this quarter, "
        "14 times in all."
    )
    assert sentence in reach_page

    run = finalise(draft, officer, django_capture_on_commit_callbacks)
    assert run.status == ReportRun.Status.SUCCEEDED, run.error
    text = pdf_text(run.file.read())
    assert sentence in text
    figures = run.figures["sections"]
    assert figures["activity"]["by_kind"] == [["Forum session", 2]]
    assert "Forum session 2" in text
    assert figures["feedback"]["responses"][0]["count"] == 6
    assert "Living in care Children in care 6" in text or "Living in care" in text
    assert "6 feedback responses were received in the quarter." in text
    assert "Page 1 of" in text
    # The requester hears by email with a link, never the file.
    assert len(mail.outbox) == 1
    assert not mail.outbox[0].attachments
    assert reverse("report_detail", args=[council_a.slug, run.pk]) in mail.outbox[0].body


def test_small_numbers_suppressed_as_the_page_does(
    council_a, officer, manager_a, draft, django_capture_on_commit_callbacks
):
    take_part(council_a, people=3)
    quarter = this_quarter(council_a)
    page = page_text(
        client_for(manager_a).get(
            reverse("reach", args=[council_a.slug]) + f"?quarter={quarter.start}"
        )
    )
    sentence = (
        "fewer than 5 different young people with a record took part in done activities this "
        "quarter, fewer than 5 times in all."
    )
    assert sentence in page
    run = finalise(draft, officer, django_capture_on_commit_callbacks)
    text = pdf_text(run.file.read())
    assert sentence in text
    assert " 3 different young people" not in text


def test_a_quarter_with_no_data_renders_and_says_so(
    council_a, officer, draft, django_capture_on_commit_callbacks
):
    run = finalise(draft, officer, django_capture_on_commit_callbacks)
    assert run.status == ReportRun.Status.SUCCEEDED, run.error
    text = pdf_text(run.file.read())
    for section in selectors.SECTIONS:
        if section.empty_text:
            assert section.empty_text in text


def test_pdf_is_tagged_with_title_and_language(
    council_a, officer, draft, django_capture_on_commit_callbacks
):
    run = finalise(draft, officer, django_capture_on_commit_callbacks)
    reader = PdfReader(io.BytesIO(run.file.read()))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert str(root["/Lang"]).lower() == "en-gb"
    assert "/StructTreeRoot" in root
    assert reader.metadata.title.startswith("Council A: participation report, Q")
    assert run.checksum and run.size == len(run.file.open("rb").read())


def test_a_final_report_does_not_change_when_the_data_does(
    council_a, officer, draft, django_capture_on_commit_callbacks
):
    take_part(council_a, people=6)
    run = finalise(draft, officer, django_capture_on_commit_callbacks)
    frozen = run.figures
    before = run.file.read()
    take_part(council_a, people=9, kind_name="Panel")
    Activity.objects.filter(council=council_a).update(title="Changed")
    run.refresh_from_db()
    assert run.figures == frozen
    assert run.figures["sections"]["reach"]["unique_shown"] == "6"
    # The preview of a final report shows the frozen figures too.
    page = page_text(
        client_for(officer).get(reverse("report_preview", args=[council_a.slug, run.pk]))
    )
    assert "6 different young people" in page
    # A new version reads the data afresh; the old one keeps its file.
    new = services.report_new_version(run=run, actor=officer.user)
    assert new.version == 2 and not new.is_final
    new = finalise(new, officer, django_capture_on_commit_callbacks)
    assert new.figures["sections"]["reach"]["unique_shown"] == "15"
    run.refresh_from_db()
    assert run.file.open("rb").read() == before


def test_two_requests_make_one_run(council_a, officer, django_capture_on_commit_callbacks):
    client = client_for(officer)
    url = reverse("report_create", args=[council_a.slug])
    data = {"quarter": this_quarter(council_a).start.isoformat(), "audience": "dlt"}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert ReportRun.objects.filter(council=council_a).count() == 1
    run = ReportRun.objects.get(council=council_a)
    # Finalising twice: the second joins the first, and the PDF is made once.
    finalise(run, officer, django_capture_on_commit_callbacks)
    run = finalise(run, officer, django_capture_on_commit_callbacks)
    assert run.attempts == 1
    assert ReportRun.objects.filter(council=council_a).count() == 1


def test_a_failing_render_marks_the_run_failed(
    council_a, officer, draft, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(html, **kwargs):
        raise ValueError("the stylesheet could not be read")

    monkeypatch.setattr(rendering, "render_pdf", broken)
    run = finalise(draft, officer, django_capture_on_commit_callbacks)
    assert run.status == ReportRun.Status.FAILED
    assert run.error == "ValueError: the stylesheet could not be read"
    assert not run.file
    assert not mail.outbox
    page = client_for(officer).get(reverse("report_detail", args=[council_a.slug, run.pk]))
    assert "the stylesheet could not be read" in page.content.decode()


def test_a_stale_running_run_is_recovered(
    council_a, officer, draft, django_capture_on_commit_callbacks
):
    run = draft
    run.state = ReportRun.State.FINAL
    run.figures = selectors.report_figures(council=council_a, quarter_start=run.quarter_start)
    run.status = ReportRun.Status.RUNNING
    run.attempts = 1
    run.started_at = timezone.now() - timedelta(hours=1)
    run.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.recover_stale_runs() == {"retried": 1, "failed": 0}
    run.refresh_from_db()
    assert run.status == ReportRun.Status.SUCCEEDED and run.attempts == 2

    # After the last attempt it is marked failed, not tried for ever.
    run.status = ReportRun.Status.RUNNING
    run.attempts = services.MAX_ATTEMPTS
    run.started_at = timezone.now() - timedelta(hours=1)
    run.save()
    assert services.recover_stale_runs() == {"retried": 0, "failed": 1}
    run.refresh_from_db()
    assert run.status == ReportRun.Status.FAILED and "attempts" in run.error
    # A run that is still within its time is left alone.
    run.status = ReportRun.Status.RUNNING
    run.started_at = timezone.now()
    run.save()
    assert services.recover_stale_runs() == {"retried": 0, "failed": 0}


def test_download_permissions(
    council_a,
    officer,
    manager_a,
    admin_a,
    member_a,
    member_b,
    admin_b,
    draft,
    django_capture_on_commit_callbacks,
):
    run = finalise(draft, officer, django_capture_on_commit_callbacks)
    url = reverse("report_download", args=[council_a.slug, run.pk])
    for allowed in (officer, manager_a, admin_a):
        response = client_for(allowed).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client_for(member_a).get(url).status_code == 403
    assert (
        client_for(member_a).get(reverse("report_list", args=[council_a.slug])).status_code == 403
    )
    # Outsiders: 404 for A's report and its file, whatever their role.
    for outsider in (member_b, admin_b):
        assert client_for(outsider).get(url).status_code == 404
    # Under B's own address, B's admin (who may see B's reports) still finds no such report.
    client = client_for(admin_b)
    assert client.get(reverse("report_download", args=["council-b", run.pk])).status_code == 404
    assert client.get(reverse("report_detail", args=["council-b", run.pk])).status_code == 404
    # The file itself is not served from /media/.
    assert client_for(admin_a).get("/media/" + run.file.name).status_code == 404


def test_practitioner_cannot_create_and_nothing_changes(council_a, member_a):
    response = client_for(member_a).post(
        reverse("report_create", args=[council_a.slug]),
        {"quarter": this_quarter(council_a).start.isoformat(), "audience": "dlt"},
    )
    assert response.status_code == 403
    assert not ReportRun.objects.exists()


def test_the_editor_saves_words_and_sections(council_a, officer, draft):
    client = client_for(officer)
    response = client.post(
        reverse("report_edit", args=[council_a.slug, draft.pk]),
        {
            "introduction": "A busy quarter.",
            "purpose": "To update the Board.",
            "recommendation": "The Board is asked to note this report.",
            "sections": ["activity", "reach"],
            "narrative_reach": "More care leavers took part.",
            "preview": "1",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/reports/{draft.pk}/preview/")
    draft.refresh_from_db()
    assert draft.sections == ["activity", "reach"]
    assert draft.narratives == {"reach": "More care leavers took part."}
    preview = page_text(client.get(response["Location"]))
    assert "A busy quarter." in preview and "More care leavers took part." in preview
    assert "Safeguarding alerts" not in preview
    # No sections: refused with a message, nothing saved.
    response = client.post(
        reverse("report_edit", args=[council_a.slug, draft.pk]), {"introduction": "Changed"}
    )
    assert response.status_code == 400
    assert "Choose at least one section to include." in response.content.decode()
    draft.refresh_from_db()
    assert draft.introduction == "A busy quarter."


def test_safeguarding_counts(council_a):
    alert = fb.make_alert(council_a)
    quarter = this_quarter(council_a)
    figures = selectors.safeguarding(council_a, quarter)
    assert figures["raised"] == 1 and figures["still_open"] == 1 and figures["within_target"] == 0
    SafeguardingAlert.objects.filter(pk=alert.pk).update(
        acknowledged_at=alert.created_at + timedelta(minutes=5)
    )
    figures = selectors.safeguarding(council_a, quarter)
    assert figures["within_target"] == 1 and figures["still_open"] == 0
    # Another quarter sees none of it.
    previous = selectors.previous_quarter(council=council_a, quarter=quarter)
    assert selectors.safeguarding(council_a, previous)["raised"] == 0
    assert Response.objects.count() == 1


def test_the_fetcher_serves_only_static_files():
    fetcher = rendering.StaticOnlyFetcher()
    found = fetcher.fetch(rendering.STATIC_PREFIX + "reporting/report.css")
    assert b"@page" in found.read()
    for address in (
        "http://example.org/evil.css",
        "https://example.org/x.png",
        "file:///etc/passwd",
        rendering.STATIC_PREFIX + "../../../etc/passwd",
        rendering.MEDIA_PREFIX + "reports/someone-elses.pdf",
        "data:text/css,body{}",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(address)


def test_beat_makes_the_board_and_young_peoples_drafts_per_active_council(
    council_a, council_b, officer, settings
):
    from tests.factories import CouncilFactory

    CouncilFactory(is_active=False)
    today = timezone.localdate()
    last = selectors.last_finished_quarter(council=council_a, today=today)
    day = last.end + timedelta(days=settings.REPORT_DRAFT_DAYS_AFTER_QUARTER)
    made = services.make_quarter_drafts(today=day, days_after=10)
    assert sorted((run.council_id, run.audience) for run in made) == sorted(
        (council.pk, audience)
        for council in (council_a, council_b)
        for audience in (ReportRun.Audience.CORPORATE_PARENTING, ReportRun.Audience.YOUNG_PEOPLE)
    )
    assert all(run.quarter_start == last.start and not run.is_final for run in made)
    assert services.make_quarter_drafts(today=day, days_after=10) == []
    assert services.make_quarter_drafts(today=day + timedelta(days=1), days_after=10) == []
    assert ReportRun.objects.count() == 4


def test_beat_keeps_a_report_already_started_for_one_audience(council_a, officer, settings):
    last = selectors.last_finished_quarter(council=council_a, today=timezone.localdate())
    started = make_draft(council_a, quarter_start=last.start, audience="cpb")
    day = last.end + timedelta(days=10)
    made = services.make_quarter_drafts(today=day, days_after=10)
    assert [run.audience for run in made if run.council_id == council_a.pk] == ["young_people"]
    assert ReportRun.objects.filter(council=council_a, audience="cpb").get() == started


def test_beat_tells_the_councils_officers_with_a_link_and_no_personal_data(
    council_a, council_b, officer_a, admin_a, member_a, manager_a, settings
):
    from participation.models import Membership
    from reporting.tasks import make_quarter_drafts
    from tests.factories import MembershipFactory

    settings.SITE_URL = "https://heard.example.gov.uk"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    officer_b = MembershipFactory(council=council_b, role=Membership.Role.PARTICIPATION_OFFICER)
    gone = MembershipFactory(council=council_a, role=Membership.Role.PARTICIPATION_OFFICER)
    gone.is_active = False
    gone.save()
    young = YoungPersonFactory(council=council_a)
    last = selectors.last_finished_quarter(council=council_a, today=timezone.localdate())
    day = last.end + timedelta(days=settings.REPORT_DRAFT_DAYS_AFTER_QUARTER)

    assert make_quarter_drafts.delay(today=day.isoformat()).get() == 4

    to_a = [m for m in mail.outbox if council_a.name in m.subject]
    assert sorted(m.to[0] for m in to_a) == sorted([officer_a.user.email, admin_a.user.email])
    assert {m.to[0] for m in mail.outbox} == {
        officer_a.user.email,
        admin_a.user.email,
        officer_b.user.email,
    }
    assert all(len(m.to) == 1 and not m.attachments for m in mail.outbox)
    for run in ReportRun.objects.filter(council=council_a):
        link = "https://heard.example.gov.uk" + reverse(
            "report_detail", args=[council_a.slug, run.pk]
        )
        assert all(link in m.body for m in to_a)
    body = to_a[0].body
    assert council_b.name not in body
    for person in (officer_a.user, admin_a.user, member_a.user, manager_a.user):
        assert person.email not in body
        if person.get_full_name():
            assert person.get_full_name() not in body
    assert young.preferred_name not in body and young.reference not in body
    # The emails were sent once: a second run on the same day makes and sends nothing.
    sent = len(mail.outbox)
    assert make_quarter_drafts.delay(today=day.isoformat()).get() == 0
    assert len(mail.outbox) == sent


def test_list_and_editor_query_counts(council_a, officer):
    client = client_for(officer)
    quarters = selectors.quarter_choices(council=council_a, today=timezone.localdate())
    made = iter((q.start, audience) for q in quarters for audience in ReportRun.Audience.values)

    def grow(n):
        for _ in range(n):
            start, audience = next(made)
            make_draft(council_a, quarter_start=start, audience=audience)

    assert_constant_queries(
        lambda: client.get(reverse("report_list", args=[council_a.slug])), grow=grow
    )
    run = make_draft(council_a, quarter_start=quarters[0].start, audience="safeguarding")

    def grow_versions(n):
        for _ in range(n):
            services.report_new_version(
                run=ReportRun.objects.filter(pk=run.pk).get(), actor=officer.user
            )
            ReportRun.objects.filter(council=council_a, audience="safeguarding").update(
                state=ReportRun.State.FINAL
            )

    assert_constant_queries(
        lambda: client.get(reverse("report_detail", args=[council_a.slug, run.pk])),
        grow=grow_versions,
    )


def test_status_polling_partial(council_a, officer, draft):
    client = client_for(officer)
    url = reverse("report_detail", args=[council_a.slug, draft.pk]) + "?part=status"
    ReportRun.objects.filter(pk=draft.pk).update(status=ReportRun.Status.RUNNING, progress=40)
    response = client.get(url, headers={"HX-Request": "true"})
    assert '<progress id="progress-' in response.content.decode()
    assert 'value="40"' in response.content.decode()
    assert "HX-Refresh" not in response
    ReportRun.objects.filter(pk=draft.pk).update(status=ReportRun.Status.FAILED)
    response = client.get(url, headers={"HX-Request": "true"})
    assert response["HX-Refresh"] == "true"
    # Without JavaScript, a page showing a run in progress refreshes itself.
    ReportRun.objects.filter(pk=draft.pk).update(status=ReportRun.Status.QUEUED)
    page = client.get(reverse("report_list", args=[council_a.slug])).content.decode()
    assert '<meta http-equiv="refresh" content="10">' in page


# -- The forums section ----------------------------------------------------------------------


def hold_meeting(forum, officer, *, day, statuses):
    """A meeting with attendance: `statuses` is one status per member, each a new member."""
    from forums import services as forum_services
    from tests.forums.factories import ForumMemberFactory, make_meeting

    members = [
        ForumMemberFactory(council=forum.council, forum=forum, joined_on=day - timedelta(days=60))
        for _ in statuses
    ]
    meeting = make_meeting(forum, actor=officer.user, date=day)
    forum_services.attendance_save(
        meeting=meeting,
        actor=officer.user,
        statuses={m.young_person_id: s for m, s in zip(members, statuses, strict=True)},
        version=meeting.attendance_version,
    )
    return members


def test_forum_figures_are_the_forum_selectors_figures(
    council_a, council_b, officer, manager_a, draft, django_capture_on_commit_callbacks
):
    from forums import selectors as forum_selectors
    from forums import services as forum_services
    from tests.factories import ForumFactory, MembershipFactory
    from tests.forums.factories import make_ask

    quarter = this_quarter(council_a)
    youth = ForumFactory(council=council_a, name="Youth Council")
    care = ForumFactory(council=council_a, name="Children in Care Council")
    quiet = ForumFactory(council=council_a, name="Parent Carer Forum")
    day = quarter.start
    members = hold_meeting(youth, officer, day=day, statuses=["present"] * 5 + ["absent"])
    members += hold_meeting(care, officer, day=day, statuses=["present", "present", "absent"])
    for text in ("Free bus passes", "A quiet room"):
        make_ask(youth, actor=officer.user, raised_on=quarter.start, you_said=text)
    ask = make_ask(care, actor=officer.user, raised_on=quarter.start, addressed_to=manager_a.user)
    forum_services.ask_answer(ask=ask, actor=manager_a.user, status="partly_done", response="Soon")
    practitioner = MembershipFactory(council=council_a, role="practitioner")
    forum_services.consultation_request_create(
        forum=youth,
        actor=practitioner.user,
        topic="Placement plan",
        reason="We will change the plan.",
        needed_by=timezone.localdate() + timedelta(days=40),
        format="discussion",
    )
    other = ForumFactory(council=council_b, name="Bravo Youth Voice")
    officer_b = MembershipFactory(council=council_b, role="participation_officer")
    hold_meeting(other, officer_b, day=quarter.start, statuses=["present"] * 6)

    def expected(forum=None):
        period = {"council": council_a, "start": quarter.start, "end": quarter.end, "forum": forum}
        return {
            "meetings_held": forum_selectors.meetings_held(**period),
            "rate": forum_selectors.attendance_rate_between(**period),
            "asks_raised": forum_selectors.asks_raised(**period),
            "asks_answered": forum_selectors.asks_answered(**period),
            "consultations": forum_selectors.consultation_counts(**period),
        }

    youth_x, care_x, quiet_x, total_x = expected(youth), expected(care), expected(quiet), expected()
    # The selectors agree with what was made, so the report's rows below cannot pass by accident.
    assert (youth_x["meetings_held"], youth_x["rate"], youth_x["asks_raised"]) == (1, 83, 2)
    assert care_x["rate"] == 67 and care_x["asks_answered"]["partly_done"] == 1
    assert total_x["meetings_held"] == 2 and total_x["consultations"]["requested"] == 1

    data = selectors.report_figures(council=council_a, quarter_start=quarter.start)["sections"]
    section = data["forums"]
    assert [row["forum"] for row in section["forums"]] == [
        "Children in Care Council",
        "Parent Carer Forum",
        "Youth Council",
    ]
    for row, want in zip(section["forums"], (care_x, quiet_x, youth_x), strict=True):
        assert row["meetings_held"] == want["meetings_held"]
        assert row["asks_raised"] == want["asks_raised"]
        assert row["asks_answered"] == want["asks_answered"]
        assert row["consultations"] == want["consultations"]
    assert section["total"]["asks_answered"] == total_x["asks_answered"]
    assert section["total"]["consultations"] == total_x["consultations"]
    assert not section["includes_archived"] and not section["empty"]
    # Six members marked: the rate shows. Three: it is withheld, as reach withholds.
    assert section["forums"][2]["attendance"] == "83%"
    assert section["forums"][0]["attendance"].startswith("withheld")
    assert section["forums"][1]["attendance"] == "none recorded"
    key = dict((row[0], row[1]) for row in data["key_figures"]["rows"])
    assert key["Forum meetings held"] == str(total_x["meetings_held"])

    preview = page_text(
        client_for(officer).get(reverse("report_preview", args=[council_a.slug, draft.pk]))
    )
    run = finalise(draft, officer, django_capture_on_commit_callbacks)
    assert run.status == ReportRun.Status.SUCCEEDED, run.error
    pdf = pdf_text(run.file.read())
    youth_row = (
        f"Youth Council {youth_x['meetings_held']} {youth_x['rate']}% "
        f"{youth_x['asks_raised']} {youth_x['asks_answered']['total']}"
    )
    answers_row = "Children in Care Council 0 1 0 1"
    consult_row = "Youth Council 1 1 0 0 0 0"
    total_row = (
        f"All forums {total_x['meetings_held']} {total_x['rate']}% {total_x['asks_raised']} "
        f"{total_x['asks_answered']['total']}"
    )
    for text in (preview, pdf):
        assert youth_row in text
        assert answers_row in text and consult_row in text and total_row in text
        assert "Forum meetings held 2" in text
        assert (
            f"{total_x['meetings_held']} meetings were held in the quarter "
            f"(attendance of members: {total_x['rate']}%)"
        ) in text
        assert "67%" not in text  # the small forum's rate
        assert "Bravo Youth Voice" not in text
        assert "No forum meetings, asks or consultations" not in text
        for member in members:
            assert member.young_person.preferred_name not in text
            assert member.young_person.reference not in text


def test_a_quarter_without_forum_activity_says_so(
    council_a, officer, draft, django_capture_on_commit_callbacks
):
    from tests.factories import ForumFactory

    quarter = this_quarter(council_a)
    forum = ForumFactory(council=council_a, name="Youth Council")
    hold_meeting(forum, officer, day=quarter.start - timedelta(days=1), statuses=["present"] * 5)
    section = selectors.forums(council_a, quarter)
    assert section["empty"] and section["total"]["meetings_held"] == 0
    preview = page_text(
        client_for(officer).get(reverse("report_preview", args=[council_a.slug, draft.pk]))
    )
    run = finalise(draft, officer, django_capture_on_commit_callbacks)
    for text in (preview, pdf_text(run.file.read())):
        assert "No forum meetings, asks or consultations were recorded in this quarter." in text


def test_an_archived_forum_counts_in_the_total_without_a_row(council_a, officer):
    from forums import selectors as forum_selectors
    from tests.factories import ForumFactory

    quarter = this_quarter(council_a)
    forum = ForumFactory(council=council_a, name="Old Panel")
    hold_meeting(forum, officer, day=quarter.start, statuses=["present"] * 2)
    forum.is_archived = True
    forum.save()
    section = selectors.forums(council_a, quarter)
    assert section["forums"] == []
    assert section["total"]["meetings_held"] == forum_selectors.meetings_held(
        council=council_a, start=quarter.start, end=quarter.end
    )
    assert section["total"]["meetings_held"] == 1
    assert section["includes_archived"] and not section["empty"]
    assert section["total"]["attendance"].startswith("withheld")


# Quotes approved for reports ----------------------------------------------------------------


def written(response):
    return response.answers.exclude(text="").get()


def test_only_approved_quotes_of_the_quarter_appear(
    council_a, officer, draft, django_capture_on_commit_callbacks
):
    from feedback import services as feedback_services

    form = fb.make_form(council_a, title="Living in care", is_anonymous=False)
    approved = written(fb.submit(form, {0: "4", 3: "My foster carer helps me", "name": "Jessamy"}))
    not_approved = written(fb.submit(form, {0: "3", 3: "The bus is late"}))
    earlier = written(fb.submit(form, {0: "3", 3: "Last quarter words"}))
    quarter = this_quarter(council_a)
    Response.objects.filter(pk=earlier.response_id).update(
        submitted_at=timezone.make_aware(
            datetime.combine(quarter.start - timedelta(days=3), time(12))
        )
    )
    for answer in (approved, earlier):
        feedback_services.answer_approve_quote(answer=answer, actor=officer.user, approved=True)
    assert not_approved.quote_approved_at is None

    client = client_for(officer)
    preview = page_text(client.get(reverse("report_preview", args=[council_a.slug, draft.pk])))
    assert "My foster carer helps me" in preview
    assert "From the form “Living in care”" in preview
    assert "The bus is late" not in preview
    assert "Last quarter words" not in preview
    assert "Jessamy" not in preview

    run = finalise(draft, officer, django_capture_on_commit_callbacks)
    assert run.status == ReportRun.Status.SUCCEEDED, run.error
    text = pdf_text(run.file.read())
    assert "My foster carer helps me" in text
    assert "The bus is late" not in text and "Last quarter words" not in text
    assert "Jessamy" not in text
    assert run.figures["sections"]["feedback"]["quotes"] == [
        {"text": "My foster carer helps me", "form": "Living in care"}
    ]

    # Withdrawn: gone from a new draft, while the final keeps its frozen quote.
    feedback_services.answer_approve_quote(answer=approved, actor=officer.user, approved=False)
    final_preview = page_text(client.get(reverse("report_preview", args=[council_a.slug, run.pk])))
    assert "My foster carer helps me" in final_preview
    new = services.report_new_version(run=run, actor=officer.user)
    new_preview = page_text(client.get(reverse("report_preview", args=[council_a.slug, new.pk])))
    assert "My foster carer helps me" not in new_preview


def test_a_quote_approved_before_its_alert_stays_out(council_a, officer):
    from feedback import services as feedback_services

    form = fb.make_form(council_a)
    answer = written(fb.submit(form, {0: "2", 3: "Something happened at home"}))
    feedback_services.answer_approve_quote(answer=answer, actor=officer.user, approved=True)
    SafeguardingAlert.objects.create(
        council=council_a, response=answer.response, reason=SafeguardingAlert.Reason.PHRASE
    )
    quarter = this_quarter(council_a)
    assert (
        selectors.feedback_selectors.approved_quotes(
            council=council_a, start=quarter.start, end=quarter.end
        )
        == []
    )


# The young people's version ----------------------------------------------------------------


def test_the_young_peoples_version_is_plain_and_names_nobody(
    council_a, officer, manager_a, django_capture_on_commit_callbacks
):
    from feedback import services as feedback_services
    from forums import services as forum_services
    from tests.factories import ForumFactory
    from tests.forums.factories import make_ask

    quarter = this_quarter(council_a)
    take_part(council_a, people=3)  # three young people, one activity: both "fewer than 5"
    named = YoungPersonFactory(council=council_a, preferred_name="Tallulah")
    form = fb.make_form(council_a, title="Living in care", is_anonymous=False)
    for _ in range(6):
        fb.submit(form, {0: "4"})
    quote = written(fb.submit(form, {0: "5", 3: "My social worker listens", "name": "Jessamy"}))
    feedback_services.answer_approve_quote(answer=quote, actor=officer.user, approved=True)
    written(fb.submit(form, {0: "3", 3: "Nobody rings back"}))
    fb.make_you_said(
        council_a,
        date=quarter.start,
        is_published=True,
        you_said="The youth club shuts too early.",
        we_did="It now stays open until 9pm.",
    )
    fb.make_you_said(council_a, date=quarter.start, you_said="Unpublished words", we_did="Not yet")
    forum = ForumFactory(council=council_a, name="Children in Care Council")
    ask = make_ask(forum, actor=officer.user, raised_on=quarter.start, you_said="Free bus passes")
    forum_services.ask_answer(
        ask=ask, actor=manager_a.user, status="answered", response="Care leavers get them now."
    )
    make_ask(forum, actor=officer.user, raised_on=quarter.start, you_said="Still waiting ask")

    run = services.report_create_draft(
        council=council_a,
        actor=officer.user,
        quarter_start=quarter.start,
        audience=ReportRun.Audience.YOUNG_PEOPLE,
    )
    preview_url = reverse("report_preview", args=[council_a.slug, run.pk])
    preview = page_text(client_for(officer).get(preview_url))
    run = finalise(run, officer, django_capture_on_commit_callbacks)
    assert run.status == ReportRun.Status.SUCCEEDED, run.error
    data = run.file.open("rb").read()
    text = pdf_text(data)
    for shown in (preview, text):
        assert "What you told us and what we did" in shown
        assert "Activities where young people had their say fewer than 5" in shown
        assert "Different young people who took part fewer than 5" in shown
        assert "Answers to our feedback forms 8" in shown
        assert "The youth club shuts too early." in shown and "until 9pm" in shown
        assert "Children in Care Council asked" in shown
        assert "Free bus passes" in shown and "Care leavers get them now." in shown
        assert "My social worker listens" in shown
        for hidden in (
            "Unpublished words",
            "Still waiting ask",
            "Nobody rings back",
            "Jessamy",
            named.preferred_name,
            "Young person ",
            manager_a.user.full_name,
            officer.user.full_name,
            "Safeguarding",
            "action plan",
        ):
            assert hidden not in shown, hidden
    assert list(run.figures["sections"]) == ["young_people"]
    for name in ("report_detail", "report_edit"):
        page = client_for(officer).get(reverse(name, args=[council_a.slug, run.pk]))
        assert page.status_code == 200, name
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and str(root["/Lang"]).lower() == "en-gb"
    assert reader.metadata.title.startswith("Council A: What you told us and what we did")


def test_the_young_peoples_editor_asks_only_for_opening_words(council_a, officer):
    run = services.report_create_draft(
        council=council_a,
        actor=officer.user,
        quarter_start=this_quarter(council_a).start,
        audience=ReportRun.Audience.YOUNG_PEOPLE,
    )
    client = client_for(officer)
    detail = client.get(reverse("report_detail", args=[council_a.slug, run.pk])).content.decode()
    assert "A few words to young people" in detail
    assert "Sections to include" not in detail and "Recommendation" not in detail
    response = client.post(
        reverse("report_edit", args=[council_a.slug, run.pk]),
        {"introduction": "Thank you for telling us.", "preview": "1"},
    )
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.introduction == "Thank you for telling us."
    preview = page_text(client.get(reverse("report_preview", args=[council_a.slug, run.pk])))
    assert "Thank you for telling us." in preview


def test_preview_query_count_does_not_grow_with_forums(council_a, officer, manager_a, draft):
    """The forums section is one grouped query per measure, not a handful per forum."""
    from forums import services as forum_services
    from tests.factories import ForumFactory, MembershipFactory
    from tests.forums.factories import make_ask

    quarter = this_quarter(council_a)
    practitioner = MembershipFactory(council=council_a, role="practitioner")
    client = client_for(officer)
    made = iter(range(100))

    def grow(n):
        for _ in range(n):
            forum = ForumFactory(council=council_a, name=f"Forum {next(made)}")
            hold_meeting(forum, officer, day=quarter.start, statuses=["present", "absent"])
            ask = make_ask(forum, actor=officer.user, raised_on=quarter.start)
            forum_services.ask_answer(
                ask=ask, actor=officer.user, status="answered", response="Done"
            )
            forum_services.consultation_request_create(
                forum=forum,
                actor=practitioner.user,
                topic="Placement plan",
                reason="We will change the plan.",
                needed_by=timezone.localdate() + timedelta(days=40),
                format="discussion",
            )

    url = reverse("report_preview", args=[council_a.slug, draft.pk])
    assert_constant_queries(lambda: client.get(url), grow=grow, sizes=(2, 6))
    text = page_text(client.get(url))
    assert "Forum 5" in text and "All forums 6" in text
