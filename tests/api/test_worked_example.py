"""docs/api.md's worked example, step by step: create a token on the API tokens page, post an
activity, then sync the activities changed since a date."""

import re
import uuid

from django.test import Client

from participation.activities.models import Activity
from tests.conftest import client_for
from tests.participation.activities.factories import ActivityFactory, ActivityKindFactory


def test_the_integration_guides_worked_example(council_a, officer_a):
    # 1. The officer creates a read and write token on their API tokens page.
    page = client_for(officer_a).post(
        "/c/council-a/api-tokens/", {"name": "Mosaic sync", "access": "write", "days": "90"}
    )
    token = re.search(r"heard_[0-9a-f]+_[A-Za-z0-9_-]+", page.content.decode()).group(0)
    mosaic = Client(headers={"Authorization": f"Bearer {token}"})
    base = "/api/v1/c/council-a"

    # 2. Find the kind of activity, then post one with an Idempotency-Key.
    ActivityKindFactory(council=council_a, name="Focus group")
    kinds = {k["name"]: k["id"] for k in mosaic.get(f"{base}/activity-kinds/").json()["results"]}
    body = {
        "title": "Care leavers' focus group on housing",
        "starts_on": "2026-05-12",
        "kind": kinds["Focus group"],
        "participation_type": "consultation",
        "ladder_rung": 5,
        "count_young_people": 7,
        "what_young_people_said": "Tell us sooner where we will live.",
    }
    key = str(uuid.uuid4())
    made = mosaic.post(
        f"{base}/activities/",
        body,
        content_type="application/json",
        headers={"Idempotency-Key": key},
    )
    assert made.status_code == 201
    # A retry after a dropped connection creates nothing new.
    retry = mosaic.post(
        f"{base}/activities/",
        body,
        content_type="application/json",
        headers={"Idempotency-Key": key},
    )
    assert retry.json()["id"] == made.json()["id"]
    assert Activity.objects.count() == 1

    # 3. Sync: everything changed since the last run, page by page, oldest change first.
    ActivityFactory(council=council_a, title="Older, recorded in Heard")
    since = made.json()["updated_at"]
    seen, url = [], f"{base}/activities/"
    params = {"updated_since": since, "ordering": "updated_at", "page_size": 1}
    while url:
        page = mosaic.get(url, params).json()
        seen += [a["title"] for a in page["results"]]
        url, params = page["next"], None
    assert seen[0] == "Care leavers' focus group on housing"
    assert "Older, recorded in Heard" in seen  # created after the first call, so changed since
