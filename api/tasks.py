"""The API's daily clean-up (beat: "api-delete-old-idempotency-records" in settings)."""

from celery import shared_task

from api import services


@shared_task
def delete_old_idempotency_records() -> dict:
    """Remembered create answers older than a week go, council by council. Ids and counts only
    in the result: no personal data in task results."""
    deleted = services.idempotency_records_delete_old_all()
    return {str(council_id): count for council_id, count in deleted.items()}
