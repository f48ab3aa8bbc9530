"""A year of invented participation for a demo council. Every name and story here is made up.

Called by the demo_data command. Safe to run again: records are matched by reference or by title
and date, and updated rather than duplicated.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from forums.models import Forum, ForumMember
from participation.activities.models import (
    COHORT_FIELDS,
    Activity,
    ActivityKind,
    ActivityServiceArea,
    CohortSize,
    LadderRung,
    Method,
    Participation,
    ParticipationType,
    ServiceArea,
    YoungPerson,
    age_band_for,
)
from participation.models import Council, User
from participation.quarters import current_quarter

FIRST_NAMES = [
    "Amani", "Bailey", "Callum", "Darcy", "Eshan", "Freya", "Gio", "Hallie", "Idris", "Jada",
    "Kit", "Layla", "Mo", "Nia", "Ollie", "Pip", "Quinn", "Rosa", "Sami", "Tia", "Umar", "Vee",
    "Wren", "Xander", "Yusuf", "Zara", "Alfie", "Bea", "Cass", "Dev", "Ellis", "Fin", "Gracie",
    "Harun", "Isla", "Jojo", "Kian", "Lulu", "Marek", "Nell",
]  # fmt: skip

# (title, kind, service area names, what young people said, what changed)
ACTIVITIES = [
    (
        # Forum meetings come from forums.demo, each with its one activity; this is a hand-logged
        # activity of another kind.
        "Children in Care Council pocket money focus group",
        "Focus group",
        ["Children in care"],
        "Pocket money rules are different in every foster home and it feels unfair.",
        "One pocket money guide for foster carers was agreed at the Corporate Parenting Board.",
    ),
    (
        "Recruitment panel for a new Independent Reviewing Officer",
        "Recruitment panel",
        ["Children in care"],
        "We want someone who will read our views before the review, not during it.",
        "Candidates were scored on a young people's question; the panel's choice was appointed.",
    ),
    (
        "Young Inspectors visit to a children's home",
        "Young Inspectors visit",
        ["Residential", "Children in care"],
        "The home is warm but the wifi rules are too strict at weekends.",
        "The home changed its weekend wifi times and reported back to the inspectors.",
    ),
    (
        "Care leavers' consultation on the local offer",
        "Consultation or survey",
        ["Care leavers"],
        "Council tax exemption should be explained before you move into your flat.",
        "The local offer leaflet now explains council tax exemption on its first page.",
    ),
    (
        "Co-producing the new Early Help assessment form",
        "Co-production event",
        ["Early Help"],
        "Parents said the old form asked the same question three times.",
        "The new form is two pages shorter and asks each question once.",
    ),
    (
        "Takeover day at the Children's Services directorate",
        "Takeover day",
        ["Youth service"],
        "Leaders should visit youth clubs without warning so they see what it is really like.",
        "Two heads of service now visit a youth club each quarter.",
    ),
    (
        "Training for social workers, delivered by care leavers",
        "Training by young people",
        ["Care leavers", "Children in care"],
        "Don't change our worker without telling us why.",
        "A 'changing your worker' letter template is now used across the service.",
    ),
    (
        "Creative workshop: what makes a good review meeting",
        "Creative workshop",
        ["Children in care", "Children in need"],
        "Review meetings in school make everyone know your business.",
        "Reviews are no longer held in school unless the child asks.",
    ),
    (
        "SEND youth focus group on short breaks",
        "Focus group",
        ["Children with disabilities and SEND"],
        "Short breaks should include things to do at weekends, not only after school.",
        "",
    ),
    (
        "Child chaired their own child in care review",
        "Chaired own meeting",
        ["Children in care"],
        "I want to say who comes to my review.",
        "The young person chose who attended and opened the meeting.",
    ),
    (
        "Views gathered for a child protection conference",
        "Contributed to own assessment, plan or review",
        ["Child protection"],
        "I feel safer when my mum's boyfriend isn't there at night.",
        "The plan was changed to reflect what the child said about evenings.",
    ),
    (
        "Advocacy support for a care leaver's housing appeal",
        "Advocacy",
        ["Care leavers"],
        "I was not told I could appeal.",
        "",
    ),
    (
        "Youth Council survey on youth club opening hours",
        "Consultation or survey",
        ["Youth service"],
        "Open later on Fridays, close earlier on Mondays.",
        "Friday sessions were extended by an hour at two youth centres.",
    ),
]

COHORT_SIZES = {
    "in_care": 410,
    "care_leaver": 290,
    "child_protection": 330,
    "child_in_need": 1250,
    "send": 2100,
    "uasc": 35,
    "out_of_area": 120,
}


def load(council: Council, members: dict[str, User]) -> None:
    rng = random.Random(f"heard-demo-{council.slug}")
    kinds = {kind.name: kind for kind in ActivityKind.objects.filter(council=council)}
    areas = {area.name: area for area in ServiceArea.objects.filter(council=council)}
    today = timezone.localdate()
    people = _young_people(council, rng, today, created_by=members.get("officer"))
    _forum_members(council, people, today)
    workers = [user for role, user in members.items() if role in ("practitioner", "officer")]

    for week in range(52):
        for slot, (title, kind_name, area_names, said, changed) in enumerate(ACTIVITIES):
            # Roughly two or three activities a week, varied across the list.
            if rng.random() > 0.2:
                continue
            day = today - timedelta(days=7 * week + slot % 7)
            kind = kinds[kind_name]
            individual = kind.usual_type == ParticipationType.INDIVIDUAL
            chosen = rng.sample(people, 1 if individual else rng.randint(0, 6))
            anonymous = 0 if individual else rng.choice([0, 0, 3, 6, 12, 25])
            activity, _ = Activity.objects.update_or_create(
                council=council,
                title=title,
                starts_on=day,
                defaults=dict(
                    status=Activity.Status.DONE,
                    kind=kind,
                    participation_type=kind.usual_type or ParticipationType.CONSULTATION,
                    ladder_rung=rng.choice(LadderRung.values),
                    lundy_space=True,
                    lundy_voice=rng.random() < 0.9,
                    lundy_audience=rng.random() < 0.7,
                    lundy_influence=bool(changed) and rng.random() < 0.8,
                    methods=rng.sample(Method.values, rng.randint(1, 2)),
                    lead_worker=rng.choice(workers),
                    created_by=rng.choice(workers),
                    count_young_people=anonymous,
                    count_13_15=anonymous // 2,
                    count_16_17=anonymous - anonymous // 2,
                    what_young_people_said=said,
                    what_changed=changed if week > 2 else "",
                    feedback_given=bool(changed) and week > 2,
                    feedback_given_on=day + timedelta(days=14) if changed and week > 2 else None,
                    incentive_description="Shopping vouchers" if anonymous > 5 else "",
                    incentive_amount=Decimal(anonymous * 10) if anonymous > 5 else None,
                ),
            )
            _link(activity, [areas[name] for name in area_names], chosen, rng)

    for weeks_ahead, (title, kind_name, area_names, _, _) in (
        (2, ACTIVITIES[0]),
        (5, ACTIVITIES[5]),
    ):
        activity, _ = Activity.objects.update_or_create(
            council=council,
            title=title,
            starts_on=today + timedelta(weeks=weeks_ahead),
            defaults=dict(
                status=Activity.Status.PLANNED,
                kind=kinds[kind_name],
                participation_type=kinds[kind_name].usual_type,
                ladder_rung=LadderRung.ADULT_INITIATED,
                lundy_space=True,
                lead_worker=members.get("officer"),
                created_by=members.get("officer"),
            ),
        )
        _link(activity, [areas[name] for name in area_names], [], rng)

    quarter = current_quarter(council=council, today=today)
    for _ in range(4):
        for cohort in COHORT_FIELDS:
            CohortSize.objects.update_or_create(
                council=council,
                quarter_start=quarter.start,
                cohort=cohort,
                defaults={"size": COHORT_SIZES[cohort] + rng.randint(-15, 15)},
            )
        quarter = quarter.previous()


def _young_people(council, rng, today: date, *, created_by) -> list[YoungPerson]:
    people = []
    for number, name in enumerate(FIRST_NAMES, start=1):
        age = rng.randint(8, 24)
        in_care = rng.random() < 0.45
        care_leaver = age >= 18 and rng.random() < 0.7
        known_dob = rng.random() < 0.7
        person, _ = YoungPerson.objects.update_or_create(
            council=council,
            reference=f"YP-{number:04d}",
            defaults=dict(
                preferred_name=name,
                date_of_birth=(
                    today - timedelta(days=age * 365 + rng.randint(0, 364)) if known_dob else None
                ),
                age_band="" if known_dob else age_band_for(age),
                in_care=in_care and age < 18,
                care_leaver=care_leaver,
                child_protection=not in_care and rng.random() < 0.15,
                child_in_need=not in_care and rng.random() < 0.2,
                send=rng.random() < 0.25,
                uasc=rng.random() < 0.08,
                out_of_area=in_care and rng.random() < 0.25,
                ethnicity=rng.choice(YoungPerson.Ethnicity.values + [""]),
                gender=rng.choice(YoungPerson.Gender.values[:3] + [""]),
                disability=rng.choice(YoungPerson.Disability.values + [""]),
                consent_given_by=(
                    YoungPerson.ConsentGivenBy.YOUNG_PERSON
                    if age >= 13
                    else YoungPerson.ConsentGivenBy.PARENT_CARER
                ),
                consent_given_on=today - timedelta(days=rng.randint(30, 400)),
                consent_for="Taking part in forums and activities",
                consent_review_on=today + timedelta(days=rng.randint(-20, 300)),
                contact_by=rng.choice(YoungPerson.ContactBy.values[:3]),
                created_by=created_by,
            ),
        )
        people.append(person)
    return people


def _link(activity, areas, people, rng) -> None:
    council = activity.council
    ActivityServiceArea.objects.filter(activity=activity).exclude(service_area__in=areas).delete()
    for area in areas:
        ActivityServiceArea.objects.get_or_create(
            council=council, activity=activity, service_area=area
        )
    Participation.objects.filter(activity=activity).exclude(young_person__in=people).delete()
    for person in people:
        Participation.objects.update_or_create(
            council=council,
            activity=activity,
            young_person=person,
            defaults={
                "hours": Decimal(rng.choice([1, 2, 2, 3, 4])),
                "voucher_amount": Decimal(10) if rng.random() < 0.3 else None,
                "accreditation": "AQA unit award" if rng.random() < 0.05 else "",
            },
        )


def _forum_members(council: Council, people: list[YoungPerson], today: date) -> None:
    """Some young people sit on the council's forums: a chair, a representative to the Corporate
    Parenting Board, members, and one who has left. Safe to run again."""
    forums = list(Forum.objects.filter(council=council, is_archived=False).order_by("name")[:3])
    roles = [ForumMember.Role.CHAIR, ForumMember.Role.REPRESENTATIVE] + [
        ForumMember.Role.MEMBER
    ] * 4
    for f_index, forum in enumerate(forums):
        for p_index, person in enumerate(people[f_index * 6 : f_index * 6 + 6]):
            joined = today - timedelta(days=300 - 20 * p_index)
            left = today - timedelta(days=30) if p_index == 5 else None
            ForumMember.objects.get_or_create(
                council=council,
                forum=forum,
                young_person=person,
                defaults={"role": roles[p_index], "joined_on": joined, "left_on": left},
            )
