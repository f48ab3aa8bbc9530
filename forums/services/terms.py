from django.core.exceptions import ValidationError
from django.db import transaction

from forums.models import (
    Forum,
    TermsOfReference,
)
from participation.activities.services import local_today
from participation.models import User
from participation.services import audit

# Terms of reference -------------------------------------------------------------------------


@transaction.atomic
def terms_of_reference_add(
    *, forum: Forum, actor: User, text: str, agreed_on, review_on
) -> TermsOfReference:
    """A new version: the earlier ones are kept with their dates."""
    forum = Forum.objects.select_for_update().get(council=forum.council_id, pk=forum.pk)
    text = text.strip()
    errors = {}
    if not text:
        errors["text"] = "Enter the terms of reference."
    if agreed_on is None:
        errors["agreed_on"] = "Enter the date they were agreed."
    elif agreed_on > local_today():
        errors["agreed_on"] = "The date they were agreed must be today or in the past."
    if review_on is None:
        errors["review_on"] = "Enter the date they should be reviewed by."
    elif agreed_on and review_on < agreed_on:
        errors["review_on"] = "The review date must be after the date they were agreed."
    if errors:
        raise ValidationError(errors)
    latest = (
        TermsOfReference.objects.filter(council=forum.council_id, forum=forum)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    version = TermsOfReference.objects.create(
        council=forum.council,
        forum=forum,
        version=(latest or 0) + 1,
        text=text,
        agreed_on=agreed_on,
        review_on=review_on,
        created_by=actor,
    )
    # The forum keeps the current text too, which the API and the page read.
    forum.terms_of_reference = text
    forum.save(update_fields=["terms_of_reference", "updated_at"])
    audit(council=forum.council, actor=actor, verb="agreed terms of reference", subject=forum)
    return version
