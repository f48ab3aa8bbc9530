from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from forums.models import Forum, ForumMember
from participation.activities.models import AgeBand
from participation.tenancy import get_for_council

# Members: adults and eligibility ------------------------------------------------------------

# How far ahead the forum page warns that a member will pass the forum's age range.
ELIGIBILITY_HORIZON_DAYS = 90
BAND_AGES = {
    AgeBand.UNDER_8: (0, 7),
    AgeBand.AGE_8_12: (8, 12),
    AgeBand.AGE_13_15: (13, 15),
    AgeBand.AGE_16_17: (16, 17),
    AgeBand.AGE_18_25: (18, 25),
}


def forum_adults(*, forum: Forum):
    from forums.models import ForumAdult

    return (
        ForumAdult.objects.filter(council=forum.council_id, forum=forum, left_on__isnull=True)
        .select_related("user")
        .order_by("name", "pk")
    )


def access_forum_adult(*, forum: Forum, pk):
    from forums.models import ForumAdult

    return get_for_council(
        ForumAdult.objects.filter(council_id=forum.council_id, forum=forum).select_related("user"),
        council=forum.council,
        pk=pk,
    )


def _birthday(dob: date, age: int) -> date:
    try:
        return dob.replace(year=dob.year + age)
    except ValueError:  # born on 29 February
        return date(dob.year + age, 3, 1)


@dataclass
class EligibilityWarning:
    member: ForumMember
    message: str
    on: date | None = None  # the day it happens, when known


def eligibility_warnings(
    *, forum: Forum, members, today: date | None = None
) -> list[EligibilityWarning]:
    """Current members who are, or within 90 days will be, outside the forum's age range,
    from their date of birth, or from their age band when that is all there is."""
    today = today or timezone.localdate()
    if forum.min_age is None and forum.max_age is None:
        return []
    horizon = today + timedelta(days=ELIGIBILITY_HORIZON_DAYS)
    warnings = []
    for member in members:
        person = member.young_person
        name = person.preferred_name
        if person.date_of_birth:
            age = person.age_on(today)
            if forum.max_age is not None:
                too_old = _birthday(person.date_of_birth, forum.max_age + 1)
                if too_old <= today:
                    warnings.append(
                        EligibilityWarning(
                            member,
                            f"{name} is {age}: older than the forum's age range "
                            f"(up to {forum.max_age}).",
                        )
                    )
                elif too_old <= horizon:
                    warnings.append(
                        EligibilityWarning(
                            member,
                            f"{name} turns {forum.max_age + 1} on {too_old:%-d %B %Y}, past the "
                            f"forum's age range (up to {forum.max_age}).",
                            too_old,
                        )
                    )
            if forum.min_age is not None and age < forum.min_age:
                warnings.append(
                    EligibilityWarning(
                        member,
                        f"{name} is {age}: younger than the forum's age range "
                        f"(from {forum.min_age}).",
                    )
                )
        elif person.age_band in BAND_AGES and forum.max_age is not None:
            low, high = BAND_AGES[person.age_band]
            band = AgeBand(person.age_band).label.lower()
            if low > forum.max_age:
                warnings.append(
                    EligibilityWarning(
                        member,
                        f"{name}'s age band ({band}) is above the forum's age range "
                        f"(up to {forum.max_age}).",
                    )
                )
            elif high > forum.max_age:
                warnings.append(
                    EligibilityWarning(
                        member,
                        f"{name}'s age band ({band}) goes past the forum's age range (up to "
                        f"{forum.max_age}). Add their date of birth to know when they leave it.",
                    )
                )
    return sorted(warnings, key=lambda w: (w.on or date.min, w.member.young_person.preferred_name))
