from django.conf import settings
from django.db import models

from participation.models import CouncilOwned


class Forum(CouncilOwned):
    """A standing group of young people or parents/carers: CiCC, Youth Council, PCF..."""

    class Audience(models.TextChoices):
        CHILDREN_IN_CARE = "children_in_care", "Children in care"
        CARE_LEAVERS = "care_leavers", "Care leavers"
        YOUNG_PEOPLE = "young_people", "Children and young people"
        PARENTS_CARERS = "parents_carers", "Parents and carers"
        SEND = "send", "Children and young people with SEND"
        UASC = "uasc", "Unaccompanied asylum-seeking children"
        SERVICE_USERS = "service_users", "Children and families using CIN or CP services"

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", "Weekly"
        FORTNIGHTLY = "fortnightly", "Fortnightly"
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        AS_NEEDED = "as_needed", "As needed"

    name = models.CharField(max_length=120)
    audience = models.CharField(max_length=32, choices=Audience.choices)
    meets = models.CharField(max_length=16, choices=Frequency.choices, default=Frequency.MONTHLY)
    purpose = models.TextField(blank=True)
    terms_of_reference = models.TextField(blank=True)
    # Who may be a member, by age: a children's forum up to 17, care leavers up to 25.
    min_age = models.PositiveSmallIntegerField("youngest age", null=True, blank=True)
    max_age = models.PositiveSmallIntegerField("oldest age", null=True, blank=True)
    is_archived = models.BooleanField("archived", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="forum_name_unique_in_council")
        ]
        indexes = [
            models.Index(fields=["council", "is_archived", "name"], name="forum_council_list")
        ]

    def __str__(self):
        return self.name

    @property
    def attendance_rate(self) -> int | None:
        """From forum_list's annotations: the list shows it without a query per forum."""
        from forums.selectors import rate

        return rate(getattr(self, "attendance_present", 0), getattr(self, "attendance_recorded", 0))


class ForumMember(CouncilOwned):
    """A young person's time on a forum, in one role. Leaving ends it; nothing is deleted."""

    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        CHAIR = "chair", "Chair"
        VICE_CHAIR = "vice_chair", "Vice-chair"
        REPRESENTATIVE = "representative", "Representative to a board"

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="members")
    young_person = models.ForeignKey(
        "activities.YoungPerson", on_delete=models.CASCADE, related_name="forum_memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    board = models.CharField(
        "board they represent the forum on", max_length=120, blank=True, default=""
    )
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-joined_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="forum_member_left_after_joined",
            )
        ]
        indexes = [
            models.Index(fields=["council", "forum", "left_on"], name="forum_member_council_forum"),
            models.Index(fields=["council", "young_person"], name="forum_member_council_person"),
        ]

    def __str__(self):
        return f"{self.young_person} on {self.forum}"

    @property
    def current(self) -> bool:
        return self.left_on is None

    @property
    def role_label(self) -> str:
        if self.role == self.Role.REPRESENTATIVE:
            return f"Representative to the {self.board or DEFAULT_BOARD}"
        return self.get_role_display()


DEFAULT_BOARD = "Corporate Parenting Board"


class ForumAdult(CouncilOwned):
    """An adult on a forum: council staff, or a worker from an advocacy organisation."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="adults")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=120, blank=True)
    organisation = models.CharField(max_length=160, blank=True)
    role = models.CharField(max_length=16, choices=ForumMember.Role.choices, default="member")
    board = models.CharField(max_length=120, blank=True, default="")
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="forum_adult_left_after_joined",
            )
        ]
        indexes = [
            models.Index(fields=["council", "forum", "left_on"], name="forum_adult_council_forum")
        ]

    def __str__(self):
        who = str(self.user) if self.user_id else self.name
        return f"{who}, {self.organisation}" if self.organisation else who

    @property
    def role_label(self) -> str:
        if self.role == ForumMember.Role.REPRESENTATIVE:
            return f"Representative to the {self.board or DEFAULT_BOARD}"
        return self.get_role_display()


class Meeting(CouncilOwned):
    """One meeting of a forum. Recording it logs exactly one participation activity."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    starts_at = models.TimeField("start time", null=True, blank=True)
    ends_at = models.TimeField("end time", null=True, blank=True)
    place = models.CharField(max_length=160, blank=True)
    online = models.BooleanField("online", default=False)
    agenda = models.TextField(blank=True)
    minutes = models.TextField(blank=True)
    summary = models.TextField(
        "summary for young people",
        blank=True,
        help_text="What was talked about and decided, in plain words you can share back.",
    )
    # The meeting's activity: its young people are the members marked present.
    activity = models.OneToOneField(
        "activities.Activity", on_delete=models.PROTECT, related_name="forum_meeting"
    )
    # Optimistic concurrency: a save of attendance from an older page is refused.
    attendance_version = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-starts_at", "-pk"]
        indexes = [
            models.Index(fields=["council", "forum", "-date"], name="meeting_council_forum_date"),
            models.Index(fields=["council", "date"], name="meeting_council_date"),
        ]

    def __str__(self):
        return f"{self.forum.name} meeting, {self.date:%-d %B %Y}"

    @property
    def where(self) -> str:
        if self.online and self.place:
            return f"{self.place} and online"
        return "Online" if self.online else self.place


class MeetingGuest(CouncilOwned):
    """An adult who came to a meeting: a senior manager, an elected member, a named role."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="guests")
    name = models.CharField(max_length=120, blank=True)
    role = models.CharField("role or title", max_length=160)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["council", "meeting"], name="meetingguest_council")]

    def __str__(self):
        return f"{self.name}, {self.role}" if self.name else self.role


class Attendance(CouncilOwned):
    """Whether a young person came to a meeting. Visitors are young people who are not members."""

    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    young_person = models.ForeignKey(
        "activities.YoungPerson", on_delete=models.CASCADE, related_name="forum_attendance"
    )
    status = models.CharField(max_length=12, choices=Status.choices)
    is_member = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["council", "meeting", "young_person"], name="attendance_once_per_meeting"
            )
        ]
        indexes = [
            models.Index(fields=["council", "meeting"], name="attendance_council_meeting"),
            models.Index(fields=["council", "young_person"], name="attendance_council_person"),
        ]

    def __str__(self):
        return f"{self.get_status_display()} at {self.meeting_id}"


class Ask(CouncilOwned):
    """Something a forum asked for ("you said"), who it is for, and the answer ("we did")."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for an answer"
        ANSWERED = "answered", "Answered"
        PARTLY_DONE = "partly_done", "Partly done"
        NOT_POSSIBLE = "not_possible", "Not possible"

    WAITING = (Status.OPEN, Status.PARTLY_DONE)

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="asks")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="asks"
    )
    raised_on = models.DateField("date raised")
    you_said = models.TextField("what the forum asked for")
    # A person in the council, or a role outside Heard (like "Lead Member for Children").
    addressed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    addressed_to_role = models.CharField("role outside Heard", max_length=160, blank=True)
    due_on = models.DateField("answer due by", null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    response = models.TextField("the answer", blank=True)
    answered_on = models.DateField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    you_said_entry = models.OneToOneField(
        "feedback.YouSaidWeDid",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forum_ask",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The due date the owner was last reminded about, so each due date is reminded once.
    reminded_for = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-raised_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__isnull=True)
                | models.Q(due_on__gte=models.F("raised_on")),
                name="ask_due_after_raised",
            )
        ]
        indexes = [
            models.Index(fields=["council", "forum", "status"], name="ask_council_forum"),
            models.Index(fields=["council", "addressed_to", "status"], name="ask_council_person"),
            models.Index(fields=["council", "status", "due_on"], name="ask_council_due"),
            models.Index(fields=["council", "raised_on"], name="ask_council_raised"),
        ]

    def __str__(self):
        return f"Ask from {self.forum_id}, {self.raised_on:%-d %B %Y}"

    @property
    def is_waiting(self) -> bool:
        return self.status in self.WAITING

    @property
    def addressee(self) -> str:
        if self.addressed_to_id:
            return str(self.addressed_to)
        return self.addressed_to_role


class AskAnswer(CouncilOwned):
    """Every answer given to an ask, so answering again keeps what was said before."""

    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="answers")
    status = models.CharField(max_length=16, choices=Ask.Status.choices)
    response = models.TextField()
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-answered_at", "-pk"]
        indexes = [models.Index(fields=["council", "ask"], name="askanswer_council_ask")]


class ConsultationRequest(CouncilOwned):
    """A service asks to consult a forum. The officer gatekeeps: accept, decline or schedule."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Waiting for the officer"
        ACCEPTED = "accepted", "Accepted"
        SCHEDULED = "scheduled", "Scheduled into a meeting"
        DECLINED = "declined", "Declined"
        DONE = "done", "Done: the forum's views sent back"

    class Format(models.TextChoices):
        DISCUSSION = "discussion", "A discussion at a meeting"
        PRESENTATION = "presentation", "A presentation and questions"
        WORKSHOP = "workshop", "A workshop or activity"
        SURVEY = "survey", "A survey or questionnaire"
        INTERVIEW_PANEL = "panel", "A recruitment or interview panel"

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="consultations")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    topic = models.CharField("what about", max_length=200)
    reason = models.TextField("why, and what will change because of it")
    needed_by = models.DateField("views needed by")
    format = models.CharField(max_length=16, choices=Format.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    decline_reason = models.TextField(blank=True)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="consultations"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    forum_said = models.TextField("what the forum said", blank=True)
    responded_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["council", "forum", "status"], name="consult_council_forum"),
            models.Index(fields=["council", "requested_by"], name="consult_council_requester"),
            models.Index(fields=["council", "decided_on"], name="consult_council_decided"),
        ]

    def __str__(self):
        return f"Request to consult {self.forum_id}"


class WorkItem(CouncilOwned):
    """One piece of a forum's work programme, optionally serving a strategy objective."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "Doing it now"
        DONE = "done", "Done"
        DROPPED = "dropped", "Stopped"

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="work_items")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    starts_on = models.DateField("start date", null=True, blank=True)
    due_on = models.DateField("finish by", null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    objective = models.ForeignKey(
        "strategy.Objective",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forum_work",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(due_on__gte=models.F("starts_on")),
                name="workitem_due_after_start",
            )
        ]
        indexes = [
            models.Index(fields=["council", "forum", "status"], name="workitem_council_forum"),
            models.Index(fields=["council", "objective"], name="workitem_council_objective"),
        ]

    def __str__(self):
        return self.title


class TermsOfReference(CouncilOwned):
    """One version of a forum's terms of reference. Versions are kept; the latest applies."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="tor_versions")
    version = models.PositiveIntegerField()
    text = models.TextField()
    agreed_on = models.DateField("date agreed")
    review_on = models.DateField("review by")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set when the officer has been told the review date passed, so they hear once.
    review_reminded_on = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "forum", "version"], name="tor_version_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(review_on__gte=models.F("agreed_on")),
                name="tor_review_after_agreed",
            ),
        ]
        indexes = [
            models.Index(fields=["council", "forum", "-version"], name="tor_council_forum"),
            models.Index(fields=["council", "review_on"], name="tor_council_review"),
        ]

    def __str__(self):
        return f"Terms of reference v{self.version}"


def _calendar_token() -> str:
    import secrets

    return secrets.token_urlsafe(32)


class CalendarLink(CouncilOwned):
    """A person's secret address for one forum's meeting dates. Revoking it ends the feed."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="calendar_links")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=_calendar_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["council", "forum", "user"],
                condition=models.Q(revoked_at__isnull=True),
                name="calendarlink_one_live_per_person",
            )
        ]
        indexes = [models.Index(fields=["council", "forum", "user"], name="calendarlink_council")]

    def __str__(self):
        return f"Calendar link for forum {self.forum_id}"
