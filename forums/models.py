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


class ForumMember(CouncilOwned):
    """A young person's time on a forum, in one role. Leaving ends it; nothing is deleted."""

    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        REPRESENTATIVE = "representative", "Representative to the Corporate Parenting Board"
        CHAIR = "chair", "Chair"

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="members")
    young_person = models.ForeignKey(
        "activities.YoungPerson", on_delete=models.CASCADE, related_name="forum_memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
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
