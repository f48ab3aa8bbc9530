import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from participation.models import CouncilOwned, Membership

DEFAULT_WORRYING_PHRASES = "\n".join(
    [
        "not safe",
        "don't feel safe",
        "dont feel safe",
        "scared to go home",
        "hurts me",
        "hurt me",
        "hits me",
        "hit me",
        "kill myself",
        "want to die",
        "suicide",
        "self harm",
        "self-harm",
        "cutting myself",
        "abuse",
        "touched me",
        "nobody cares",
        "run away",
    ]
)


class SafeguardingSettings(CouncilOwned):
    """One row per council: what counts as worrying, who young people are told to contact, and
    how long an alert may wait unacknowledged before everyone is reminded."""

    worrying_phrases = models.TextField(
        default=DEFAULT_WORRYING_PHRASES,
        blank=True,
        help_text="One word or phrase a line. Any answer that contains one raises an alert.",
    )
    contact_text = models.CharField(
        "who young people can contact at the council",
        max_length=300,
        blank=True,
        help_text="For example: Children's Services front door, 0300 123 4567 (Monday to Friday).",
    )
    renotify_after_minutes = models.PositiveIntegerField(
        "remind after (minutes)",
        default=60,
        help_text="If nobody acknowledges an alert in this time, the contacts are emailed again.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["council"], name="safeguardingsettings_one_per_council")
        ]

    def phrases(self) -> list[str]:
        return [p.strip().lower() for p in self.worrying_phrases.splitlines() if p.strip()]


class SafeguardingContact(CouncilOwned):
    """A member named to receive safeguarding alerts."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["council", "membership"], name="safeguardingcontact_unique"
            )
        ]


class FeedbackForm(CouncilOwned):
    class Audience(models.TextChoices):
        CHILDREN = "children", "Children"
        YOUNG_PEOPLE = "young_people", "Young people"
        PARENTS_CARERS = "parents_carers", "Parents and carers"

    class ServiceArea(models.TextChoices):
        EARLY_HELP = "early_help", "Early help"
        CHILD_IN_NEED = "cin", "Children in need"
        CHILD_PROTECTION = "cp", "Child protection"
        CHILDREN_IN_CARE = "cla", "Children in care"
        CARE_LEAVERS = "care_leavers", "Care leavers"
        DISABILITIES = "disabilities", "Children with disabilities"
        YOUTH = "youth", "Youth services"
        OTHER = "other", "Other"

    title = models.CharField(max_length=120)
    intro = models.TextField(
        "introduction",
        blank=True,
        help_text="A few plain words about why you are asking. Young people see this first.",
    )
    audience = models.CharField(max_length=20, choices=Audience.choices)
    service_area = models.CharField(max_length=20, choices=ServiceArea.choices)
    opens_at = models.DateField("opens on", null=True, blank=True)
    closes_at = models.DateField("closes on", null=True, blank=True)
    is_anonymous = models.BooleanField(
        "anonymous",
        default=True,
        help_text="Anonymous forms do not ask for a name.",
    )
    one_per_screen = models.BooleanField(
        "one question per screen",
        default=False,
        help_text="Good for younger children and small phones.",
    )
    # The version young people fill in now; None until the form is first published.
    live_version = models.ForeignKey(
        "FormVersion", on_delete=models.RESTRICT, null=True, blank=True, related_name="+"
    )
    is_closed = models.BooleanField("closed", default=False)
    template_key = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["council", "-created_at"], name="feedbackform_council_list")
        ]

    def __str__(self):
        return self.title

    def is_open_on(self, day) -> bool:
        if self.is_closed or self.live_version_id is None:
            return False
        if self.opens_at and day < self.opens_at:
            return False
        return not (self.closes_at and day > self.closes_at)

    @property
    def is_open(self) -> bool:
        return self.is_open_on(timezone.localdate())

    @property
    def status(self) -> str:
        if self.live_version_id is None:
            return "Draft"
        if self.is_open:
            return "Open"
        today = timezone.localdate()
        if not self.is_closed and self.opens_at and today < self.opens_at:
            return "Not open yet"
        return "Closed"


class FormVersion(CouncilOwned):
    """The questions as they were when young people answered them. Once a version has responses
    it never changes: editing makes a new version and each response keeps its own."""

    form = models.ForeignKey(FeedbackForm, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["form", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "form", "number"], name="formversion_number_unique"
            )
        ]
        indexes = [models.Index(fields=["council", "form", "number"], name="formversion_council")]

    def __str__(self):
        return f"Version {self.number}"


class Question(CouncilOwned):
    class Kind(models.TextChoices):
        FACES = "faces", "Faces from very sad to very happy (1 to 5)"
        SCALE = "scale", "A number from 0 to 10"
        YES_NO = "yes_no", "Yes, no or not sure"
        SINGLE = "single", "Choose one"
        MULTIPLE = "multiple", "Choose any"
        SHORT_TEXT = "short_text", "A few words"
        LONG_TEXT = "long_text", "Longer writing"

    class AboutYou(models.TextChoices):
        NONE = "", "Not an 'about you' question"
        AGE = "age", "Age band"
        COHORT = "cohort", "Group (for example in care, care leaver)"
        EQUALITY = "equality", "Equality (for example ethnicity, disability, gender)"

    class Principle(models.TextChoices):
        NONE = "", "None"
        LISTENED = "listened", "I am listened to"
        KNOWN = "known", "My worker knows me and understands my needs"
        INVOLVED = "involved", "I am involved in decisions about me"
        INFORMED = "informed", "Professionals do what they say and keep me informed"
        GOOD_SERVICE = "good_service", "The service or support I receive is good"
        IMPROVE = "improve", "I have been listened to about how services could be made better"

    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.CharField("question", max_length=300)
    help_text = models.CharField(max_length=300, blank=True)
    required = models.BooleanField(default=False)
    choices = models.TextField(blank=True, help_text="For 'choose' questions: one choice a line.")
    about_you = models.CharField(max_length=20, choices=AboutYou.choices, blank=True)
    principle = models.CharField(max_length=20, choices=Principle.choices, blank=True)
    alert_on = models.CharField(
        "raise a safeguarding alert when the answer is",
        max_length=200,
        blank=True,
        help_text="For example 'No' for 'Do you feel safe where you live?'. Leave empty for none.",
    )

    class Meta:
        ordering = ["version", "position", "pk"]
        indexes = [
            models.Index(fields=["council", "version", "position"], name="question_council_order")
        ]

    def __str__(self):
        return self.text

    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE)
    TEXT_KINDS = (Kind.SHORT_TEXT, Kind.LONG_TEXT)
    NUMBER_KINDS = (Kind.FACES, Kind.SCALE)

    def choice_list(self) -> list[str]:
        if self.kind == self.Kind.YES_NO:
            return ["Yes", "No", "Not sure"]
        if self.kind == self.Kind.FACES:
            return ["1", "2", "3", "4", "5"]
        if self.kind == self.Kind.SCALE:
            return [str(n) for n in range(11)]
        return [c.strip() for c in self.choices.splitlines() if c.strip()]

    @property
    def max_length(self) -> int:
        return 200 if self.kind == self.Kind.SHORT_TEXT else 5000


def _new_link_token() -> str:
    # 24 random bytes: 192 bits, far beyond guessing.
    return secrets.token_urlsafe(24)


class FormLink(CouncilOwned):
    """The public address of a form. Revoking it keeps the row so the old address shows a kind
    'this link no longer works' page instead of an error."""

    form = models.ForeignKey(FeedbackForm, on_delete=models.CASCADE, related_name="links")
    token = models.CharField(max_length=64, unique=True, default=_new_link_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["council", "form"], name="formlink_council_form")]


class Theme(CouncilOwned):
    """A theme officers tag free-text answers with, like 'school' or 'contact with family'."""

    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="theme_name_unique")
        ]

    def __str__(self):
        return self.name


class Response(CouncilOwned):
    form = models.ForeignKey(FeedbackForm, on_delete=models.CASCADE, related_name="responses")
    version = models.ForeignKey(FormVersion, on_delete=models.RESTRICT, related_name="responses")
    submitted_at = models.DateTimeField(default=timezone.now)
    # The one-time key from the page the young person was given; a second tap finds the first.
    submission_key = models.CharField(max_length=64)
    respondent_name = models.CharField(max_length=100, blank=True)
    wants_to_talk = models.BooleanField(default=False)
    contact_details = models.CharField(max_length=300, blank=True)
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    is_assisted = models.BooleanField("completed with a worker's support", default=False)
    # Set only in assisted mode on a form that is not anonymous, when the worker names who gave it.
    young_person = models.ForeignKey(
        "activities.YoungPerson",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback_responses",
    )

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "submission_key"], name="response_submission_key_unique"
            )
        ]
        indexes = [
            models.Index(fields=["council", "form", "submitted_at"], name="response_council_form"),
            models.Index(fields=["council", "young_person"], name="response_council_person"),
            # Written answers newest first within a version; the scorecard's recent quarters.
            models.Index(
                fields=["council", "version", "-submitted_at"], name="response_council_version"
            ),
            models.Index(fields=["council", "submitted_at"], name="response_council_date"),
        ]


class Answer(CouncilOwned):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.RESTRICT, related_name="answers")
    number = models.SmallIntegerField(null=True, blank=True)
    choices = models.JSONField(default=list, blank=True)
    text = models.TextField(blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="answers")
    # Set when an officer approves a written answer to be quoted in reports; cleared on withdrawal.
    quote_approved_at = models.DateTimeField(null=True, blank=True)
    quote_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["council", "question"], name="answer_council_question"),
            # The report's quotes: the few approved answers of one council.
            models.Index(
                fields=["council", "quote_approved_at"],
                name="answer_council_quote",
                condition=models.Q(quote_approved_at__isnull=False),
            ),
            # Written answers only: the written answers page counts them.
            models.Index(
                fields=["council", "question"],
                name="answer_council_written",
                condition=~models.Q(text=""),
            ),
        ]


class SafeguardingAlert(CouncilOwned):
    class Reason(models.TextChoices):
        ASKED = "asked", "Asked to talk to someone or does not feel safe"
        PHRASE = "phrase", "An answer matched the worrying phrases list or a worrying choice"
        BOTH = "both", "Asked to talk, and an answer was worrying"

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="alerts")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    created_at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True)
    notify_count = models.PositiveIntegerField(default=0)
    # Emails to the contacts that failed (SMTP refused, connection lost); Celery keeps retrying.
    # While notified_at is empty the alert shows "not yet sent".
    send_failures = models.PositiveIntegerField(default=0)
    last_send_failed_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action_taken = models.TextField("what was done", blank=True)
    action_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["council", "acknowledged_at"], name="alert_council_ack"),
        ]

    def __str__(self):
        return f"Safeguarding alert #{self.pk}"


class YouSaidWeDid(CouncilOwned):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "Doing it now"
        DONE = "done", "Done"

    you_said = models.TextField("what young people said")
    we_did = models.TextField("what we did")
    theme = models.ForeignKey(
        Theme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Links this to the answers tagged with the theme.",
    )
    # Optional: an entry can be written before anyone has taken it on.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    date = models.DateField(default=timezone.localdate)
    is_published = models.BooleanField("published", default=False)
    activities = models.ManyToManyField(
        "activities.Activity",
        through="YouSaidActivity",
        blank=True,
        related_name="you_said_entries",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = "'you said, we did' entry"
        verbose_name_plural = "'you said, we did' entries"
        indexes = [
            models.Index(fields=["council", "is_published", "-date"], name="ysdwd_council_list")
        ]

    def __str__(self):
        return Truncator(self.you_said).chars(80)

    def url_in(self, council_slug: str) -> str:
        return reverse("you_said_detail", args=[council_slug, self.pk])


class YouSaidActivity(CouncilOwned):
    """A participation activity where young people said what a "you said, we did" entry answers."""

    entry = models.ForeignKey(YouSaidWeDid, on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey("activities.Activity", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["council", "entry", "activity"], name="ysdwd_activity_once"
            )
        ]
        indexes = [models.Index(fields=["council", "activity"], name="ysdwd_activity_council")]


# The results rollup -----------------------------------------------------------------------
# Counts the results page and the scorecard read instead of every answer (docs/scaling.md). They
# are kept in step in the transaction that saves a response (feedback/rollup.py) and can be rebuilt
# from the answers at any time (`manage.py rebuild_result_counts`). Nothing else writes them.


class AnswerCount(CouncilOwned):
    """How many answers to one question, given in one (local) month, had one value. Months, not
    days: quarters are made of them whatever month a council's year starts in, and a form open
    for years still has only a few dozen rows per question."""

    class Kind(models.IntegerChoices):
        # An answer with no number (a choice or writing): counts towards "answered" only.
        NO_NUMBER = 1, "answers without a number"
        # Answers with this number (faces, scales): they count towards "answered" too.
        NUMBER = 2, "answers with this number"
        # Times this choice was ticked (a multiple choice answer ticks several).
        CHOICE = 3, "times this choice was ticked"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the month.")
    kind = models.PositiveSmallIntegerField(choices=Kind.choices)
    number = models.SmallIntegerField(default=0)
    choice = models.TextField(blank=True, default="")
    n = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["council", "question", "month", "kind", "number", "choice"],
                name="answercount_unique",
            )
        ]
        indexes = [models.Index(fields=["council", "month"], name="answercount_council_month")]


class ResponseCount(CouncilOwned):
    """How many responses to one version of a form were submitted on one (local) day."""

    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    n = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["council", "version", "day"], name="responsecount_unique"
            )
        ]
