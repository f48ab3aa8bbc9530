from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from feedback.models import (
    Answer,
    Question,
    SafeguardingAlert,
    Theme,
    YouSaidActivity,
    YouSaidWeDid,
)
from participation.models import Council, Membership, User
from participation.services import audit

# Themes and "you said, we did" -------------------------------------------------------------


@transaction.atomic
def answer_set_themes(*, answer: Answer, actor: User, names: list[str]) -> list[Theme]:
    names = [name.strip()[:80] for name in names if name.strip()]
    # Emptying the box removes an answer's themes; on an untagged answer it would save nothing.
    if not names and not answer.themes.exists():
        raise ValidationError(
            {"themes": "Enter at least one theme, like school or contact with family."}
        )
    themes = []
    for name in names:
        theme, _ = Theme.objects.get_or_create(council_id=answer.council_id, name=name)
        themes.append(theme)
    answer.themes.set(themes)
    audit(council=answer.council, actor=actor, verb="tagged answer", subject=answer.response)
    return themes


def _set_activities(*, entry: YouSaidWeDid, activities) -> None:
    """Link the entry to these activities (replacing any others): all from the entry's council."""
    activities = list(activities)
    if any(activity.council_id != entry.council_id for activity in activities):
        raise ValidationError(
            {"activities": "Choose activities from your own council's participation log."}
        )
    wanted = {activity.pk for activity in activities}
    links = YouSaidActivity.objects.filter(council_id=entry.council_id, entry=entry)
    links.exclude(activity_id__in=wanted).delete()
    have = set(links.values_list("activity_id", flat=True))
    YouSaidActivity.objects.bulk_create(
        YouSaidActivity(council_id=entry.council_id, entry=entry, activity_id=pk)
        for pk in sorted(wanted - have)
    )


def _check_owner(entry: YouSaidWeDid) -> None:
    """The owner answers for the entry inside the council: an active member of it."""
    if (
        entry.owner_id
        and not Membership.objects.filter(
            council_id=entry.council_id, user_id=entry.owner_id, is_active=True
        ).exists()
    ):
        raise ValidationError({"owner": "Choose an owner who is a member of this council."})


@transaction.atomic
def you_said_create(*, council: Council, actor: User, activities=(), **fields) -> YouSaidWeDid:
    entry = YouSaidWeDid(council=council, **fields)
    if entry.theme_id and entry.theme.council_id != council.id:
        raise ValidationError({"theme": "Choose a theme from the list."})
    _check_owner(entry)
    entry.full_clean()
    entry.save()
    _set_activities(entry=entry, activities=activities)
    audit(council=council, actor=actor, verb="added you said we did", subject=entry)
    return entry


@transaction.atomic
def you_said_update(*, entry: YouSaidWeDid, actor: User, activities=None, **fields) -> YouSaidWeDid:
    owner_before = entry.owner_id
    for key, value in fields.items():
        setattr(entry, key, value)
    if entry.theme_id and entry.theme.council_id != entry.council_id:
        raise ValidationError({"theme": "Choose a theme from the list."})
    if entry.owner_id != owner_before:
        # An owner who has since left stays on the entry until someone changes it.
        _check_owner(entry)
    entry.full_clean()
    entry.save()
    if activities is not None:
        _set_activities(entry=entry, activities=activities)
    audit(council=entry.council, actor=actor, verb="changed you said we did", subject=entry)
    return entry


@transaction.atomic
def answer_approve_quote(*, answer: Answer, actor: User, approved: bool) -> Answer:
    """Approve a written answer to be quoted in reports, or withdraw the approval. An answer from
    a response that raised a safeguarding alert is never quoted: it may be a child's disclosure."""
    answer = (
        Answer.objects.select_for_update()
        .select_related("question", "response")
        .get(council_id=answer.council_id, pk=answer.pk)
    )
    if not Membership.objects.filter(
        council_id=answer.council_id, user_id=actor.pk, is_active=True
    ).exists():
        raise ValidationError("Only a member of this council can approve its quotes.")
    if answer.question.kind not in Question.TEXT_KINDS or not answer.text.strip():
        raise ValidationError("Only a written answer can be quoted.")
    if (
        approved
        and SafeguardingAlert.objects.filter(
            council_id=answer.council_id, response_id=answer.response_id
        ).exists()
    ):
        raise ValidationError(
            "This answer came with a safeguarding alert, so it cannot be quoted in reports."
        )
    if approved == (answer.quote_approved_at is not None):
        return answer
    answer.quote_approved_at = timezone.now() if approved else None
    answer.quote_approved_by = actor if approved else None
    answer.save(update_fields=["quote_approved_at", "quote_approved_by"])
    audit(
        council=answer.council,
        actor=actor,
        verb="approved quote" if approved else "withdrew quote",
        subject=answer.response,
    )
    return answer
