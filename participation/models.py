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
    # Managers and admins always sign in with a second step (capabilities.TWO_FACTOR_ROLES);
    # this asks it of every role in the council.
    two_factor_for_everyone = models.BooleanField(
        "everyone signs in with a code from an authenticator app", default=False
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


class AuditEvent(models.Model):
    """Who did what to which record, for accountability. Ids and words only, no personal data.

    Written by hand for actions (`participation.services.audit`), for views and exports of
    children's records (`participation.audit.record_access`) and for refused council pages.
    Append-only in the database (see participation/audit/capture.py). The council and the actor
    are plain ids, not enforced foreign keys: deleting a council or a person must not rewrite or
    remove its history, and the trail refuses deletes anyway.
    """

    class Kind(models.TextChoices):
        ACTION = "action", "Action"
        ACCESS = "access", "View or export"
        REFUSED = "refused", "Refused page"

    council = models.ForeignKey(
        Council, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    actor = models.ForeignKey(
        User, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ACTION)
    verb = models.CharField(max_length=60)
    subject_type = models.CharField(max_length=60)
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    detail = models.CharField(max_length=255, blank=True)
    request_id = models.CharField(max_length=32, blank=True)
    at = models.DateTimeField(default=timezone.now)

    # The runtime role may add rows, never change or remove them (participation/rls.py grants).
    append_only = True

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["council", "-at"], name="auditevent_council_at")]

    def __str__(self):
        return f"{self.verb} {self.subject_type} #{self.subject_id}"


class DataChange(models.Model):
    """One INSERT, UPDATE or DELETE of a row of a council's table, written by a trigger in the
    database (participation/audit/capture.py), so writes from the Django admin, bulk imports
    and raw SQL are caught as well as the app's own. PostgreSQL only; append-only there."""

    class Operation(models.TextChoices):
        INSERT = "insert", "Created"
        UPDATE = "update", "Changed"
        DELETE = "delete", "Deleted"

    council = models.ForeignKey(
        Council, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    table_name = models.CharField(max_length=63)
    row_id = models.CharField(max_length=64)
    operation = models.CharField(max_length=6, choices=Operation.choices)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)
    changed_columns = models.JSONField(default=list)
    actor = models.ForeignKey(
        User, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    request_id = models.CharField(max_length=32, blank=True)
    at = models.DateTimeField(default=timezone.now)

    # The runtime role may add rows, never change or remove them (participation/rls.py grants).
    append_only = True

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["council", "-at"], name="datachange_council_at"),
            models.Index(fields=["council", "table_name", "row_id"], name="datachange_record"),
        ]

    def __str__(self):
        return f"{self.operation} {self.table_name} #{self.row_id}"


class SecurityEvent(models.Model):
    """Sign-ins, failed sign-ins, lockouts, password and two-factor changes.

    Not owned by a council: a person signs in to Heard, not to a council, and a failed sign-in
    may name nobody. Council admins see the events of their own members. The email typed in a
    failed sign-in is never kept: the person's id when it matches an account, otherwise a keyed
    hash (HMAC with SECRET_KEY), enough to see repeated attempts at one address.
    """

    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", "Signed in"
        SIGNED_OUT = "signed_out", "Signed out"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        LOCKED_OUT = "locked_out", "Locked out after failed sign-ins"
        PASSWORD_CHANGED = "password_changed", "Changed their password"
        PASSWORD_RESET_REQUESTED = "password_reset_requested", "Asked to reset their password"
        PASSWORD_RESET = "password_reset", "Reset their password"
        TWO_FACTOR_ADDED = "two_factor_added", "Set up two-factor authentication"
        TWO_FACTOR_REMOVED = "two_factor_removed", "Removed two-factor authentication"
        TWO_FACTOR_RESET = "two_factor_reset", "Two-factor authentication reset by an admin"
        TWO_FACTOR_FAILED = "two_factor_failed", "Two-factor code refused"
        RECOVERY_CODE_USED = "recovery_code_used", "Used a recovery code"
        RECOVERY_CODES_CREATED = "recovery_codes_created", "Made new recovery codes"

    kind = models.CharField(max_length=32, choices=Kind.choices)
    user = models.ForeignKey(
        User, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    # Who did it, when not the person themselves (an admin resetting someone's two-factor).
    actor = models.ForeignKey(
        User, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    email_hash = models.CharField(max_length=64, blank=True)
    address_hash = models.CharField(max_length=64, blank=True)
    request_id = models.CharField(max_length=32, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["user", "-at"], name="securityevent_user_at"),
            models.Index(fields=["-at"], name="securityevent_at"),
        ]

    def __str__(self):
        return f"{self.kind} user #{self.user_id}"


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
