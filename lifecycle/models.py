"""How long each kind of record is kept, who has been erased, subject access exports, and the
privacy notice. The rules themselves (defaults, units, legal reasons) live in lifecycle.rules."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from participation.models import CouncilOwned


class RecordType(models.TextChoices):
    FEEDBACK_RESPONSES = "feedback_responses", "Names and contact details given with feedback"
    WRITTEN_ANSWERS = "written_answers", "Written answers to feedback"
    SAFEGUARDING = "safeguarding", "Safeguarding alerts and what was done"
    YOUNG_PEOPLE = "young_people", "Young people's records, after their last contact"
    AUDIT = "audit", "Audit trail"
    REPORT_FILES = "report_files", "Report PDF files"
    TASK_RESULTS = "task_results", "Subject access exports not downloaded"


class RetentionPeriod(CouncilOwned):
    """A council's own period for one record type. No row: the default in lifecycle.rules."""

    record_type = models.CharField(max_length=24, choices=RecordType.choices)
    period = models.PositiveIntegerField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["council", "record_type"], name="retentionperiod_one_per_type"
            )
        ]

    def __str__(self):
        return f"{self.get_record_type_display()}: {self.period}"


class Erasure(CouncilOwned):
    """A young person's record was anonymised, on request or because its time was up. The row
    keeps the record's id (which no longer names anyone) so a second erasure is refused."""

    class Reason(models.TextChoices):
        REQUEST = "request", "Asked for"
        RETENTION = "retention", "Retention period ended"

    young_person = models.ForeignKey(
        "activities.YoungPerson", on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=10, choices=Reason.choices)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    erased_at = models.DateTimeField(default=timezone.now)
    # {record type label: how many changed}, as shown on the confirmation page.
    changes = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["council", "young_person"], name="erasure_once")
        ]

    def __str__(self):
        return f"Erasure of young person #{self.young_person_id}"


class SubjectAccessExport(CouncilOwned):
    """Everything Heard holds about one young person, as a ZIP, for the admin who asked."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Failed"
        DOWNLOADED = "downloaded", "Downloaded and deleted"
        EXPIRED = "expired", "Deleted before it was downloaded"

    young_person = models.ForeignKey(
        "activities.YoungPerson", on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(upload_to="subject-access/", blank=True)
    error = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["council", "-created_at"], name="sar_council_created"),
        ]

    def __str__(self):
        return f"Subject access export #{self.pk}"


class PrivacyNotice(CouncilOwned):
    """The council's own words; until it writes them, lifecycle.rules' defaults are shown."""

    for_children = models.TextField("privacy notice for children and young people")
    for_adults = models.TextField("privacy notice for parents, carers and professionals")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["council"], name="privacynotice_one_per_council")
        ]

    def __str__(self):
        return "Privacy notice"
