from django.core.exceptions import ValidationError
from django.db import transaction

from feedback.models import (
    SafeguardingContact,
    SafeguardingSettings,
)
from participation.models import Council, Membership, User
from participation.services import audit

FORM_FIELDS = (
    "title",
    "intro",
    "audience",
    "service_area",
    "opens_at",
    "closes_at",
    "is_anonymous",
    "one_per_screen",
)
QUESTION_FIELDS = (
    "kind",
    "text",
    "help_text",
    "required",
    "choices",
    "about_you",
    "principle",
    "alert_on",
)
NAME_MAX = 100
CONTACT_MAX = 300
SUBMISSION_SALT = "feedback.submission"


@transaction.atomic
def safeguarding_settings_update(
    *,
    council: Council,
    actor: User,
    worrying_phrases: str,
    contact_text: str,
    renotify_after_minutes: int,
) -> SafeguardingSettings:
    # Made on the first save: reading the settings (a public form, an alert) never writes.
    found, _ = SafeguardingSettings.objects.select_for_update().get_or_create(council=council)
    found.worrying_phrases = worrying_phrases
    found.contact_text = contact_text.strip()
    found.renotify_after_minutes = renotify_after_minutes
    found.full_clean()
    found.save()
    audit(council=council, actor=actor, verb="changed safeguarding settings", subject=found)
    return found


@transaction.atomic
def contact_add(*, council: Council, actor: User, membership: Membership) -> SafeguardingContact:
    if membership.council_id != council.id or not membership.is_active:
        raise ValidationError({"membership": "Choose an active member of this council."})
    contact, _ = SafeguardingContact.objects.get_or_create(council=council, membership=membership)
    audit(council=council, actor=actor, verb="named safeguarding contact", subject=contact)
    return contact


@transaction.atomic
def contact_remove(*, contact: SafeguardingContact, actor: User) -> None:
    audit(
        council=contact.council, actor=actor, verb="removed safeguarding contact", subject=contact
    )
    contact.delete()
