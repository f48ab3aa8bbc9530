"""Writes to the participation log. Views and the importer call these; nothing else writes."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from participation.activities.models import (
    COHORT_FIELDS,
    COUNT_FIELDS,
    FORUM_MEETING,
    Activity,
    ActivityKind,
    ActivityServiceArea,
    CohortSize,
    Method,
    Participation,
    ParticipationType,
    ServiceArea,
    YoungPerson,
)
from participation.activities.selectors import visible_young_people
from participation.models import Council, Membership, User
from participation.quarters import Quarter
from participation.services import audit

ACTIVITY_FIELDS = (
    "title",
    "starts_on",
    "ends_on",
    "status",
    "kind",
    "participation_type",
    "ladder_rung",
    "lundy_space",
    "lundy_voice",
    "lundy_audience",
    "lundy_influence",
    "methods",
    "lead_worker",
    *COUNT_FIELDS,
    "what_young_people_said",
    "what_changed",
    "feedback_given",
    "feedback_given_on",
    "incentive_description",
    "incentive_amount",
)
EQUALITY_FIELDS = ("ethnicity", "gender", "disability")
YOUNG_PERSON_FIELDS = (
    "preferred_name",
    "reference",
    "date_of_birth",
    "age_band",
    *COHORT_FIELDS,
    *EQUALITY_FIELDS,
    "consent_given_by",
    "consent_given_on",
    "consent_for",
    "consent_review_on",
    "contact_by",
    "contact_notes",
)


# Dates outside these years are typing mistakes (and would overflow the quarter arithmetic).
FIRST_YEAR = 2000
YEARS_AHEAD = 5


def local_today() -> date:
    return timezone.localdate()


def forum_meeting_kind(*, council: Council) -> ActivityKind:
    """The kind every forum meeting's activity has. Called from writes only (never on GET).

    A council that renamed or retired it keeps its choice; one that has lost it (kinds made
    before codes existed, say) gets it back, adopting a kind already called "Forum meeting".
    """
    kind = ActivityKind.objects.filter(council=council, code=FORUM_MEETING).first()
    if kind is not None:
        return kind
    kind = ActivityKind.objects.filter(council=council, name__iexact="Forum meeting").first()
    if kind is None:
        kind = ActivityKind(
            council=council,
            name="Forum meeting",
            usual_type=ParticipationType.CONSULTATION,
            position=ActivityKind.objects.filter(council=council).count(),
        )
    kind.code = FORUM_MEETING
    kind.save()
    return kind


def _check_list_name(model, *, council: Council, name: str, what: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": f"Enter the name of the {what}."})
    if len(name) > 80:
        raise ValidationError({"name": f"The name of the {what} must be 80 characters or fewer."})
    if model.objects.filter(council=council, name__iexact=name).exists():
        raise ValidationError({"name": f"This council already has a {what} called {name}."})
    return name


@transaction.atomic
def activity_kind_add(
    *, council: Council, actor: User, name: str, usual_type: str = ""
) -> ActivityKind:
    name = _check_list_name(ActivityKind, council=council, name=name, what="kind of activity")
    if usual_type and usual_type not in ParticipationType.values:
        raise ValidationError({"usual_type": "Choose a type of participation from the list."})
    position = ActivityKind.objects.filter(council=council).count()
    kind = ActivityKind.objects.create(
        council=council, name=name, usual_type=usual_type, position=position
    )
    audit(council=council, actor=actor, verb="added kind of activity", subject=kind)
    return kind


@transaction.atomic
def service_area_add(*, council: Council, actor: User, name: str) -> ServiceArea:
    name = _check_list_name(ServiceArea, council=council, name=name, what="service area")
    position = ServiceArea.objects.filter(council=council).count()
    area = ServiceArea.objects.create(council=council, name=name, position=position)
    audit(council=council, actor=actor, verb="added service area", subject=area)
    return area


@transaction.atomic
def council_list_item_set_active(*, item: ActivityKind | ServiceArea, actor: User, active: bool):
    """Retire a kind or service area (or bring it back). Activities that use it keep it."""
    if item.is_active != active:
        item.is_active = active
        item.save(update_fields=["is_active"])
        audit(
            council=item.council,
            actor=actor,
            verb=f"{'brought back' if active else 'retired'} {item._meta.verbose_name}",
            subject=item,
        )
    return item


# Activities ---------------------------------------------------------------------------------


def _check_fields(fields: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")


def activity_errors(
    activity: Activity,
    *,
    service_areas,
    young_people,
    today: date,
    member_ids=None,
    from_meeting: bool = False,
) -> dict[str, list[str]]:
    """Every problem with an activity, by field. `member_ids` saves a query per importer row.

    `from_meeting` is for forums.services only: a forum meeting's activity is written there.
    """
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    council_id = activity.council_id
    if activity.kind_id and activity.kind.council_id != council_id:
        add("kind", "Choose a kind of activity from this council's list.")
    elif activity.kind_id and activity.kind.code == FORUM_MEETING and not from_meeting:
        # One meeting, one activity: a second one typed in by hand would count it twice.
        add(
            "kind",
            "Forum meetings are recorded from the forum's page, which logs the activity for "
            "you. Record the meeting there, or choose another kind of activity.",
        )
    for field in ("starts_on", "ends_on", "feedback_given_on"):
        day = getattr(activity, field)
        if day and not FIRST_YEAR <= day.year <= today.year + YEARS_AHEAD:
            add(
                field,
                f"Check the year: enter a date between {FIRST_YEAR} and "
                f"{today.year + YEARS_AHEAD}.",
            )
    if activity.ends_on and activity.starts_on and activity.ends_on < activity.starts_on:
        add("ends_on", "The end date must be the same as or after the start date.")
    if activity.status == Activity.Status.DONE:
        if activity.starts_on and activity.starts_on > today:
            add(
                "starts_on",
                "A done activity cannot have a date in the future. "
                "Change the date, or mark the activity as planned.",
            )
        if activity.ends_on and activity.ends_on > today:
            add(
                "ends_on",
                "A done activity cannot end in the future. "
                "Change the end date, or mark the activity as planned.",
            )
    for field in COUNT_FIELDS:
        value = getattr(activity, field)
        if value is None:
            setattr(activity, field, 0)
        elif value < 0:
            add(field, "The number of people cannot be negative. Enter 0 or more.")
    if not errors.keys() & set(COUNT_FIELDS):
        banded = sum(
            getattr(activity, f)
            for f in ("count_under_8", "count_8_12", "count_13_15", "count_16_17", "count_18_25")
        )
        if banded > activity.count_children + activity.count_young_people:
            add(
                "count_under_8",
                f"The age bands add up to {banded}, more than the "
                f"{activity.count_children + activity.count_young_people} children and young "
                "people counted. Check the numbers.",
            )
    unknown = [m for m in activity.methods or [] if m not in Method.values]
    if unknown:
        add("methods", "Choose methods from the list.")
    if activity.feedback_given_on:
        if not activity.feedback_given:
            add(
                "feedback_given_on",
                "Tick that feedback was given, or leave the feedback date empty.",
            )
        elif activity.feedback_given_on > today:
            add("feedback_given_on", "The date feedback was given cannot be in the future.")
    if activity.incentive_amount is not None and activity.incentive_amount < 0:
        add("incentive_amount", "The amount cannot be negative.")
    if activity.lead_worker_id and member_ids is None:
        member_ids = set(
            Membership.objects.filter(
                council_id=council_id, user_id=activity.lead_worker_id
            ).values_list("user_id", flat=True)
        )
    if activity.lead_worker_id and activity.lead_worker_id not in member_ids:
        add("lead_worker", "Choose a lead worker who is a member of this council.")
    if any(area.council_id != council_id for area in service_areas):
        add("service_areas", "Choose service areas from this council's list.")
    if any(person.council_id != council_id for person in young_people):
        add(
            "young_people",
            "One of the young people chosen is not recorded in this council. "
            "Choose young people from this council's list.",
        )
    return errors


def _names_only_visible_people(*, actor: User, council_id: int, people, already=()) -> bool:
    """Whether `actor` may see every young person newly named (those already on it may stay).

    The one rule for who sees which young person is the selector's; the form lists the same.
    """
    new = {person.pk for person in people if person.council_id == council_id} - set(already)
    if not new:
        return True
    membership = Membership.objects.filter(
        council_id=council_id, user=actor, is_active=True
    ).first()
    if membership is None:
        return False
    return visible_young_people(membership=membership).filter(pk__in=new).count() == len(new)


def _save_activity(
    activity: Activity,
    *,
    actor: User | None,
    service_areas,
    young_people,
    already=(),
    from_meeting: bool = False,
) -> None:
    errors = activity_errors(
        activity,
        service_areas=service_areas,
        young_people=young_people,
        today=local_today(),
        from_meeting=from_meeting,
    )
    # A meeting's young people are the forum's members marked present: forums.services checks
    # them against the forum, and only people who run forums record meetings.
    if (
        not from_meeting
        and "young_people" not in errors
        and not _names_only_visible_people(
            actor=actor, council_id=activity.council_id, people=young_people, already=already
        )
    ):
        errors["young_people"] = [
            "You can only add young people whose records you can see. "
            "Choose young people from the list."
        ]
    try:
        activity.full_clean(exclude=[f for f in errors if hasattr(activity, f)])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    activity.save()
    council = activity.council
    wanted_areas = {area.pk for area in service_areas}
    activity.area_links.exclude(service_area_id__in=wanted_areas).delete()
    have = set(activity.area_links.values_list("service_area_id", flat=True))
    ActivityServiceArea.objects.bulk_create(
        ActivityServiceArea(council=council, activity=activity, service_area_id=pk)
        for pk in wanted_areas - have
    )
    wanted_people = {person.pk for person in young_people}
    activity.participations.exclude(young_person_id__in=wanted_people).delete()
    have = set(activity.participations.values_list("young_person_id", flat=True))
    Participation.objects.bulk_create(
        Participation(council=council, activity=activity, young_person_id=pk)
        for pk in wanted_people - have
    )


@transaction.atomic
def activity_create(
    *,
    council: Council,
    actor: User,
    service_areas=(),
    young_people=(),
    **fields,
) -> Activity:
    _check_fields(fields, ACTIVITY_FIELDS)
    if isinstance(fields.get("title"), str):
        fields["title"] = fields["title"].strip()
    activity = Activity(council=council, created_by=actor, **fields)
    _save_activity(
        activity, actor=actor, service_areas=list(service_areas), young_people=list(young_people)
    )
    audit(council=council, actor=actor, verb="logged activity", subject=activity)
    return activity


def check_not_forum_meeting(activity: Activity) -> None:
    if is_forum_meeting(activity):
        raise ValidationError(
            "This activity is a forum meeting's record. Change or delete the meeting, "
            "and this activity follows."
        )


def is_forum_meeting(activity: Activity) -> bool:
    from forums.models import Meeting

    return Meeting.objects.filter(council_id=activity.council_id, activity=activity).exists()


def forum_meeting_activity_save(*, activity: Activity, young_people) -> Activity:
    """Write a forum meeting's activity; forums.services calls this inside its transaction."""
    areas = [link.service_area for link in activity.area_links.all()] if activity.pk else []
    _save_activity(
        activity,
        actor=None,
        service_areas=areas,
        young_people=list(young_people),
        from_meeting=True,
    )
    return activity


@transaction.atomic
def activity_update(
    *, activity: Activity, actor: User, service_areas=None, young_people=None, **fields
) -> Activity:
    check_not_forum_meeting(activity)
    _check_fields(fields, ACTIVITY_FIELDS)
    if isinstance(fields.get("title"), str):
        fields["title"] = fields["title"].strip()
    for key, value in fields.items():
        setattr(activity, key, value)
    if service_areas is None:
        service_areas = [link.service_area for link in activity.area_links.all()]
    already = set(activity.participations.values_list("young_person_id", flat=True))
    if young_people is None:
        young_people = [p.young_person for p in activity.participations.all()]
    _save_activity(
        activity,
        actor=actor,
        service_areas=list(service_areas),
        young_people=list(young_people),
        already=already,
    )
    audit(council=activity.council, actor=actor, verb="changed activity", subject=activity)
    return activity


@transaction.atomic
def activities_import(*, council: Council, actor: User, rows) -> list[Activity]:
    """Save rows the importer has read and checked (imports.read), all of them or none.

    The rules are checked again here, so no caller can save a row the log would refuse.
    """
    member_ids = set(Membership.objects.filter(council=council).values_list("user_id", flat=True))
    today = local_today()
    activities = []
    for row in rows:
        activity = Activity(council=council, created_by=actor, **row.fields)
        errors = activity_errors(
            activity,
            service_areas=row.service_areas,
            young_people=row.young_people,
            today=today,
            member_ids=member_ids,
        )
        if errors:
            raise ValidationError(
                [f"Row {row.number}: {m}" for messages in errors.values() for m in messages]
            )
        activities.append(activity)
    Activity.objects.bulk_create(activities)
    ActivityServiceArea.objects.bulk_create(
        ActivityServiceArea(council=council, activity=activity, service_area=area)
        for activity, row in zip(activities, rows, strict=True)
        for area in {a.pk: a for a in row.service_areas}.values()
    )
    Participation.objects.bulk_create(
        Participation(council=council, activity=activity, young_person=person)
        for activity, row in zip(activities, rows, strict=True)
        for person in {p.pk: p for p in row.young_people}.values()
    )
    audit(
        council=council,
        actor=actor,
        verb="imported activities",
        subject=council,
        detail=f"{len(activities)} activities",
    )
    return activities


@transaction.atomic
def activity_delete(*, activity: Activity, actor: User) -> None:
    check_not_forum_meeting(activity)
    audit(council=activity.council, actor=actor, verb="deleted activity", subject=activity)
    activity.delete()


@transaction.atomic
def participation_update(
    *,
    participation: Participation,
    actor: User,
    hours: Decimal | None,
    voucher_amount: Decimal | None,
    accreditation: str,
) -> Participation:
    errors = {}
    if hours is not None and hours < 0:
        errors["hours"] = "Hours cannot be negative."
    if voucher_amount is not None and voucher_amount < 0:
        errors["voucher_amount"] = "The voucher amount cannot be negative."
    if errors:
        raise ValidationError(errors)
    nothing = hours is None and voucher_amount is None and not accreditation.strip()
    had_some = participation.hours is not None or participation.voucher_amount is not None
    # Emptying every box clears what was recorded; with nothing recorded it would save nothing.
    if nothing and not (had_some or participation.accreditation):
        raise ValidationError(
            "Enter the hours they gave, the vouchers they received or an accreditation."
        )
    participation.hours = hours
    participation.voucher_amount = voucher_amount
    participation.accreditation = accreditation.strip()
    participation.full_clean()
    participation.save()
    audit(
        council=participation.council,
        actor=actor,
        verb="recorded recognition",
        subject=participation,
    )
    return participation


# Young people -------------------------------------------------------------------------------


def _next_reference(council: Council) -> str:
    # References are YP-0001, YP-0002... within a council: pseudonymous and easy to read out.
    taken = set(YoungPerson.objects.filter(council=council).values_list("reference", flat=True))
    number = len(taken) + 1
    while f"YP-{number:04d}" in taken:
        number += 1
    return f"YP-{number:04d}"


def _young_person_errors(person: YoungPerson, *, today: date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if person.date_of_birth:
        if person.date_of_birth > today:
            errors["date_of_birth"] = ["The date of birth must be in the past."]
        elif person.age_on(today) > 25:
            errors["date_of_birth"] = [
                "This date of birth makes them older than 25. Check the year."
            ]
    elif not person.age_band:
        errors["age_band"] = ["Enter a date of birth or choose an age band."]
    if person.consent_given_on and person.consent_given_on > today:
        errors["consent_given_on"] = ["The date consent was given cannot be in the future."]
    if (
        person.consent_given_on
        and person.consent_review_on
        and person.consent_review_on < person.consent_given_on
    ):
        errors["consent_review_on"] = ["The review date must be after the date consent was given."]
    clash = YoungPerson.objects.filter(council_id=person.council_id, reference=person.reference)
    if person.pk:
        clash = clash.exclude(pk=person.pk)
    if clash.exists():
        errors["reference"] = ["Another young person in this council has this reference."]
    return errors


def _save_young_person(person: YoungPerson) -> None:
    if person.date_of_birth:
        person.age_band = ""  # worked out from the date of birth on the day it is needed
    errors = _young_person_errors(person, today=local_today())
    try:
        person.full_clean(exclude=list(errors), validate_constraints=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    person.save()


@transaction.atomic
def young_person_create(*, council: Council, actor: User, **fields) -> YoungPerson:
    _check_fields(fields, YOUNG_PERSON_FIELDS)
    fields["preferred_name"] = fields.get("preferred_name", "").strip()
    fields["reference"] = fields.get("reference", "").strip().upper() or _next_reference(council)
    person = YoungPerson(council=council, created_by=actor, **fields)
    _save_young_person(person)
    audit(council=council, actor=actor, verb="added young person", subject=person)
    return person


@transaction.atomic
def young_person_update(*, young_person: YoungPerson, actor: User, **fields) -> YoungPerson:
    _check_fields(fields, YOUNG_PERSON_FIELDS)
    if "preferred_name" in fields:
        fields["preferred_name"] = fields["preferred_name"].strip()
    if "reference" in fields:
        fields["reference"] = fields["reference"].strip().upper() or young_person.reference
    for key, value in fields.items():
        setattr(young_person, key, value)
    _save_young_person(young_person)
    audit(
        council=young_person.council, actor=actor, verb="changed young person", subject=young_person
    )
    return young_person


@transaction.atomic
def young_person_delete(*, young_person: YoungPerson, actor: User) -> None:
    """Delete a young person's record, e.g. when they ask to be forgotten. Activities stay."""
    audit(
        council=young_person.council, actor=actor, verb="deleted young person", subject=young_person
    )
    young_person.delete()


# Reach --------------------------------------------------------------------------------------


@transaction.atomic
def cohort_sizes_set(
    *, council: Council, actor: User, quarter: Quarter, sizes: dict[str, int | None]
) -> None:
    if quarter.year_starts != council.year_starts:
        raise ValueError("The quarter must follow the council's own year start.")
    unknown = set(sizes) - set(COHORT_FIELDS)
    if unknown:
        raise ValidationError("Choose cohorts from the list.")
    errors = {
        cohort: "The number of young people cannot be negative."
        for cohort, size in sizes.items()
        if size is not None and size < 0
    }
    if errors:
        raise ValidationError(errors)
    saved = CohortSize.objects.filter(council=council, quarter_start=quarter.start)
    # Emptying every box clears the quarter's sizes; with none saved it would save nothing.
    if all(size is None for size in sizes.values()) and not saved.exists():
        raise ValidationError(
            "Enter how many young people are in at least one group, like children in care."
        )
    for cohort, size in sizes.items():
        if size is None:
            CohortSize.objects.filter(
                council=council, quarter_start=quarter.start, cohort=cohort
            ).delete()
        else:
            CohortSize.objects.update_or_create(
                council=council,
                quarter_start=quarter.start,
                cohort=cohort,
                defaults={"size": size},
            )
    audit(
        council=council,
        actor=actor,
        verb="set cohort sizes",
        subject=council,
        detail=quarter.short_label,
    )
