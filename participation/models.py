import calendar
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A member of staff. Young people never have accounts."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)
    # Platform staff: may use the Django admin to create councils and invite their first admin.
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


hex_colour = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", "Enter the colour as a # followed by six hex digits, like #1d70b8."
)


class Council(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=60,
        unique=True,
        help_text="Used in addresses: /c/<slug>/. Lower case and dashes.",
    )
    brand_colour = models.CharField(max_length=7, default="#1d70b8", validators=[hex_colour])
    logo = models.ImageField(upload_to="council-logos/", blank=True)
    is_active = models.BooleanField("active", default=True)
    # Quarters (participation/quarters.py) run three months at a time from this month.
    year_starts = models.PositiveSmallIntegerField(
        "month the council's year starts in",
        default=4,
        choices=[(number, calendar.month_name[number]) for number in range(1, 13)],
        help_text="Quarters run three months at a time from this month. Most councils use April.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class CouncilOwned(models.Model):
    """Base for every table that belongs to one council.

    Subclasses declare their own indexes and unique constraints starting with `council`
    (keeps per-council queries fast and the schema ready to shard by council).
    """

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True


class Membership(CouncilOwned):
    class Role(models.TextChoices):
        PRACTITIONER = "practitioner", "Practitioner"
        PARTICIPATION_OFFICER = "participation_officer", "Participation officer"
        MANAGER = "manager", "Manager"
        COUNCIL_ADMIN = "council_admin", "Council admin"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["council", "user"], name="membership_one_per_council")
        ]
        indexes = [models.Index(fields=["council", "role"], name="membership_council_role")]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.council})"

    def can(self, capability: str) -> bool:
        from participation.capabilities import role_can

        return self.is_active and role_can(self.role, capability)


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _default_expiry():
    from django.conf import settings

    return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)


class Invitation(CouncilOwned):
    """An invitation by email to join a council with a role; the link expires."""

    email = models.EmailField()
    role = models.CharField(max_length=32, choices=Membership.Role.choices)
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_default_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Set in the same transaction as the send, under a row lock: a redelivered task sees it and
    # does not email the person a second time.
    email_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["council", "email"], name="invitation_council_email")]

    def __str__(self):
        return f"Invitation to {self.council} ({self.get_role_display()})"

    @property
    def is_pending(self) -> bool:
        return not self.accepted_at and not self.revoked_at and self.expires_at > timezone.now()


class AuditEvent(CouncilOwned):
    """Who did what to which record, for accountability. Ids and words only, no personal data."""

    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    verb = models.CharField(max_length=60)
    subject_type = models.CharField(max_length=60)
    subject_id = models.PositiveBigIntegerField()
    detail = models.CharField(max_length=255, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["council", "-at"], name="auditevent_council_at")]

    def __str__(self):
        return f"{self.verb} {self.subject_type} #{self.subject_id}"


class ImportKind(models.TextChoices):
    ACTION_PLAN = "action_plan", "Action plan"
    ACTIVITIES = "activities", "Activities"


class ColumnChoice(CouncilOwned):
    """Which Heard field a heading in the council's own spreadsheets fills, remembered so the
    officer chooses once. An empty field means the column is not imported."""

    kind = models.CharField(max_length=32, choices=ImportKind.choices)
    heading = models.CharField("heading, normalised", max_length=200)
    field = models.CharField(max_length=64, blank=True)
    chosen_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    chosen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["council", "kind", "heading"], name="columnchoice_one_per_heading"
            )
        ]

    def __str__(self):
        return f"{self.heading} -> {self.field or 'not imported'}"


class PendingImport(CouncilOwned):
    """An uploaded file between upload and confirmation.

    Held here rather than in the session or the address: the file can hold personal data. It is
    deleted once imported, and any left behind are deleted after a day.
    """

    kind = models.CharField(max_length=32, choices=ImportKind.choices)
    uploaded_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=200)
    data = models.BinaryField()
    # The choices made so far: which strategy, the statuses' date, the column mapping.
    options = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    KEEP_FOR = timedelta(days=1)

    class Meta:
        indexes = [
            models.Index(
                fields=["council", "uploaded_by", "created_at"], name="pendingimport_council_user"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} import #{self.pk}"


class SignedInSession(models.Model):
    """A live sign-in of a person, so their other sessions can be ended when they sign out, change
    their password or are switched off. Django's session table cannot be searched by person."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    signed_in_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Session of user #{self.user_id}"


class JobHeartbeat(models.Model):
    """When a scheduled job last ran, written by the job itself. Not council data: one row per job.

    The alert re-notification job writes one each run, so a stopped Celery beat shows as a warning
    on admins' home pages and as "down" on /health/ instead of going unnoticed."""

    name = models.CharField(max_length=100, unique=True)
    last_run_at = models.DateTimeField()

    def __str__(self):
        return self.name
