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
