"""Writes for quarterly reports. Views and tasks call these; nothing else writes a ReportRun."""

import hashlib
import logging
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from participation import rls
from participation.models import Council, User
from participation.services import audit
from reporting import selectors
from reporting.models import ReportRun

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# A run still "running" after this long has lost its worker (the task's own hard limit is less).
STALE_AFTER = timedelta(minutes=15)

DEFAULT_RECOMMENDATION = {
    ReportRun.Audience.DLT: "The Extended DLT is asked to note the progress made this quarter.",
    ReportRun.Audience.CORPORATE_PARENTING: (
        "The Board is asked to note the contents of this report and the participation work of "
        "the quarter."
    ),
    ReportRun.Audience.YOUNG_PEOPLE: "",
    ReportRun.Audience.SAFEGUARDING: (
        "The partnership is asked to note the participation work and the safeguarding figures "
        "of the quarter."
    ),
}


def _queue(run: ReportRun) -> None:
    from reporting.tasks import render_report

    run.status = ReportRun.Status.QUEUED
    run.progress = 0
    run.error = ""
    run.queued_at = timezone.now()
    run.started_at = None
    run.finished_at = None
    run.save(
        update_fields=[
            "status",
            "progress",
            "error",
            "queued_at",
            "started_at",
            "finished_at",
            "updated_at",
        ]
    )
    run_id, council_id = run.pk, run.council_id
    transaction.on_commit(lambda: render_report.delay(run_id, council_id))


@transaction.atomic
def report_create_draft(
    *, council: Council, actor: User, quarter_start: date, audience: str
) -> ReportRun:
    """A draft for the quarter and audience; if one is already being written, that one."""
    if audience not in ReportRun.Audience.values:
        raise ValidationError({"audience": "Choose who the report is for."})
    allowed = {
        q.start for q in selectors.quarter_choices(council=council, today=timezone.localdate())
    }
    if quarter_start not in allowed:
        raise ValidationError({"quarter": "Choose a quarter from the list."})
    quarter = selectors.quarter_of(council=council, day=quarter_start)
    existing = (
        ReportRun.objects.select_for_update()
        .filter(
            council=council,
            quarter_start=quarter.start,
            audience=audience,
            state=ReportRun.State.DRAFT,
        )
        .first()
    )
    if existing:
        return existing
    latest = ReportRun.objects.filter(
        council=council, quarter_start=quarter.start, audience=audience
    ).aggregate(v=Max("version"))["v"]
    try:
        with transaction.atomic():
            run = ReportRun.objects.create(
                council=council,
                quarter_start=quarter.start,
                quarter_end=quarter.end,
                audience=audience,
                version=(latest or 0) + 1,
                requested_by=actor,
                sections=list(selectors.SECTION_KEYS),
                recommendation=DEFAULT_RECOMMENDATION[audience],
            )
    except IntegrityError:
        # Someone made the same version a moment ago: theirs is the one.
        return ReportRun.objects.get(
            council=council, quarter_start=quarter.start, audience=audience, version=latest + 1
        )
    audit(council=council, actor=actor, verb="report.draft_created", subject=run)
    return run


@transaction.atomic
def report_update_draft(
    *,
    run: ReportRun,
    actor: User,
    introduction: str,
    purpose: str,
    recommendation: str,
    narratives: dict[str, str],
    sections: list[str],
) -> ReportRun:
    run = ReportRun.objects.select_for_update().get(pk=run.pk)
    if run.is_final:
        raise ValidationError("This report is final. Make a new version to change it.")
    unknown = set(sections) - set(selectors.SECTION_KEYS)
    if unknown:
        raise ValidationError({"sections": "Choose sections from the list."})
    if not sections:
        raise ValidationError({"sections": "Choose at least one section to include."})
    run.introduction = introduction.strip()
    run.purpose = purpose.strip()
    run.recommendation = recommendation.strip()
    run.narratives = {
        key: text.strip()
        for key, text in narratives.items()
        if key in selectors.SECTION_KEYS and text.strip()
    }
    run.sections = [key for key in selectors.SECTION_KEYS if key in sections]
    run.save()
    audit(council=run.council, actor=actor, verb="report.draft_saved", subject=run)
    return run


@transaction.atomic
def report_finalise(*, run: ReportRun, actor: User) -> ReportRun:
    """Freeze the figures as they are now and make the PDF from them. Asking again while the PDF
    is being made joins the same run."""
    run = ReportRun.objects.select_for_update(of=("self",)).select_related("council").get(pk=run.pk)
    if run.is_final:
        if run.status == ReportRun.Status.FAILED:
            _queue(run)
        return run
    run.figures = selectors.report_figures(
        council=run.council,
        quarter_start=run.quarter_start,
        sections=run.sections,
        audience=run.audience,
    )
    run.state = ReportRun.State.FINAL
    run.finalised_at = timezone.now()
    run.finalised_by = actor
    run.requested_by = actor
    run.save()
    _queue(run)
    audit(council=run.council, actor=actor, verb="report.finalised", subject=run)
    return run


@transaction.atomic
def report_new_version(*, run: ReportRun, actor: User) -> ReportRun:
    """A new draft version carrying the words of this one; the old version stays as it is."""
    run = ReportRun.objects.select_for_update().get(pk=run.pk)
    draft = (
        ReportRun.objects.filter(
            council=run.council_id,
            quarter_start=run.quarter_start,
            audience=run.audience,
            state=ReportRun.State.DRAFT,
        )
        .order_by("-version")
        .first()
    )
    if draft:
        return draft
    latest = ReportRun.objects.filter(
        council=run.council_id, quarter_start=run.quarter_start, audience=run.audience
    ).aggregate(v=Max("version"))["v"]
    new = ReportRun.objects.create(
        council_id=run.council_id,
        quarter_start=run.quarter_start,
        quarter_end=run.quarter_end,
        audience=run.audience,
        version=latest + 1,
        requested_by=actor,
        introduction=run.introduction,
        purpose=run.purpose,
        recommendation=run.recommendation,
        narratives=run.narratives,
        sections=run.sections,
    )
    audit(council=new.council, actor=actor, verb="report.new_version", subject=new)
    return new


def _set_progress(run: ReportRun, progress: int) -> None:
    ReportRun.objects.filter(pk=run.pk).update(progress=progress, updated_at=timezone.now())


def report_render(*, run_id: int, council_id: int) -> ReportRun | None:
    """Make the PDF of a final run from its frozen figures. Returns None when there is nothing to
    do (the run is gone, not final, or already made). Each step commits on its own (so the page
    shows progress, and an attempt counts even if the worker dies), each in the council's scope."""
    from reporting.rendering import report_pdf

    with rls.council_scope(council_id):
        run = (
            ReportRun.objects.select_for_update(of=("self",))
            .select_related("council", "requested_by")
            .filter(council=council_id, pk=run_id)
            .first()
        )
        if run is None or not run.is_final or run.status == ReportRun.Status.SUCCEEDED:
            return None
        run.status = ReportRun.Status.RUNNING
        run.started_at = timezone.now()
        run.attempts += 1
        run.progress = 10
        run.save(update_fields=["status", "started_at", "attempts", "progress", "updated_at"])
    with rls.council_scope(council_id):
        _set_progress(run, 30)
    with rls.council_scope(council_id):
        pdf = report_pdf(run=run, figures=run.figures)
    with rls.council_scope(council_id):
        _set_progress(run, 80)
    name = f"{run.council.slug}-{run.quarter_start:%Y-%m}-{run.audience}-v{run.version}.pdf"
    with rls.council_scope(council_id):
        old = run.file.name if run.file else ""
        run.file.save(name, ContentFile(pdf), save=False)
        run.size = len(pdf)
        run.checksum = hashlib.sha256(pdf).hexdigest()
        run.status = ReportRun.Status.SUCCEEDED
        run.progress = 100
        run.finished_at = timezone.now()
        run.error = ""
        run.save()
        if old and old != run.file.name:
            run.file.storage.delete(old)
    if run.requested_by_id:
        from reporting.tasks import send_report_ready_email

        transaction.on_commit(lambda: send_report_ready_email.delay(run.pk, council_id))
    return run


def report_mark_failed(*, run_id: int, council_id: int, error: BaseException | str) -> None:
    """Record why the PDF could not be made. The message is the exception's own (our code does
    not put children's data in exceptions), cut short."""
    text = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    with rls.council_scope(council_id):
        ReportRun.objects.filter(council=council_id, pk=run_id).update(
            status=ReportRun.Status.FAILED,
            error=text[:1000],
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
    logger.warning("Report run %s failed: %s", run_id, type(error).__name__)


def recover_stale_runs(*, now=None) -> dict:
    """Runs left "running" by a lost worker, or queued but never picked up: try again, or after
    MAX_ATTEMPTS mark them failed so an officer sees it."""
    now = now or timezone.now()
    stale = ReportRun.objects.filter(
        status=ReportRun.Status.RUNNING, started_at__lt=now - STALE_AFTER
    ) | ReportRun.objects.filter(status=ReportRun.Status.QUEUED, queued_at__lt=now - STALE_AFTER)
    retried = failed = 0
    for run_id in list(stale.values_list("pk", flat=True)):
        with transaction.atomic():
            run = ReportRun.objects.select_for_update().get(pk=run_id)
            if run.attempts >= MAX_ATTEMPTS:
                report_mark_failed(
                    run_id=run.pk,
                    council_id=run.council_id,
                    error=f"The PDF was not made after {run.attempts} attempts. Try again.",
                )
                failed += 1
            else:
                _queue(run)
                retried += 1
    return {"retried": retried, "failed": failed}


# The drafts the beat job starts after each quarter: the report every council owes its
# Corporate Parenting Board, and the young people's version of the same quarter.
BEAT_AUDIENCES = (ReportRun.Audience.CORPORATE_PARENTING, ReportRun.Audience.YOUNG_PEOPLE)


def make_quarter_drafts(*, today: date, days_after: int, councils=None) -> list[ReportRun]:
    """`days_after` days after a quarter ends, a draft for that quarter in every active council
    for each of `BEAT_AUDIENCES`, made once (an audience that already has a report for the
    quarter is left alone). `councils`: only these (the beat task passes one at a time, each in
    its own scope)."""
    from participation.models import Council as CouncilModel

    made = []
    if councils is None:
        councils = CouncilModel.objects.filter(is_active=True).order_by("pk")
    for council in councils:
        quarter = selectors.last_finished_quarter(council=council, today=today)
        if today != quarter.end + timedelta(days=days_after):
            continue
        existing = set(
            ReportRun.objects.filter(
                council=council, quarter_start=quarter.start, audience__in=BEAT_AUDIENCES
            ).values_list("audience", flat=True)
        )
        for audience in BEAT_AUDIENCES:
            if audience in existing:
                continue
            made.append(
                report_create_draft(
                    council=council, actor=None, quarter_start=quarter.start, audience=audience
                )
            )
    return made
