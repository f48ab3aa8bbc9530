"""The participation log: activities, the young people who take part, and what it led to."""

from datetime import date

from django.conf import settings
from django.db import models

from participation.models import CouncilOwned


class ParticipationType(models.TextChoices):
    # Dudley's three types of participation.
    INDIVIDUAL = "individual", "Individual"
    CONSULTATION = "consultation", "Consultation"
    CO_PRODUCTION = "co_production", "Co-production"


class LadderRung(models.IntegerChoices):
    # Hart's ladder: only the upper five rungs count as participation.
    ASSIGNED_INFORMED = 4, "Assigned but informed"
    CONSULTED_INFORMED = 5, "Consulted and informed"
    ADULT_INITIATED = 6, "Adult-initiated, shared decisions with young people"
    YOUNG_PEOPLE_DIRECTED = 7, "Young people-initiated and directed"
    YOUNG_PEOPLE_SHARED = 8, "Young people-initiated, shared decisions with adults"


class Method(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face to face"
    ONLINE = "online", "Online"
    APP = "app", "App"
    PHONE = "phone", "Phone"
    SURVEY = "survey", "Survey"
    CREATIVE = "creative", "Creative"


class AgeBand(models.TextChoices):
    UNDER_8 = "under_8", "Under 8"
    AGE_8_12 = "8_12", "8 to 12"
    AGE_13_15 = "13_15", "13 to 15"
    AGE_16_17 = "16_17", "16 to 17"
    AGE_18_25 = "18_25", "18 to 25"


def age_band_for(age: int) -> str:
    if age < 8:
        return AgeBand.UNDER_8
    if age <= 12:
        return AgeBand.AGE_8_12
    if age <= 15:
        return AgeBand.AGE_13_15
    if age <= 17:
        return AgeBand.AGE_16_17
    return AgeBand.AGE_18_25


def age_on(date_of_birth: date | None, day: date) -> int | None:
    if not date_of_birth:
        return None
    dob = date_of_birth
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def age_band_on(date_of_birth: date | None, age_band: str, day: date) -> str:
    """The band from the date of birth when it is known, else the band recorded."""
    age = age_on(date_of_birth, day)
    return age_band_for(age) if age is not None else age_band


# Anonymous head counts: (field name, label). The age bands break down children and young people.
GROUP_COUNTS = [
    ("count_children", "Children (under 13)"),
    ("count_young_people", "Young people (13 to 25)"),
    ("count_parents_carers", "Parents and carers"),
]
AGE_BAND_COUNTS = [
    ("count_under_8", AgeBand.UNDER_8),
    ("count_8_12", AgeBand.AGE_8_12),
    ("count_13_15", AgeBand.AGE_13_15),
    ("count_16_17", AgeBand.AGE_16_17),
    ("count_18_25", AgeBand.AGE_18_25),
]
COUNT_FIELDS = [name for name, _ in GROUP_COUNTS] + [name for name, _ in AGE_BAND_COUNTS]

# Cohort flags on a young person, in the words of the reach page.
COHORTS = [
    ("in_care", "Children in care"),
    ("care_leaver", "Care leavers"),
    ("child_protection", "Child protection"),
    ("child_in_need", "Child in need"),
    ("send", "SEND"),
    ("uasc", "Unaccompanied asylum-seeking children"),
    ("out_of_area", "Placed out of area"),
]
COHORT_FIELDS = [name for name, _ in COHORTS]

DEFAULT_KINDS = [
    ("Consultation or survey", ParticipationType.CONSULTATION),
    ("Focus group", ParticipationType.CONSULTATION),
    ("Co-production event", ParticipationType.CO_PRODUCTION),
    ("Forum meeting", ParticipationType.CONSULTATION),
    ("Recruitment panel", ParticipationType.CONSULTATION),
    ("Young Inspectors visit", ParticipationType.CONSULTATION),
    ("Training by young people", ParticipationType.CO_PRODUCTION),
    ("Takeover day", ParticipationType.CO_PRODUCTION),
    ("Creative workshop", ParticipationType.CO_PRODUCTION),
    ("Contributed to own assessment, plan or review", ParticipationType.INDIVIDUAL),
    ("Chaired own meeting", ParticipationType.INDIVIDUAL),
    ("Advocacy", ParticipationType.INDIVIDUAL),
]
# Kinds the code itself relies on, found by a stable code whatever the council renames them to.
FORUM_MEETING = "forum_meeting"
DEFAULT_KIND_CODES = {"Forum meeting": FORUM_MEETING}
DEFAULT_SERVICE_AREAS = [
    "Early Help",
    "Children in need",
    "Child protection",
    "Children in care",
    "Care leavers",
    "Children with disabilities and SEND",
    "Youth service",
    "Residential",
]


class ActivityKind(CouncilOwned):
    """A kind of participation activity. Each council keeps its own list."""

    name = models.CharField(max_length=80)
    usual_type = models.CharField(
        "usual participation type",
        max_length=16,
        choices=ParticipationType.choices,
        blank=True,
    )
    is_active = models.BooleanField("in use", default=True)
    position = models.PositiveSmallIntegerField(default=0)
    # Empty for kinds a council adds; set for the kinds Heard records itself (forum meetings).
    code = models.CharField(max_length=32, blank=True, default="", editable=False)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="activitykind_name_unique"),
            models.UniqueConstraint(
                fields=["council", "code"],
                condition=~models.Q(code=""),
                name="activitykind_code_unique",
            ),
        ]
        indexes = [models.Index(fields=["council", "is_active"], name="activitykind_council")]

    def __str__(self):
        return self.name


class ServiceArea(CouncilOwned):
    """A part of children's services an activity informs. Each council keeps its own list."""

    name = models.CharField(max_length=80)
    is_active = models.BooleanField("in use", default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="servicearea_name_unique")
        ]
        indexes = [models.Index(fields=["council", "is_active"], name="servicearea_council")]

    def __str__(self):
        return self.name


class YoungPerson(CouncilOwned):
    """A council's record of a young person who takes part. Young people have no account."""

    class Gender(models.TextChoices):
        GIRL = "girl", "Girl or young woman"
        BOY = "boy", "Boy or young man"
        NON_BINARY = "non_binary", "Non-binary"
        OTHER = "other", "Describes themselves another way"
        NOT_SAID = "not_said", "Prefers not to say"

    class Ethnicity(models.TextChoices):
        # The five ONS high-level groups, which is what reach figures are reported by.
        ASIAN = "asian", "Asian or Asian British"
        BLACK = "black", "Black, Black British, Caribbean or African"
        MIXED = "mixed", "Mixed or multiple ethnic groups"
        WHITE = "white", "White"
        OTHER = "other", "Other ethnic group"
        NOT_SAID = "not_said", "Prefers not to say"

    class Disability(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        NOT_SAID = "not_said", "Prefers not to say"

    class ConsentGivenBy(models.TextChoices):
        YOUNG_PERSON = "young_person", "The young person"
        PARENT_CARER = "parent_carer", "A parent or carer"
        SOCIAL_WORKER = "social_worker", "Their social worker (for a child in care)"

    class ContactBy(models.TextChoices):
        THROUGH_WORKER = "through_worker", "Through their worker"
        TEXT = "text", "Text message"
        PHONE = "phone", "Phone call"
        EMAIL = "email", "Email"
        POST = "post", "Letter"
        DO_NOT_CONTACT = "do_not_contact", "Do not contact directly"

    preferred_name = models.CharField(max_length=80)
    reference = models.CharField(
        "reference",
        max_length=20,
        help_text="A reference that does not identify them outside the council, like YP-0042.",
    )
    date_of_birth = models.DateField(null=True, blank=True)
    age_band = models.CharField(max_length=8, choices=AgeBand.choices, blank=True)

    in_care = models.BooleanField("in care", default=False)
    care_leaver = models.BooleanField("care leaver", default=False)
    child_protection = models.BooleanField("on a child protection plan", default=False)
    child_in_need = models.BooleanField("child in need", default=False)
    send = models.BooleanField("SEND", default=False)
    uasc = models.BooleanField("unaccompanied asylum-seeking child", default=False)
    out_of_area = models.BooleanField("placed out of area", default=False)

    # Special-category data: shown only to roles with "young_people.equality".
    ethnicity = models.CharField(max_length=10, choices=Ethnicity.choices, blank=True)
    gender = models.CharField(max_length=12, choices=Gender.choices, blank=True)
    disability = models.CharField(max_length=10, choices=Disability.choices, blank=True)

    consent_given_by = models.CharField(max_length=16, choices=ConsentGivenBy.choices, blank=True)
    consent_given_on = models.DateField(null=True, blank=True)
    consent_for = models.CharField(max_length=255, blank=True)
    consent_review_on = models.DateField(null=True, blank=True)

    contact_by = models.CharField(max_length=16, choices=ContactBy.choices, blank=True)
    contact_notes = models.CharField(max_length=255, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["preferred_name", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "reference"], name="youngperson_reference_unique"
            )
        ]
        indexes = [
            models.Index(fields=["council", "preferred_name"], name="youngperson_council_name")
        ]

    def __str__(self):
        return f"{self.preferred_name} ({self.reference})"

    def age_on(self, day: date) -> int | None:
        return age_on(self.date_of_birth, day)

    def age_band_on(self, day: date) -> str:
        return age_band_on(self.date_of_birth, self.age_band, day)

    @property
    def cohorts(self) -> list[str]:
        return [label for name, label in COHORTS if getattr(self, name)]


class Activity(CouncilOwned):
    """One piece of participation: a consultation, a panel, a child chairing their own review."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        DONE = "done", "Done"

    title = models.CharField(max_length=160)
    starts_on = models.DateField("date")
    ends_on = models.DateField("end date", null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DONE)
    kind = models.ForeignKey(ActivityKind, on_delete=models.PROTECT, related_name="+")
    participation_type = models.CharField(max_length=16, choices=ParticipationType.choices)
    ladder_rung = models.PositiveSmallIntegerField("Hart's ladder rung", choices=LadderRung.choices)
    lundy_space = models.BooleanField("space", default=False)
    lundy_voice = models.BooleanField("voice", default=False)
    lundy_audience = models.BooleanField("audience", default=False)
    lundy_influence = models.BooleanField("influence", default=False)
    methods = models.JSONField(default=list, blank=True)
    lead_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    count_children = models.PositiveIntegerField(default=0)
    count_young_people = models.PositiveIntegerField(default=0)
    count_parents_carers = models.PositiveIntegerField(default=0)
    count_under_8 = models.PositiveIntegerField(default=0)
    count_8_12 = models.PositiveIntegerField(default=0)
    count_13_15 = models.PositiveIntegerField(default=0)
    count_16_17 = models.PositiveIntegerField(default=0)
    count_18_25 = models.PositiveIntegerField(default=0)

    what_young_people_said = models.TextField(blank=True)
    what_changed = models.TextField("what changed as a result", blank=True)
    feedback_given = models.BooleanField("feedback given to participants", default=False)
    feedback_given_on = models.DateField(null=True, blank=True)
    incentive_description = models.CharField(max_length=160, blank=True)
    incentive_amount = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name_plural = "activities"
        indexes = [
            # The list's order (newest first, then id) under the council, so a page is read
            # straight off the index.
            models.Index(fields=["council", "-starts_on", "-id"], name="activity_council_date"),
            models.Index(fields=["council", "lead_worker"], name="activity_council_worker"),
        ]

    def __str__(self):
        return self.title

    @property
    def lundy_elements(self) -> list[str]:
        return [label for field, label in LUNDY if getattr(self, field)]

    @property
    def method_labels(self) -> list[str]:
        return [Method(m).label for m in self.methods if m in Method.values]

    @property
    def anonymous_total(self) -> int:
        return self.count_children + self.count_young_people + self.count_parents_carers


LUNDY = [
    ("lundy_space", "Space"),
    ("lundy_voice", "Voice"),
    ("lundy_audience", "Audience"),
    ("lundy_influence", "Influence"),
]


class ActivityServiceArea(CouncilOwned):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="area_links")
    service_area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["council", "activity", "service_area"], name="activityarea_unique"
            )
        ]
        indexes = [
            models.Index(fields=["council", "service_area"], name="activityarea_council_area")
        ]


class Participation(CouncilOwned):
    """A named young person took part in an activity, and the recognition they received."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participations")
    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.CASCADE, related_name="participations"
    )
    hours = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    voucher_amount = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    accreditation = models.CharField(max_length=160, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["council", "activity", "young_person"], name="participation_unique"
            )
        ]
        indexes = [
            models.Index(fields=["council", "young_person"], name="participation_council_yp")
        ]


class CohortSize(CouncilOwned):
    """How many young people a council has in a cohort in a quarter, the denominator for reach."""

    quarter_start = models.DateField()
    cohort = models.CharField(max_length=20, choices=COHORTS)
    size = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["council", "quarter_start", "cohort"], name="cohortsize_unique"
            )
        ]
        indexes = [models.Index(fields=["council", "quarter_start"], name="cohortsize_council")]


class ParticipationMonth(CouncilOwned):
    """How many times a young person took part in done activities that started in a month.

    Derived data, kept by the database itself (`participation/activities/rollup.py`): triggers on
    participations and activities keep it in step with every write, whatever makes it (a page,
    an import, the API, an erasure, a bulk insert). The reach page, the young people list and the
    report count these few rows instead of every participation. Months, not quarters, so a
    council changing the month its year starts needs nothing rebuilt."""

    month = models.DateField()  # the first of the month
    young_person = models.ForeignKey(YoungPerson, on_delete=models.CASCADE, related_name="+")
    times = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["council", "month", "young_person"], name="participationmonth_unique"
            )
        ]
