"""The data protection pages: three personas, what each page shows, the public privacy notice,
and query counts that do not grow with the data."""

import pytest
from django.test import Client
from django.urls import reverse

from lifecycle.models import Erasure, PrivacyNotice, RetentionPeriod, SubjectAccessExport
from participation.activities.models import YoungPerson
from tests.conftest import client_for
from tests.feedback.factories import make_form
from tests.lifecycle.factories import named_everywhere
from tests.participation.activities.factories import YoungPersonFactory
from tests.querycount import assert_constant_queries


def _pages(council):
    person = YoungPersonFactory(council=council)
    return {
        "retention_settings": {},
        "retention_forecast": {},
        "privacy_notice_edit": {},
        "young_person_erase": {"young_person_id": person.pk},
        "subject_access_request": {"young_person_id": person.pk},
    }


@pytest.mark.parametrize(
    "name",
    [
        "retention_settings",
        "retention_forecast",
        "privacy_notice_edit",
        "young_person_erase",
        "subject_access_request",
    ],
)
def test_three_personas(name, council_a, member_a, admin_a, member_b):
    kwargs = _pages(council_a)[name]
    url = reverse(name, kwargs={"council_slug": council_a.slug, **kwargs})
    assert client_for(member_a).get(url).status_code == 403
    assert client_for(member_a).post(url, {}).status_code == 403
    assert client_for(admin_a).get(url).status_code == 200
    assert client_for(member_b).get(url).status_code == 404
    # Nothing was erased or asked for by the refused requests.
    assert not Erasure.objects.exists() and not SubjectAccessExport.objects.exists()


def test_export_page_three_personas(council_a, member_a, admin_a, member_b):
    person = YoungPersonFactory(council=council_a)
    export = SubjectAccessExport.objects.create(
        council=council_a, young_person=person, requested_by=admin_a.user
    )
    url = reverse("subject_access_detail", args=[council_a.slug, export.pk])
    assert client_for(member_a).get(url).status_code == 403
    assert client_for(admin_a).get(url).status_code == 200
    assert client_for(member_b).get(url).status_code == 404


def test_settings_page_shows_defaults_and_reasons_and_refuses_zero(council_a, admin_a):
    url = reverse("retention_settings", args=[council_a.slug])
    client = client_for(admin_a)
    page = client.get(url).content.decode()
    assert "Default 24 months" in page and "Working Together to Safeguard Children" in page
    data = {
        "feedback_responses": "24",
        "written_answers": "0",
        "safeguarding": "120",
        "young_people": "-1",
        "audit": "72",
        "report_files": "72",
        "task_results": "7",
    }
    page = client.post(url, data).content.decode()
    assert "There is a problem" in page
    assert "must be at least 1 month" in page
    assert not RetentionPeriod.objects.exists()
    data.update(written_answers="12", young_people="48")
    assert client.post(url, data).status_code == 302
    assert dict(RetentionPeriod.objects.values_list("record_type", "period")) == {
        "written_answers": 12,
        "young_people": 48,
    }


def test_forecast_page_shows_the_counts(council_a, admin_a):
    named_everywhere(council_a, name="Jesse")
    page = client_for(admin_a).get(reverse("retention_forecast", args=[council_a.slug]))
    assert "What will be removed next month" in page.content.decode()
    assert page.context["rows"][0]["count"] == 0


def test_erasure_page_shows_what_will_change_then_erases(council_a, admin_a):
    person, _ = named_everywhere(council_a, name="Taylor")
    url = reverse("young_person_erase", args=[council_a.slug, person.pk])
    client = client_for(admin_a)
    page = client.get(url).content.decode()
    assert "Named feedback responses made anonymous" in page
    assert "Activities they took part in" in page
    assert client.post(url).status_code == 302
    assert YoungPerson.objects.get(pk=person.pk).preferred_name == "Erased"
    page = client.get(url).content.decode()
    assert "already been erased" in page
    page = client.post(url).content.decode()
    assert "already erased" in page and Erasure.objects.count() == 1


def test_subject_access_journey_through_the_pages(
    council_a, admin_a, django_capture_on_commit_callbacks
):
    person, _ = named_everywhere(council_a, name="Quinn")
    client = client_for(admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("subject_access_request", args=[council_a.slug, person.pk]))
    export = SubjectAccessExport.objects.get()
    assert answer["Location"] == reverse("subject_access_detail", args=[council_a.slug, export.pk])
    assert "Download the ZIP file" in client.get(answer["Location"]).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        download = client.post(answer["Location"])
    assert download["Content-Type"] == "application/zip"
    assert download.content.startswith(b"PK")
    assert "Quinn" not in download["Content-Disposition"]
    again = client.post(answer["Location"]).content.decode()
    assert "cannot be downloaded" in again


def test_privacy_notice_is_public_and_linked_from_every_form(council_a, admin_a):
    url = reverse("privacy_notice", args=[council_a.slug])
    page = Client().get(url)
    assert page.status_code == 200
    assert "How we look after your answers" in page.content.decode()
    assert "Council A is the data controller" in page.content.decode()
    form = make_form(council_a)
    link = form.links.get()
    public = Client().get(reverse("public_form", args=[link.token])).content.decode()
    assert url in public
    client_for(admin_a).post(
        reverse("privacy_notice_edit", args=[council_a.slug]),
        {"for_children": "We keep your answers safe.\n\nAsk us anything.", "for_adults": "Full."},
    )
    page = Client().get(url).content.decode()
    assert '<p class="govuk-body">Ask us anything.</p>' in page
    assert PrivacyNotice.objects.get().changed_by == admin_a.user


def test_privacy_notice_of_an_unknown_or_inactive_council_is_404(council_a):
    assert Client().get(reverse("privacy_notice", args=["nowhere"])).status_code == 404
    council_a.is_active = False
    council_a.save()
    assert Client().get(reverse("privacy_notice", args=[council_a.slug])).status_code == 404


def test_privacy_notice_edit_refuses_empty(council_a, admin_a):
    url = reverse("privacy_notice_edit", args=[council_a.slug])
    page = client_for(admin_a).post(url, {"for_children": " ", "for_adults": ""})
    assert "Write the privacy notice" in page.content.decode()
    assert not PrivacyNotice.objects.exists()


def test_forecast_queries_do_not_grow(council_a, admin_a):
    client = client_for(admin_a)
    url = reverse("retention_forecast", args=[council_a.slug])
    form = make_form(council_a, is_anonymous=False)
    assert_constant_queries(
        lambda: client.get(url),
        grow=lambda n: [named_everywhere(council_a, name=f"P{i}", form=form) for i in range(n)],
        sizes=(1, 4),
    )


def test_erasure_page_queries_do_not_grow(council_a, admin_a):
    from participation.activities.models import Participation
    from tests.participation.activities.factories import ActivityFactory

    person, _ = named_everywhere(council_a, name="Rowan")
    client = client_for(admin_a)
    url = reverse("young_person_erase", args=[council_a.slug, person.pk])

    def grow(n):
        for _ in range(n):
            Participation.objects.create(
                council=council_a,
                activity=ActivityFactory(council=council_a, what_young_people_said="Rowan spoke"),
                young_person=person,
            )

    assert_constant_queries(lambda: client.get(url), grow=grow)


@pytest.mark.parametrize("name", ["retention_settings", "privacy_notice_edit"])
def test_settings_pages_queries_are_fixed(name, council_a, admin_a):
    client = client_for(admin_a)
    url = reverse(name, args=[council_a.slug])
    assert_constant_queries(
        lambda: client.get(url),
        grow=lambda n: YoungPersonFactory.create_batch(n, council=council_a),
    )
