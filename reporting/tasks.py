"""Report tasks. They take ids only; the report's words and figures never sit in the broker."""

import logging
from datetime import date

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import send_mail
from django.db import InterfaceError, OperationalError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from reporting import selectors, services
from reporting.models import ReportRun

logger = logging.getLogger(__name__)

# Worth another go: the database or the file store was briefly unreachable.
TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


@shared_task(
    bind=True,
    # Routed to the "reports" queue by CELERY_TASK_ROUTES.
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=services.MAX_ATTEMPTS - 1,
    soft_time_limit=240,
    time_limit=300,
)
def render_report(self, run_id: int) -> None:
    try:
        services.report_render(run_id=run_id)
    except TRANSIENT as error:
        if self.request.retries < self.max_retries and not self.request.is_eager:
            raise self.retry(exc=error, countdown=30 * (self.request.retries + 1)) from error
        services.report_mark_failed(run_id=run_id, error=error)
    except SoftTimeLimitExceeded:
        services.report_mark_failed(run_id=run_id, error="The PDF took too long to make.")
    except Exception as error:
        # A fault in the report itself: trying again would fail the same way.
        logger.exception("Report run %s could not be rendered", run_id)
        services.report_mark_failed(run_id=run_id, error=error)


@shared_task
def send_report_ready_email(run_id: int) -> None:
    """A link to the report, never the file: the PDF stays behind the council's sign-in."""
    run = ReportRun.objects.select_related("council", "requested_by").filter(pk=run_id).first()
    if run is None or not run.is_ready or run.requested_by is None:
        return
    link = settings.SITE_URL + reverse("report_detail", args=[run.council.slug, run.pk])
    send_mail(
        subject=f"Your {run.council.name} report is ready",
        message=render_to_string("reporting/email/ready.txt", {"run": run, "link": link}),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[run.requested_by.email],
    )


@shared_task
def recover_stale_reports() -> dict:
    return services.recover_stale_runs()


@shared_task
def make_quarter_drafts(today: str | None = None) -> int:
    """Beat runs this daily; `today` (an ISO date) lets a catch-up run name its day."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    runs = services.make_quarter_drafts(
        today=day, days_after=settings.REPORT_DRAFT_DAYS_AFTER_QUARTER
    )
    by_council: dict[int, list[ReportRun]] = {}
    for run in runs:
        by_council.setdefault(run.council_id, []).append(run)
    for council_runs in by_council.values():
        council = council_runs[0].council
        links = [
            (run, settings.SITE_URL + reverse("report_detail", args=[council.slug, run.pk]))
            for run in council_runs
        ]
        # One email per officer for the quarter's drafts: addresses are read here, in the
        # worker, never passed to it.
        for email in selectors.officer_emails(council=council):
            send_mail(
                subject=f"Draft reports for {council.name} are ready to write",
                message=render_to_string(
                    "reporting/email/draft.txt", {"council": council, "links": links}
                ),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[email],
            )
    return len(runs)
