"""The quarterly governance report: one row per version of one council's report for one quarter
and one audience. A draft's figures are read live; finalising freezes them into `figures`, and the
PDF is drawn from those frozen figures, so a final report never changes when the data does."""

from django.conf import settings
from django.db import models

from participation.models import CouncilOwned


class ReportRun(CouncilOwned):
    class Audience(models.TextChoices):
        DLT = "dlt", "Extended departmental leadership team"
        CORPORATE_PARENTING = "cpb", "Corporate Parenting Board"
        SAFEGUARDING = "safeguarding", "Safeguarding partnership"
        # Plain words for forums and the public page, drawn from its own template.
        YOUNG_PEOPLE = "young_people", "Young people (forums and the public page)"

    class Status(models.TextChoices):
        # Blank: no PDF asked for yet (a draft being written).
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being made"
        SUCCEEDED = "succeeded", "Ready"
        FAILED = "failed", "Failed"

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        FINAL = "final", "Final"

    quarter_start = models.DateField()
    quarter_end = models.DateField()
    audience = models.CharField(max_length=20, choices=Audience.choices)
    version = models.PositiveIntegerField(default=1)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=8, choices=State.choices, default=State.DRAFT)

    status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # What went wrong, for officers: an exception's class and message, never the data.
    error = models.TextField(blank=True)
    file = models.FileField(upload_to="reports/", blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    checksum = models.CharField("SHA-256", max_length=64, blank=True)

    figures = models.JSONField(null=True, blank=True)
    introduction = models.TextField(blank=True)
    purpose = models.TextField(blank=True)
    recommendation = models.TextField(blank=True)
    # {section key: the officer's words about that section}
    narratives = models.JSONField(default=dict, blank=True)
    # Section keys to include, in the order of reporting.sections.SECTIONS.
    sections = models.JSONField(default=list, blank=True)

    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-quarter_start", "audience", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "quarter_start", "audience", "version"],
                name="reportrun_one_per_version",
            )
        ]
        indexes = [
            models.Index(
                fields=["council", "-quarter_start", "audience", "-version"],
                name="reportrun_council_list",
            ),
            # The beat job looks for stale runs across councils.
            models.Index(fields=["status", "started_at"], name="reportrun_status_started"),
        ]

    def __str__(self):
        return f"{self.get_audience_display()} report, {self.quarter_start:%b %Y}, v{self.version}"

    @property
    def is_final(self) -> bool:
        return self.state == self.State.FINAL

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.SUCCEEDED and bool(self.file)
