import datetime
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from forums import services, tasks
from forums.models import TermsOfReference
from tests.conftest import client_for
from tests.factories import ForumFactory

TODAY = timezone.localdate()


@pytest.fixture
def forum(council_a):
    return ForumFactory(council=council_a, name="Youth Council")


def test_each_version_is_kept_with_its_date(forum, officer_a, member_a):
    client = client_for(officer_a)
    url = f"/c/council-a/forums/{forum.pk}/terms-of-reference/"
    for text, agreed in (
        ("We meet monthly.", "2025-09-01"),
        ("We meet fortnightly.", "2026-09-01"),
    ):
        client.post(url, {"text": text, "agreed_on": agreed, "review_on": "2027-09-01"})
    versions = list(TermsOfReference.objects.filter(forum=forum).order_by("version"))
    assert [(v.version, v.text) for v in versions] == [
        (1, "We meet monthly."),
        (2, "We meet fortnightly."),
    ]
    assert versions[0].agreed_on == datetime.date(2025, 9, 1)
    forum.refresh_from_db()
    assert forum.terms_of_reference == "We meet fortnightly."
    html = client_for(member_a).get(url).content.decode()
    assert "Version 2, agreed 1 September 2026" in html and "We meet monthly." in html
    assert client_for(member_a).post(url, {"text": "x"}).status_code == 403
    assert TermsOfReference.objects.count() == 2


def test_a_review_date_before_agreement_is_refused(forum, officer_a):
    with pytest.raises(ValidationError, match="review date must be after"):
        services.terms_of_reference_add(
            forum=forum,
            actor=officer_a.user,
            text="Terms",
            agreed_on=TODAY,
            review_on=TODAY - timedelta(days=1),
        )
    assert not TermsOfReference.objects.exists()


def test_the_officer_is_reminded_once_when_the_review_date_passes(forum, officer_a):
    old = services.terms_of_reference_add(
        forum=forum,
        actor=officer_a.user,
        text="Old",
        agreed_on=TODAY - timedelta(days=400),
        review_on=TODAY - timedelta(days=30),
    )
    assert tasks.remind_terms_of_reference_reviews() == 1
    assert mail.outbox[-1].to == [officer_a.user.email]
    assert tasks.remind_terms_of_reference_reviews() == 0
    # A new version with a later review date replaces the overdue one: nothing to remind.
    TermsOfReference.objects.filter(pk=old.pk).update(review_reminded_on=None)
    services.terms_of_reference_add(
        forum=forum,
        actor=officer_a.user,
        text="New",
        agreed_on=TODAY,
        review_on=TODAY + timedelta(days=365),
    )
    assert tasks.remind_terms_of_reference_reviews() == 0
    html = client_for(officer_a).get(f"/c/council-a/forums/{forum.pk}/").content.decode()
    assert "Version 2" in html and "Review overdue" not in html
