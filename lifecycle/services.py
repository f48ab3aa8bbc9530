"""Writes for retention, erasure, subject access and the privacy notice. Views and tasks call
these; validation lives here."""

import hashlib
import io
import json
import logging
import secrets
import zipfile
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from feedback.models import Answer, Response, SafeguardingAlert
from lifecycle import selectors
from lifecycle.models import (
    Erasure,
    PrivacyNotice,
    RecordType,
    RetentionPeriod,
    SubjectAccessExport,
)
from lifecycle.rules import RULES
from participation import rls
from participation.activities.models import YoungPerson
from participation.models import AuditEvent, Council, User
from participation.services import audit
from reporting.models import ReportRun

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
LONGEST_PERIOD = 1200  # a hundred years in months: anything longer is a typing slip


# -- Retention periods --------------------------------------------------------------------------


@transaction.atomic
def retention_periods_set(*, council: Council, actor: User, periods: dict) -> dict[str, int]:
    """Save the council's periods. Each must be a whole number above zero: a period of zero
    would remove records the moment they arrive."""
    errors = {}
    clean: dict[str, int] = {}
    for record_type, rule in RULES.items():
        value = periods.get(record_type)
        label = RecordType(record_type).label
        try:
            number = int(value)
        except (TypeError, ValueError):
            errors[record_type] = (
                f"Enter how many {rule.unit} to keep {label.lower()}, as a number."
            )
            continue
        if number <= 0:
            errors[record_type] = (
                f"The period for {label.lower()} must be at least 1 {rule.unit[:-1]}: "
                "zero or less would remove records as soon as they arrive."
            )
        elif number > (LONGEST_PERIOD if rule.unit == "months" else LONGEST_PERIOD * 31):
            errors[record_type] = f"Enter a period for {label.lower()} of 100 years or less."
        else:
            clean[record_type] = number
    if errors:
        raise ValidationError(errors)
    current = selectors.retention_periods(council=council)
    changed = []
    for record_type, number in clean.items():
        if current[record_type] == number:
            continue
        RetentionPeriod.objects.update_or_create(
            council=council,
            record_type=record_type,
            defaults={"period": number, "changed_by": actor, "changed_at": timezone.now()},
        )
        changed.append(f"{record_type} {current[record_type]} to {number}")
    audit(
        council=council,
        actor=actor,
        verb="changed retention periods",
        subject=council,
        detail="; ".join(changed),
    )
    return clean


# -- The retention job --------------------------------------------------------------------------


def _anonymise_responses(ids) -> None:
    Response.objects.filter(pk__in=ids).update(
        respondent_name="", contact_details="", young_person=None
    )


def _clear_answers(queryset) -> None:
    queryset.update(text="", quote_approved_at=None, quote_approved_by=None)


def _delete_files(names) -> None:
    # After the rows are saved: a file left behind by a crash here is named by no row, which is
    # better than a row naming a file that is gone.
    for name in names:
        if name and default_storage.exists(name):
            default_storage.delete(name)


def _prune_audit(*, council: Council, ids: list) -> None:
    """The audit trail is append-only for the app's role (participation/audit/capture.py): on
    PostgreSQL the owner's SECURITY DEFINER function removes one council's entries older than a
    date. Every entry of the batch is past its retention date, so "older than the newest of the
    batch" removes the batch and nothing that is not yet due (and the data changes with them)."""
    newest = AuditEvent.objects.filter(council=council, pk__in=ids).aggregate(m=Max("at"))["m"]
    if newest is None:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT heard_audit_delete_before(%s, %s)",
                [council.pk, newest + timedelta(microseconds=1)],
            )
    else:
        AuditEvent.objects.filter(council=council, at__lte=newest).delete()


def _apply_batch(*, council: Council, record_type: str, ids: list, now: datetime) -> int:
    files: list[str] = []
    with transaction.atomic():
        if record_type == RecordType.FEEDBACK_RESPONSES:
            _anonymise_responses(ids)
        elif record_type == RecordType.WRITTEN_ANSWERS:
            _clear_answers(Answer.objects.filter(council=council, pk__in=ids))
        elif record_type == RecordType.SAFEGUARDING:
            alerts = SafeguardingAlert.objects.filter(council=council, pk__in=ids)
            responses = list(alerts.values_list("response_id", flat=True))
            alerts.update(action_taken="")
            _anonymise_responses(responses)
            _clear_answers(Answer.objects.filter(council=council, response__in=responses))
        elif record_type == RecordType.YOUNG_PEOPLE:
            for person in YoungPerson.objects.filter(council=council, pk__in=ids):
                young_person_erase(
                    council=council,
                    young_person=person,
                    actor=None,
                    reason=Erasure.Reason.RETENTION,
                )
        elif record_type == RecordType.AUDIT:
            _prune_audit(council=council, ids=ids)
        elif record_type == RecordType.REPORT_FILES:
            runs = ReportRun.objects.filter(council=council, pk__in=ids)
            files = list(runs.values_list("file", flat=True))
            runs.update(file="", size=None, checksum="")
        elif record_type == RecordType.TASK_RESULTS:
            exports = SubjectAccessExport.objects.filter(council=council, pk__in=ids)
            files = list(exports.values_list("file", flat=True))
            exports.filter(status=SubjectAccessExport.Status.READY).update(
                status=SubjectAccessExport.Status.EXPIRED
            )
            exports.update(file="")
        audit(
            council=council,
            actor=None,
            verb="retention period ended",
            subject=council,
            detail=f"{record_type}: {len(ids)}",
        )
    _delete_files(files)
    return len(ids)


def retention_apply(
    *, council: Council, now: datetime, batch_size: int = BATCH_SIZE, max_batches: int | None = None
) -> dict:
    """Remove or anonymise what has expired in one council, a batch at a time. Each batch is
    its own transaction and the selector skips what is done, so a run stopped by `max_batches`
    (or a lost worker) carries on where it left off next time."""
    done = {record_type: 0 for record_type in RULES}
    batches = 0
    for record_type in RULES:
        while max_batches is None or batches < max_batches:
            queryset = selectors.due(council=council, now=now)[record_type]
            ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:batch_size])
            if not ids:
                break
            done[record_type] += _apply_batch(
                council=council, record_type=record_type, ids=ids, now=now
            )
            batches += 1
    finished = max_batches is None or batches < max_batches
    return {"done": done, "finished": finished}


def retention_apply_all(*, now: datetime, max_batches_per_council: int | None = None) -> dict:
    """Every active council, one at a time: each council's work is one call, so it can be run
    inside that council's scope (row-level security) when that arrives."""
    summary = {}
    for council in Council.objects.filter(is_active=True).order_by("pk"):
        with rls.council_scope(council):
            result = retention_apply(council=council, now=now, max_batches=max_batches_per_council)
        summary[council.pk] = result
        logger.info("Retention for council %s: %s", council.pk, result["done"])
    return summary


# -- Erasure ------------------------------------------------------------------------------------


@transaction.atomic
def young_person_erase(
    *,
    council: Council,
    young_person: YoungPerson,
    actor: User | None,
    reason: str = Erasure.Reason.REQUEST,
) -> Erasure:
    """Anonymise one young person, keeping every row that a figure counts."""
    person = (
        YoungPerson.objects.select_for_update().filter(council=council, pk=young_person.pk).first()
    )
    if person is None:
        raise ValidationError("There is no such young person in this council.")
    earlier = selectors.erasure_of(council=council, young_person=person)
    if earlier is not None:
        raise ValidationError(
            f"This young person's record was already erased on {earlier.erased_at:%-d %B %Y}. "
            "Nothing was changed."
        )
    targets = {
        label: list(queryset)
        for label, queryset in selectors.erasure_targets(
            council=council, young_person=person
        ).items()
    }
    changes = {"Their record": 1, **{label: len(rows) for label, rows in targets.items()}}
    pattern = selectors.python_name_pattern(person)
    if pattern is not None:
        _replace_name(targets.get("Written answers with their name in", []), pattern, ["text"])
        _replace_name(
            targets.get("Activities whose notes name them", []),
            pattern,
            ["what_young_people_said", "what_changed"],
        )
        _replace_name(
            targets.get("Forum meeting minutes or summaries that name them", []),
            pattern,
            ["minutes", "summary"],
        )
        _replace_name(
            targets.get("Safeguarding notes that name them", []), pattern, ["action_taken"]
        )
    _anonymise_responses([r.pk for r in targets["Named feedback responses made anonymous"]])
    today = timezone.localdate()
    person.age_band = person.age_band_on(today)
    person.preferred_name = "Erased"
    person.reference = f"ERASED-{person.pk}"
    person.date_of_birth = None
    person.contact_by = ""
    person.contact_notes = ""
    person.consent_for = ""
    person.save()
    erasure = Erasure.objects.create(
        council=council, young_person=person, reason=reason, erased_by=actor, changes=changes
    )
    audit(
        council=council,
        actor=actor,
        verb="erased young person",
        subject=person,
        detail=f"{Erasure.Reason(reason).label}; "
        + "; ".join(f"{label}: {n}" for label, n in changes.items()),
    )
    return erasure


def _replace_name(rows, pattern, fields) -> None:
    for row in rows:
        for field in fields:
            setattr(row, field, pattern.sub(selectors.NAME_REMOVED, getattr(row, field)))
    if rows:
        type(rows[0]).objects.bulk_update(rows, fields)


# -- Subject access -----------------------------------------------------------------------------


@transaction.atomic
def subject_access_request(
    *, council: Council, young_person: YoungPerson, actor: User
) -> SubjectAccessExport:
    from lifecycle.tasks import build_subject_access_export

    if selectors.erasure_of(council=council, young_person=young_person) is not None:
        raise ValidationError(
            "This young person's record has been erased: Heard no longer holds anything that "
            "names them. Nothing was exported."
        )
    export = SubjectAccessExport.objects.create(
        council=council, young_person=young_person, requested_by=actor
    )
    audit(
        council=council,
        actor=actor,
        verb="asked for a subject access export",
        subject=young_person,
        detail=f"export {export.pk}",
    )
    transaction.on_commit(
        lambda: build_subject_access_export.delay(council_id=council.pk, export_id=export.pk)
    )
    return export


def subject_access_build(*, council_id: int, export_id: int) -> SubjectAccessExport | None:
    """Make the ZIP. Idempotent: an export already made (or handed over) is left alone."""
    from lifecycle.subject_access import collect, pdf_for

    export = (
        SubjectAccessExport.objects.select_related("council", "young_person")
        .filter(council_id=council_id, pk=export_id)
        .first()
    )
    if export is None or export.status != SubjectAccessExport.Status.QUEUED:
        return export
    try:
        data = collect(council=export.council, young_person=export.young_person)
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
            for name, content in data.items():
                bundle.writestr(
                    f"{name}.json", json.dumps(content, indent=2, ensure_ascii=False, default=str)
                )
            bundle.writestr("readable.pdf", pdf_for(council=export.council, data=data))
        name = f"subject-access-{export.pk}-{secrets.token_hex(8)}.zip"
        export.file.save(name, ContentFile(archive.getvalue()), save=False)
        export.status = SubjectAccessExport.Status.READY
        export.error = ""
    except Exception as error:
        logger.exception("Subject access export %s failed", export.pk)
        export.status = SubjectAccessExport.Status.FAILED
        export.error = f"{type(error).__name__}"[:255]
    export.finished_at = timezone.now()
    export.save()
    return export


@transaction.atomic
def subject_access_download(*, export: SubjectAccessExport, actor: User) -> tuple[str, bytes]:
    """The file, once, for the admin who asked; then it is deleted."""
    export = SubjectAccessExport.objects.select_for_update().get(pk=export.pk)
    if export.requested_by_id != actor.pk:
        raise ValidationError("Only the person who asked for this export can download it.")
    if export.status != SubjectAccessExport.Status.READY or not export.file:
        raise ValidationError(
            f"This export cannot be downloaded: {export.get_status_display().lower()}."
        )
    name = export.file.name
    with default_storage.open(name, "rb") as handle:
        content = handle.read()
    export.status = SubjectAccessExport.Status.DOWNLOADED
    export.downloaded_at = timezone.now()
    export.file = ""
    export.save()
    audit(
        council=export.council,
        actor=actor,
        verb="downloaded a subject access export",
        subject=export.young_person,
        detail=f"export {export.pk}; sha256 {hashlib.sha256(content).hexdigest()[:16]}",
    )
    transaction.on_commit(lambda: _delete_files([name]))
    return f"subject-access-{export.young_person_id}.zip", content


# -- Privacy notice -----------------------------------------------------------------------------


@transaction.atomic
def privacy_notice_save(
    *, council: Council, actor: User, for_children: str, for_adults: str
) -> PrivacyNotice:
    for_children, for_adults = for_children.strip(), for_adults.strip()
    errors = {}
    if not for_children:
        errors["for_children"] = "Write the privacy notice for children and young people."
    if not for_adults:
        errors["for_adults"] = "Write the privacy notice for adults."
    if errors:
        raise ValidationError(errors)
    notice, _ = PrivacyNotice.objects.update_or_create(
        council=council,
        defaults={
            "for_children": for_children,
            "for_adults": for_adults,
            "changed_by": actor,
            "changed_at": timezone.now(),
        },
    )
    audit(council=council, actor=actor, verb="changed the privacy notice", subject=notice)
    return notice
