"""The retention job on a frozen clock: what expires goes, what does not stays, the figures that
count rows do not change, files go too, and a run can stop and carry on."""

from datetime import date, datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from feedback.models import Answer, Response, SafeguardingAlert
from forums.models import ForumMember
from lifecycle import selectors, services
from lifecycle.models import Erasure, RecordType, RetentionPeriod, SubjectAccessExport
from participation.activities.models import Participation, YoungPerson
from participation.models import AuditEvent
from reporting.models import ReportRun
from tests.feedback.factories import make_form
from tests.lifecycle.factories import named_everywhere
from tests.participation.activities.factories import ActivityFactory, YoungPersonFactory
from tests.reporting.factories import make_final_run

NOW = timezone.make_aware(datetime(2030, 6, 1, 3, 0))


def at(year, month, day):
    return timezone.make_aware(datetime(year, month, day, 12, 0))


def _response(council, form, *, on, name="Sam", text="The food is cold."):
    response = Response.objects.create(
        council=council,
        form=form,
        version=form.live_version,
        submission_key=f"{name}-{on.isoformat()}-{Response.objects.count()}",
        respondent_name=name,
        contact_details="sam@example.org",
        submitted_at=on,
    )
    questions = list(form.live_version.questions.order_by("position"))
    Answer.objects.create(council=council, response=response, question=questions[0], number=4)
    Answer.objects.create(council=council, response=response, question=questions[-1], text=text)
    return response


def _aggregates(council):
    return {
        "responses": Response.objects.filter(council=council).count(),
        "answers": Answer.objects.filter(council=council).count(),
        "faces": sorted(
            Answer.objects.filter(council=council, number__isnull=False).values_list(
                "number", flat=True
            )
        ),
        "alerts": SafeguardingAlert.objects.filter(council=council).count(),
        "participations": Participation.objects.filter(council=council).count(),
        "young_people": YoungPerson.objects.filter(council=council).count(),
        "reports": ReportRun.objects.filter(council=council).count(),
    }


@pytest.fixture
def world(council_a, council_b):
    form = make_form(council_a, is_anonymous=False)
    old = _response(council_a, form, on=at(2027, 1, 1))
    recent = _response(council_a, form, on=at(2029, 12, 1))
    # An old response with an alert follows the safeguarding period (ten years), not two.
    _jordan, old_alerted = named_everywhere(
        council_a, name="Jordan", on=date(2029, 1, 10), form=form
    )
    Response.objects.filter(pk=old_alerted.pk).update(submitted_at=at(2027, 1, 1))
    # An alert older than ten years: what was done and the words go.
    ancient_person, ancient = named_everywhere(
        council_a, name="Robin", on=date(2019, 1, 1), form=form
    )
    Response.objects.filter(pk=ancient.pk).update(submitted_at=at(2019, 1, 1))
    SafeguardingAlert.objects.filter(response=ancient).update(created_at=at(2019, 1, 1))
    # Young people: last contact more than three years ago, recently, and a current member.
    gone = YoungPersonFactory(council=council_a, preferred_name="Casey")
    Participation.objects.create(
        council=council_a,
        activity=ActivityFactory(council=council_a, starts_on=date(2026, 5, 1)),
        young_person=gone,
    )
    stays = YoungPersonFactory(council=council_a, preferred_name="Morgan")
    Participation.objects.create(
        council=council_a,
        activity=ActivityFactory(council=council_a, starts_on=date(2029, 9, 1)),
        young_person=stays,
    )
    member = YoungPersonFactory(council=council_a, preferred_name="Riley")
    ForumMember.objects.create(
        council=council_a,
        forum=named_forum(council_a),
        young_person=member,
        joined_on=date(2020, 1, 1),
    )
    YoungPerson.objects.filter(pk__in=[gone.pk, stays.pk, member.pk]).update(
        created_at=at(2020, 1, 1)
    )
    YoungPerson.objects.filter(pk=old_alerted.young_person_id).update(created_at=at(2029, 1, 1))
    YoungPerson.objects.filter(pk=ancient_person.pk).update(created_at=at(2019, 1, 1))
    # Audit entries, report files and exports.
    old_event = AuditEvent.objects.create(
        council=council_a, verb="old", subject_type="x", subject_id=1, at=at(2023, 1, 1)
    )
    new_event = AuditEvent.objects.create(
        council=council_a, verb="new", subject_type="x", subject_id=1, at=at(2029, 1, 1)
    )
    old_run = make_final_run(council_a)
    old_run.figures = {"key": {"responses": 41}}
    old_run.save()
    ReportRun.objects.filter(pk=old_run.pk).update(finished_at=at(2023, 1, 1))
    new_run = make_final_run(council_a)
    ReportRun.objects.filter(pk=new_run.pk).update(finished_at=at(2029, 1, 1))
    old_export = _export(council_a, gone, at(2030, 5, 1))
    new_export = _export(council_a, stays, at(2030, 5, 30))
    # Council B's old rows are B's business: A's run must not touch them.
    b_form = make_form(council_b, is_anonymous=False)
    b_old = _response(council_b, b_form, on=at(2027, 1, 1))
    return locals()


def named_forum(council):
    from tests.factories import ForumFactory

    return ForumFactory(council=council, name="Children in Care Council")


def _export(council, person, created):
    from tests.factories import MembershipFactory

    export = SubjectAccessExport.objects.create(
        council=council,
        young_person=person,
        requested_by=MembershipFactory(council=council, role="council_admin").user,
        status=SubjectAccessExport.Status.READY,
        created_at=created,
    )
    export.file.save(f"probe-{export.pk}.zip", ContentFile(b"PK probe"))
    return export


def test_what_expires_goes_what_does_not_stays(world, council_a):
    w = world
    before = _aggregates(council_a)
    files = {
        "old_run": w["old_run"].file.name,
        "new_run": w["new_run"].file.name,
        "old_export": w["old_export"].file.name,
        "new_export": w["new_export"].file.name,
    }
    result = services.retention_apply(council=council_a, now=NOW)
    assert result["finished"]

    old = Response.objects.get(pk=w["old"].pk)
    assert (old.respondent_name, old.contact_details) == ("", "")
    assert set(old.answers.values_list("text", flat=True)) == {""}
    recent = Response.objects.get(pk=w["recent"].pk)
    assert recent.respondent_name == "Sam"
    assert "The food is cold." in recent.answers.values_list("text", flat=True)

    # Under ten years, an alerted response keeps everything.
    alerted = Response.objects.get(pk=w["old_alerted"].pk)
    assert alerted.respondent_name == "Jordan"
    assert alerted.answers.exclude(text="").exists()
    assert SafeguardingAlert.objects.get(response=alerted).action_taken
    # Over ten years: the alert stays for the counts, what was done and the words go.
    ancient_alert = SafeguardingAlert.objects.get(response=w["ancient"])
    assert ancient_alert.action_taken == ""
    assert not Answer.objects.filter(response=w["ancient"]).exclude(text="").exists()

    erased = set(Erasure.objects.filter(council=council_a).values_list("young_person", flat=True))
    assert w["gone"].pk in erased
    assert w["ancient_person"].pk in erased
    assert not {w["stays"].pk, w["member"].pk, w["old_alerted"].young_person_id} & erased
    assert YoungPerson.objects.get(pk=w["gone"].pk).preferred_name == "Erased"
    assert YoungPerson.objects.get(pk=w["stays"].pk).preferred_name == "Morgan"

    assert not AuditEvent.objects.filter(pk=w["old_event"].pk).exists()
    assert AuditEvent.objects.filter(pk=w["new_event"].pk).exists()
    assert AuditEvent.objects.filter(council=council_a, verb="retention period ended").exists()

    old_run = ReportRun.objects.get(pk=w["old_run"].pk)
    assert not old_run.file and old_run.figures == {"key": {"responses": 41}}
    assert not default_storage.exists(files["old_run"])
    assert default_storage.exists(files["new_run"])
    assert not default_storage.exists(files["old_export"])
    assert default_storage.exists(files["new_export"])
    assert SubjectAccessExport.objects.get(pk=w["old_export"].pk).status == "expired"

    # Nothing a figure counts was deleted.
    assert _aggregates(council_a) == before
    # Council B untouched.
    assert Response.objects.get(pk=w["b_old"].pk).respondent_name == "Sam"


def test_the_forecast_shows_what_the_job_then_does(world, council_a):
    forecast = selectors.forecast(council=council_a, now=NOW - relativedelta(months=1))
    expected = {row["record_type"]: row["count"] for row in forecast}
    done = services.retention_apply(council=council_a, now=NOW)["done"]
    assert done == expected
    assert done[RecordType.FEEDBACK_RESPONSES] == 1
    assert done[RecordType.YOUNG_PEOPLE] == 2


def test_a_stopped_run_carries_on_and_a_second_run_does_nothing(world, council_a):
    first = services.retention_apply(council=council_a, now=NOW, batch_size=1, max_batches=2)
    assert not first["finished"] and sum(first["done"].values()) == 2
    totals = dict(first["done"])
    for _ in range(50):
        step = services.retention_apply(council=council_a, now=NOW, batch_size=1, max_batches=2)
        for key, n in step["done"].items():
            totals[key] += n
        if step["finished"]:
            break
    assert step["finished"]
    assert Erasure.objects.filter(council=council_a).count() == 2
    again = services.retention_apply(council=council_a, now=NOW)
    assert sum(again["done"].values()) == 0


def test_the_beat_job_goes_council_by_council(world, council_a, council_b):
    summary = services.retention_apply_all(now=NOW)
    assert set(summary) >= {council_a.pk, council_b.pk}
    assert Response.objects.get(pk=world["b_old"].pk).respondent_name == ""


def test_a_longer_period_keeps_records_longer(world, council_a, admin_a):
    services.retention_periods_set(
        council=council_a,
        actor=admin_a.user,
        periods={**selectors.retention_periods(council=council_a), "feedback_responses": 60},
    )
    services.retention_apply(council=council_a, now=NOW)
    assert Response.objects.get(pk=world["old"].pk).respondent_name == "Sam"


@pytest.mark.parametrize("value", [0, -3, "", "two"])
def test_zero_negative_or_not_a_number_is_refused_and_nothing_saved(council_a, admin_a, value):
    periods = {**selectors.retention_periods(council=council_a), "written_answers": value}
    with pytest.raises(ValidationError) as error:
        services.retention_periods_set(council=council_a, actor=admin_a.user, periods=periods)
    assert "written_answers" in error.value.message_dict
    assert not RetentionPeriod.objects.filter(council=council_a).exists()
