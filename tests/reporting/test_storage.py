"""Report files in S3-compatible storage (moto stands in for S3; everything else is real)."""

import boto3
import pytest
from django.urls import reverse
from moto import mock_aws

from reporting import services
from tests.conftest import client_for

BUCKET = "heard-reports-test"


@pytest.fixture
def s3(settings, monkeypatch):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-west-2",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("s3", region_name="eu-west-2")
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
        )
        storage = {
            **settings.S3_STORAGE,
            "OPTIONS": {
                **settings.S3_STORAGE["OPTIONS"],
                "bucket_name": BUCKET,
                "region_name": "eu-west-2",
                "location": "media",
            },
        }
        settings.STORAGES = {**settings.STORAGES, "default": storage}
        yield client


def objects(client) -> dict[str, bytes]:
    listed = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {
        item["Key"]: client.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
        for item in listed
    }


def finalise(run, officer, capture):
    with capture(execute=True):
        services.report_finalise(run=run, actor=officer.user)
    run.refresh_from_db()
    return run


def test_report_pdf_goes_to_a_private_bucket_and_downloads_through_the_view(
    s3, council_a, officer_a, manager_a, member_b, django_capture_on_commit_callbacks
):
    from tests.reporting.factories import make_draft

    run = finalise(make_draft(council_a), officer_a, django_capture_on_commit_callbacks)
    assert run.is_ready
    stored = objects(s3)
    key = "media/" + run.file.name
    assert list(stored) == [key]
    assert stored[key].startswith(b"%PDF") and len(stored[key]) == run.size
    # Private: only the owner has a grant, nobody else (no public-read).
    grants = s3.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert all("URI" not in grant["Grantee"] for grant in grants)

    url = reverse("report_download", args=[council_a.slug, run.pk])
    for allowed in (officer_a, manager_a):
        response = client_for(allowed).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == stored[key]
    assert client_for(member_b).get(url).status_code == 404

    # A new version is a new object; the old version's file stays and still downloads.
    new = services.report_new_version(run=run, actor=officer_a.user)
    new = finalise(new, officer_a, django_capture_on_commit_callbacks)
    stored = objects(s3)
    assert sorted(stored) == sorted([key, "media/" + new.file.name])
    assert new.file.name != run.file.name
    old = client_for(officer_a).get(url)
    assert b"".join(old.streaming_content) == stored[key]
    fresh = client_for(officer_a).get(reverse("report_download", args=[council_a.slug, new.pk]))
    assert b"".join(fresh.streaming_content) == stored["media/" + new.file.name]
