"""Demo reports for a demo council: last quarter's final report for the Corporate Parenting Board,
with its PDF, and a draft for this quarter. Running it again leaves what it made in place."""

from django.utils import timezone

from reporting import selectors, services
from reporting.models import ReportRun

INTRODUCTION = (
    "This report sets out the participation work of the quarter: what children and young people "
    "told us, what changed as a result, and how the action plan is progressing."
)
PURPOSE = "To update the Board on participation activity, feedback and the action plan."


def load(council, officer) -> None:
    today = timezone.localdate()
    last = selectors.last_finished_quarter(council=council, today=today)
    audience = ReportRun.Audience.CORPORATE_PARENTING
    if not ReportRun.objects.filter(
        council=council, quarter_start=last.start, audience=audience, state=ReportRun.State.FINAL
    ).exists():
        run = services.report_create_draft(
            council=council, actor=officer, quarter_start=last.start, audience=audience
        )
        services.report_update_draft(
            run=run,
            actor=officer,
            introduction=INTRODUCTION,
            purpose=PURPOSE,
            recommendation=run.recommendation,
            narratives={"reach": "Most young people who took part were children in our care."},
            sections=list(selectors.SECTION_KEYS),
        )
        services.report_finalise(run=run, actor=officer)
        # Made here and now, so the demo has a PDF to download even without a worker.
        services.report_render(run_id=run.pk, council_id=run.council_id)
    services.report_create_draft(
        council=council,
        actor=officer,
        quarter_start=selectors.quarter_of(council=council, day=today).start,
        audience=audience,
    )
