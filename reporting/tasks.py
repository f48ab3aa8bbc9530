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

from participation import rls
from participation.models import Council
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
def render_report(self, run_id: int, council_id: int) -> None:
    # Each step of the render opens the council's scope itself (reporting/services.py).
    try:
        services.report_render(run_id=run_id, council_id=council_id)
    except TRANSIENT as error:
        if self.request.retries < self.max_retries and not self.request.is_eager:
            raise self.retry(exc=error, countdown=30 * (self.request.retries + 1)) from error
        services.report_mark_failed(run_id=run_id, council_id=council_id, error=error)
    except SoftTimeLimitExceeded:
        services.report_mark_failed(
            run_id=run_id, council_id=council_id, error="The PDF took too long to make."
        )
    except Exception as error:
        # A fault in the report itself: trying again would fail the same way.
        logger.exception("Report run %s could not be rendered", run_id)
        services.report_mark_failed(run_id=run_id, council_id=council_id, error=error)


@shared_task
def send_report_ready_email(run_id: int, council_id: int) -> None:
    """A link to the report, never the file: the PDF stays behind the council's sign-in."""
    with rls.council_scope(council_id):
        run = (
            ReportRun.objects.select_related("council", "requested_by")
            .filter(council=council_id, pk=run_id)
            .first()
        )
        if run is None or not run.is_ready or run.requested_by is None:
            return
        email = run.requested_by.email
        link = settings.SITE_URL + reverse("report_detail", args=[run.council.slug, run.pk])
        message = render_to_string("reporting/email/ready.txt", {"run": run, "link": link})
    send_mail(
        subject=f"Your {run.council.name} report is ready",
        message=message,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[email],
    )


@shared_task
def recover_stale_reports() -> dict:
    with rls.all_councils("recovering report runs left by a lost worker"):
        return services.recover_stale_runs()


@shared_task
def make_quarter_drafts(today: str | None = None) -> int:
    """Beat runs this daily; `today` (an ISO date) lets a catch-up run name its day. Each council
    in turn, in its own scope."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    made = 0
    for council in Council.objects.filter(is_active=True).order_by("pk"):
        with rls.council_scope(council):
            made += _quarter_drafts_for(council, day)
    return made


def _quarter_drafts_for(council, today) -> int:
    runs = services.make_quarter_drafts(
        today=today, days_after=settings.REPORT_DRAFT_DAYS_AFTER_QUARTER, councils=[council]
    )
    if not runs:
        return 0
    links = [
        (run, settings.SITE_URL + reverse("report_detail", args=[council.slug, run.pk]))
        for run in runs
    ]
    # One email per officer for the quarter's drafts: addresses are read here, in the worker,
    # never passed to it.
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
