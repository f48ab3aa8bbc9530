"""The daily clean-up of remembered create answers (api/tasks.py)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from api import tasks
from api.models import IdempotencyRecord
from participation import rls


def _record(membership, key, *, age_days):
    return IdempotencyRecord.objects.create(
        council=membership.council,
        user=membership.user,
        key=key,
        path=f"/api/v1/c/{membership.council.slug}/activities/",
        body_hash="0" * 64,
        response_status=201,
        response_body={"id": 1},
        created_at=timezone.now() - timedelta(days=age_days),
    )


def test_records_older_than_a_week_go_in_every_council_and_newer_ones_stay(
    council_a, council_b, officer_a, admin_b
):
    old_a = _record(officer_a, "old-a", age_days=8)
    new_a = _record(officer_a, "new-a", age_days=6)
    old_b = _record(admin_b, "old-b", age_days=30)
    new_b = _record(admin_b, "new-b", age_days=0)
    # As beat runs it: no council to start with, so each step must open its own scope.
    with rls.no_council():
        result = tasks.delete_old_idempotency_records.apply().get()
    assert result == {str(council_a.pk): 1, str(council_b.pk): 1}
    left = set(IdempotencyRecord.objects.values_list("pk", flat=True))
    assert left == {new_a.pk, new_b.pk}
    assert not {old_a.pk, old_b.pk} & left
    # A second run finds nothing to do.
    with rls.no_council():
        assert tasks.delete_old_idempotency_records.apply().get() == {}


def test_a_key_can_be_used_again_once_its_record_is_gone(council_a, officer_a):
    from tests.api.helpers import A, api_for
    from tests.api.test_framework import activity_body

    api = api_for(officer_a)
    body = activity_body(council_a)
    assert api.post(f"{A}/activities/", body, **{"Idempotency-Key": "k"}).status_code == 201
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(days=8))
    with rls.no_council():
        tasks.delete_old_idempotency_records.apply()
    again = api.post(f"{A}/activities/", body, **{"Idempotency-Key": "k"})
    assert again.status_code == 201 and "Idempotent-Replayed" not in again


def test_the_job_is_in_the_beat_schedule_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["api-delete-old-idempotency-records"]
    assert entry["task"] == "api.tasks.delete_old_idempotency_records"
    assert entry["schedule"].hour == {3}
