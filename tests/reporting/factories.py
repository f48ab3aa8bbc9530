"""Report runs made through the services, as an officer would make them."""

from datetime import date

from django.core.files.base import ContentFile

from participation.models import Membership
from reporting import services
from reporting.models import ReportRun
from tests.factories import MembershipFactory

# Today in the tests' world is whatever the clock says; this quarter is always offered.
Q1_2026 = date(2026, 4, 1)


def make_draft(council, *, quarter_start=None, audience=ReportRun.Audience.CORPORATE_PARENTING):
    from django.utils import timezone

    from reporting.selectors import quarter_choices

    officer = MembershipFactory(council=council, role=Membership.Role.PARTICIPATION_OFFICER)
    start = quarter_start or quarter_choices(council=council, today=timezone.localdate())[1].start
    return services.report_create_draft(
        council=council, actor=officer.user, quarter_start=start, audience=audience
    )


def make_final_run(council) -> ReportRun:
    """A final run with a file, without rendering (fast, for probes and permission tests)."""
    run = make_draft(council)
    run.state = ReportRun.State.FINAL
    run.figures = {}
    run.status = ReportRun.Status.SUCCEEDED
    run.file.save(f"probe-{run.pk}.pdf", ContentFile(b"%PDF-1.7 probe"), save=False)
    run.size = 14
    run.save()
    return run
