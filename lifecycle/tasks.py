"""Retention and subject access tasks: ids only in the message, never a name."""

from celery import shared_task
from django.utils import timezone

from lifecycle import services
from participation import rls


@shared_task(acks_late=True)
def apply_retention() -> dict:
    # Bounded per council so one council with years of backlog cannot hold the worker all
    # night; whatever is left is found again by the next run.
    summary = services.retention_apply_all(now=timezone.now(), max_batches_per_council=200)
    return {str(council_id): result["done"] for council_id, result in summary.items()}


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def build_subject_access_export(*, council_id: int, export_id: int) -> None:
    with rls.council_scope(council_id):
        services.subject_access_build(council_id=council_id, export_id=export_id)
