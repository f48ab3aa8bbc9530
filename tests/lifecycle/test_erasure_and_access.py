"""Erasure keeps every figure; a subject access export holds everything about the person and
nothing about anyone else."""

import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from pypdf import PdfReader

from feedback.models import Answer, Response, SafeguardingAlert
from forums.models import Meeting
from lifecycle import selectors, services
from lifecycle.models import Erasure, SubjectAccessExport
from participation.activities.models import Activity, YoungPerson
from participation.models import AuditEvent
from reporting import selectors as report_selectors
from reporting.models import ReportRun
from tests.lifecycle.factories import named_everywhere
from tests.reporting.factories import make_draft


@pytest.fixture
def two_people(council_a):
    alex, alex_response = named_everywhere(council_a, name="Alexandra")
    blake, blake_response = named_everywhere(council_a, name="Blake")
    return alex, alex_response, blake, blake_response


def test_erasure_removes_the_name_everywhere_and_keeps_the_rows(two_people, council_a, admin_a):
    alex, response, blake, _ = two_people
    preview = dict(selectors.erasure_preview(council=council_a, young_person=alex))
    assert preview["Named feedback responses made anonymous"] == 1
    assert preview["Written answers with their name in"] == 1
    assert preview["Activities whose notes name them"] == 1
    assert preview["Forum meeting minutes or summaries that name them"] == 1
    assert preview["Safeguarding notes that name them"] == 1

    services.young_person_erase(council=council_a, young_person=alex, actor=admin_a.user)

    alex.refresh_from_db()
    assert alex.preferred_name == "Erased" and alex.contact_notes == ""
    assert alex.reference == f"ERASED-{alex.pk}"
    response.refresh_from_db()
    assert (response.young_person, response.respondent_name, response.contact_details) == (
        None,
        "",
        "",
    )
    texts = [
        *Answer.objects.filter(response=response).values_list("text", flat=True),
        *Activity.objects.filter(participations__young_person=alex).values_list(
            "what_young_people_said", flat=True
        ),
        *Meeting.objects.filter(attendance__young_person=alex).values_list("minutes", flat=True),
        SafeguardingAlert.objects.get(response=response).action_taken,
    ]
    assert all("Alexandra" not in text for text in texts)
    assert "My name is [name removed] and I want to move school." in texts
    # Blake is untouched.
    blake.refresh_from_db()
    assert blake.preferred_name == "Blake"
    assert Response.objects.filter(young_person=blake, respondent_name="Blake").exists()
    assert AuditEvent.objects.filter(
        council=council_a, verb="erased young person", subject_id=alex.pk
    ).exists()


def test_erasing_someone_already_erased_says_so_and_changes_nothing(two_people, council_a, admin_a):
    alex = two_people[0]
    services.young_person_erase(council=council_a, young_person=alex, actor=admin_a.user)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="already erased"):
        services.young_person_erase(council=council_a, young_person=alex, actor=admin_a.user)
    assert AuditEvent.objects.count() == events
    assert Erasure.objects.filter(young_person=alex).count() == 1


def test_erasure_keeps_report_figures(two_people, council_a, admin_a):
    alex = two_people[0]
    draft = make_draft(council_a)
    args = {
        "council": council_a,
        "quarter_start": draft.quarter_start,
        "sections": draft.sections,
        "audience": draft.audience,
    }
    before = report_selectors.report_figures(**args)
    final = ReportRun.objects.get(pk=draft.pk)
    final.figures, final.state = before, ReportRun.State.FINAL
    final.save()
    people = YoungPerson.objects.filter(council=council_a).count()

    services.young_person_erase(council=council_a, young_person=alex, actor=admin_a.user)

    assert report_selectors.report_figures(**args) == before
    assert ReportRun.objects.get(pk=final.pk).figures == before
    assert YoungPerson.objects.filter(council=council_a).count() == people


def _build(council, person, admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = services.subject_access_request(
            council=council, young_person=person, actor=admin.user
        )
    export.refresh_from_db()
    return export


def test_the_export_holds_everything_about_them_and_nothing_about_anyone_else(
    two_people, council_a, council_b, admin_a, django_capture_on_commit_callbacks
):
    alex, _, blake, _ = two_people
    named_everywhere(council_b, name="Charlie")
    export = _build(council_a, alex, admin_a, django_capture_on_commit_callbacks)
    assert export.status == SubjectAccessExport.Status.READY

    with default_storage.open(export.file.name, "rb") as handle:
        bundle = zipfile.ZipFile(io.BytesIO(handle.read()))
    names = set(bundle.namelist())
    assert names == {
        "record.json",
        "equality.json",
        "activities.json",
        "forum_memberships.json",
        "forum_attendance.json",
        "feedback.json",
        "safeguarding_alerts.json",
        "audit.json",
        "readable.pdf",
    }
    data = {name[:-5]: json.loads(bundle.read(name)) for name in names if name.endswith(".json")}
    assert data["record"]["preferred_name"] == "Alexandra"
    assert data["equality"]["ethnicity"] == "Mixed or multiple ethnic groups"
    assert len(data["activities"]) == 1
    assert len(data["forum_memberships"]) == 1 and len(data["forum_attendance"]) == 1
    assert data["feedback"][0]["answers"][1]["text"].startswith("My name is Alexandra")
    assert data["safeguarding_alerts"][0]["what_was_done"] == "Spoke to Alexandra at school."
    assert any(e["what"] == "asked for a subject access export" for e in data["audit"])

    everything = b"".join(bundle.read(name) for name in names if name.endswith(".json"))
    pdf_text = "".join(page.extract_text() for page in PdfReader(bundle.open("readable.pdf")).pages)
    assert "Alexandra" in pdf_text
    for other in ("Blake", "Charlie", blake.reference, admin_a.user.full_name):
        assert other.encode() not in everything, other
        assert other not in pdf_text, other


def test_the_export_downloads_once_for_the_admin_who_asked(
    two_people, council_a, admin_a, django_capture_on_commit_callbacks
):
    from tests.factories import MembershipFactory

    export = _build(council_a, two_people[0], admin_a, django_capture_on_commit_callbacks)
    other_admin = MembershipFactory(council=council_a, role="council_admin")
    with pytest.raises(ValidationError, match="Only the person who asked"):
        services.subject_access_download(export=export, actor=other_admin.user)
    name = export.file.name
    with django_capture_on_commit_callbacks(execute=True):
        filename, content = services.subject_access_download(export=export, actor=admin_a.user)
    assert content.startswith(b"PK") and filename.endswith(".zip")
    assert not default_storage.exists(name)
    with pytest.raises(ValidationError, match="cannot be downloaded"):
        services.subject_access_download(export=export, actor=admin_a.user)
    assert AuditEvent.objects.filter(verb="downloaded a subject access export").count() == 1


def test_no_export_of_an_erased_record(two_people, council_a, admin_a):
    alex = two_people[0]
    services.young_person_erase(council=council_a, young_person=alex, actor=admin_a.user)
    with pytest.raises(ValidationError, match="erased"):
        services.subject_access_request(council=council_a, young_person=alex, actor=admin_a.user)
    assert not SubjectAccessExport.objects.exists()
