"""A council's participation strategy as an action plan: Strategy -> Objective -> Action.

Every status change is a StatusUpdate kept forever, so the status of any action on any past date
(above all at each quarter's end) can be read back. The action's `status` column is the latest
update's status, written by the same service call, so lists need no subquery to show it.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from participation.models import CouncilOwned, Membership, User


class Status(models.TextChoices):
    """The Sandwell key, in the users' words. Overdue is normally derived, not chosen."""

    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    OFF_TRACK = "off_track", "Off track"
    OVERDUE = "overdue", "Overdue"
    COMPLETED = "completed", "Completed"


COLOUR = {
    Status.NOT_STARTED: "White",
    Status.ON_TRACK: "Green",
    Status.OFF_TRACK: "Amber",
    Status.OVERDUE: "Red",
    Status.COMPLETED: "Blue",
}

# Worst to best, to say whether an action moved up or down between two dates.
RANK = {
    Status.OVERDUE: 0,
    Status.OFF_TRACK: 1,
    Status.NOT_STARTED: 2,
    Status.ON_TRACK: 3,
    Status.COMPLETED: 4,
}

# What an owner chooses: Overdue follows from the due date, so it is not offered.
CHOOSABLE = [
    (Status.NOT_STARTED.value, "Not started"),
    (Status.ON_TRACK.value, "Not yet completed but on track"),
    (Status.OFF_TRACK.value, "Not yet completed but off track"),
    (Status.COMPLETED.value, "Completed"),
]

# The six "I" statements from the Dudley 2017 strategy, which an action can say it serves.
CHILD_MEASURES = [
    ("listened_to", "I am listened to"),
    ("worker_knows_me", "My worker knows me and understands my needs"),
    ("involved_in_decisions", "I am involved in decisions about me"),
    ("kept_informed", "Professionals do what they say and keep me informed"),
    ("good_service", "The service I receive is good and meets my needs"),
    ("services_better", "I have been listened to about how services could be made better"),
]


class Strategy(CouncilOwned):
    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        ARCHIVED = "archived", "Archived"

    title = models.CharField(max_length=200)
    period_start = models.DateField("starts")
    period_end = models.DateField("ends")
    vision = models.TextField(blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "strategies"
        ordering = ["-period_start", "title"]
        indexes = [models.Index(fields=["council", "state"], name="strategy_council_state")]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="strategy_period_in_order",
            )
        ]

    def __str__(self):
        return self.title


class Objective(CouncilOwned):
    """A strategic priority, such as "SP1"."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="objectives")
    code = models.CharField(max_length=20)
    # Councils' priorities are often a whole sentence ("NT1 Care leavers shall ..."): never cut.
    title = models.CharField(max_length=1000)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "strategy", "code"], name="objective_code_unique_in_strategy"
            )
        ]
        indexes = [
            models.Index(fields=["council", "strategy", "order"], name="objective_council_order")
        ]

    def __str__(self):
        return f"{self.code} {self.title}"


class Action(CouncilOwned):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=300)
    desired_outcome = models.TextField(blank=True)
    success_criteria = models.TextField("success criteria or measure", blank=True)
    # Action plans often list more than one priority ("SP 2 SP 3"): the first is the objective,
    # the others are priorities it also serves, counted under each on the dashboard.
    also_serves = models.ManyToManyField(
        Objective,
        through="ActionPriority",
        related_name="also_served_by",
        blank=True,
        verbose_name="other strategic priorities it serves",
    )
    # A member of the council, or for partners outside the system a named person and organisation.
    owner = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    owner_name = models.CharField("owner's name (if not a member)", max_length=150, blank=True)
    owner_organisation = models.CharField(max_length=150, blank=True)
    team = models.CharField("responsible team", max_length=120, blank=True)
    start_date = models.DateField(null=True, blank=True)
    due_date = models.DateField()
    child_measure = models.CharField(
        'the "I" statement it serves', max_length=32, choices=CHILD_MEASURES, blank=True
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    is_archived = models.BooleanField("archived", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["council", "is_archived", "due_date"], name="action_council_due"),
            models.Index(fields=["council", "objective"], name="action_council_objective"),
            models.Index(fields=["council", "owner"], name="action_council_owner"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(due_date__gte=models.F("start_date")),
                name="action_due_after_start",
            )
        ]

    def __str__(self):
        return self.title

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status != Status.COMPLETED and self.due_date < today

    def shown_status(self, today=None) -> str:
        """Red whatever was last set once the due date has passed without completion."""
        return Status.OVERDUE if self.is_overdue(today) else self.status

    @property
    def owner_display(self) -> str:
        if self.owner_id:
            return str(self.owner.user)
        if self.owner_name and self.owner_organisation:
            return f"{self.owner_name}, {self.owner_organisation}"
        return self.owner_name or self.owner_organisation


class ActionPriority(CouncilOwned):
    """A strategic priority an action also serves, besides its own objective."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="+")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["council", "action", "objective"], name="actionpriority_once"
            )
        ]
        indexes = [models.Index(fields=["council", "objective"], name="actionpriority_council_obj")]


class StatusUpdate(CouncilOwned):
    """One change of an action's status, with the owner's commentary. Never edited or deleted."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=16, choices=Status.choices)
    commentary = models.TextField(blank=True)
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["council", "action", "at"], name="statusupdate_action_at")]

    def __str__(self):
        return f"{self.get_status_display()} at {self.at:%d %b %Y}"


class EvidenceLink(CouncilOwned):
    """Something that shows an action happened.

    Either a record elsewhere in Heard (an activity, a feedback result, a forum ask, a "you said,
    we did" entry: any model, through contenttypes, so later features attach without a migration
    here), or a plain web address with a description for evidence kept outside Heard.
    """

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="evidence")
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    record = GenericForeignKey("content_type", "object_id")
    url = models.URLField("web address", max_length=500, blank=True)
    description = models.CharField(max_length=300)
    added_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-added_at", "-pk"]
        indexes = [
            models.Index(fields=["council", "action"], name="evidence_council_action"),
            models.Index(
                fields=["council", "content_type", "object_id"], name="evidence_council_record"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__isnull=True, object_id__isnull=True)
                | Q(content_type__isnull=False, object_id__isnull=False),
                name="evidence_record_whole",
            )
        ]

    def __str__(self):
        return self.description


class Indicator(CouncilOwned):
    """A measure of the strategy, e.g. "staff trained" with a target of 668 people."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="indicators")
    objective = models.ForeignKey(
        Objective, on_delete=models.SET_NULL, null=True, blank=True, related_name="indicators"
    )
    title = models.CharField(max_length=200)
    unit = models.CharField(max_length=40, help_text='For example "%" or "staff".')
    target = models.DecimalField(max_digits=12, decimal_places=2)
    higher_is_better = models.BooleanField(default=True)

    class Meta:
        ordering = ["title", "pk"]
        indexes = [models.Index(fields=["council", "strategy"], name="indicator_council_strategy")]

    def __str__(self):
        return self.title


class IndicatorValue(CouncilOwned):
    """An indicator's value at a quarter's end."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    quarter_end = models.DateField()
    value = models.DecimalField(max_digits=12, decimal_places=2)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["quarter_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "indicator", "quarter_end"], name="indicatorvalue_one_a_quarter"
            )
        ]
        indexes = [
            models.Index(
                fields=["council", "indicator", "quarter_end"], name="indicatorvalue_council_q"
            )
        ]


class StatusReminder(CouncilOwned):
    """That an owner was reminded to update their actions before a quarter's end: sent once."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    quarter_end = models.DateField()
    action_count = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["council", "membership", "quarter_end"], name="statusreminder_once"
            )
        ]
