"""Settings for Heard, read from the environment.

With nothing set, Heard runs on an embedded default: SQLite under ./var/, Celery tasks run
in-process and email goes to the console. DATABASE_URL, REDIS_URL, EMAIL_URL, SECRET_KEY and
ALLOWED_HOSTS switch to real services. See README.md, "Configuration".
"""

import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from participation.env import email_settings_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("HEARD_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# Under pytest the suite needs no SECRET_KEY and keeps email in memory.
TESTING = env_bool("HEARD_TESTING", False) or "pytest" in sys.modules

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production refuses to start without one; "
            "for local development run with DEBUG=true."
        )
    SECRET_KEY = "insecure-local-development-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG or TESTING else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The address used in emails (invitations, password resets) that leave the app.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "participation.admin_site.PlatformAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_forms_gds",
    "django_htmx",
    "participation",
    "participation.strategy",
    "participation.activities",
    "forums",
    "feedback",
    "reporting",
    "lifecycle",
    "api",
    "axes",
    # Two-factor sign-in: authenticator-app codes (TOTP) and single-use recovery codes (static).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy with a fresh nonce per response (request.csp_nonce).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "participation.sessions.SessionLifetimeMiddleware",
    # Who is acting, for the database's audit triggers; records refused council pages.
    "participation.audit.context.AuditContextMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "participation.urls"
WSGI_APPLICATION = "participation.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "participation.context_processors.heard",
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL")
# Two roles on PostgreSQL (see participation/rls.py): the app connects as DATABASE_URL's role,
# which owns no table and is held to row-level security; migrations run as the tables' owner,
# MIGRATION_DATABASE_URL, which `migrate` and `secure_database` switch to.
MIGRATION_DATABASE_URL = env_str("MIGRATION_DATABASE_URL")
OWNER_COMMANDS = {"migrate", "secure_database"}
DATABASE_RUNTIME_ROLE = None
DATABASE_RUNTIME_PASSWORD = None
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    DATABASE_RUNTIME_ROLE = env_str("DATABASE_RUNTIME_ROLE") or DATABASES["default"]["USER"]
    DATABASE_RUNTIME_PASSWORD = DATABASES["default"]["PASSWORD"] or None
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if MIGRATION_DATABASE_URL and (command in OWNER_COMMANDS or TESTING):
        # Tests make and migrate the test database as the owner too, then run as the app's role
        # (tests/conftest.py, django_db_setup).
        DATABASES = {"default": dj_database_url.parse(MIGRATION_DATABASE_URL, conn_max_age=60)}
    elif TESTING:
        # One URL under test (bin/test, a developer's own database): it is the owner, and the
        # suite runs as this role, which it creates when it may (bin/test creates it otherwise).
        DATABASE_RUNTIME_ROLE = env_str("DATABASE_RUNTIME_ROLE", "heard_app")
        DATABASE_RUNTIME_PASSWORD = env_str("DATABASE_RUNTIME_PASSWORD", "heard_app")
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": VAR_DIR / "heard.sqlite3"}
    }
# PostgreSQL's default random_page_cost (4) prices an index lookup for spinning disks; a council's
# working set is in memory or on SSD, where 1.1 is the usual figure. With 4 the planner scanned
# every council's activities to show one young person's record (docs/scaling.md). Sent as a
# connection option; empty to leave the server's own (e.g. behind PgBouncer, which refuses options:
# then set it in postgresql.conf or with ALTER DATABASE).
DATABASE_RANDOM_PAGE_COST = env_str("DATABASE_RANDOM_PAGE_COST", "1.1")
# Parallel workers per query: 0, since a page's query reads a page of rows, and starting two
# workers cost 7 ms of a 10 ms activity search (the planner, misjudging how many activities a
# word matches, expected to read them all). Sent the same way; empty leaves the server's own.
DATABASE_PARALLEL_WORKERS = env_str("DATABASE_PARALLEL_WORKERS", "0")
_planner = []
if DATABASE_RANDOM_PAGE_COST:
    _planner.append(f"-c random_page_cost={float(DATABASE_RANDOM_PAGE_COST)}")
if DATABASE_PARALLEL_WORKERS:
    _planner.append(f"-c max_parallel_workers_per_gather={int(DATABASE_PARALLEL_WORKERS)}")
if DATABASE_URL and _planner:
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    if "options" not in _options:  # one given in DATABASE_URL wins
        _options["options"] = " ".join(_planner)

AUTH_USER_MODEL = "participation.User"
# Argon2id for new and changed passwords; the others only so older hashes still verify (and are
# upgraded to Argon2 at the person's next sign-in).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
if TESTING:
    # Most tests sign someone in; PBKDF2's deliberate slowness (~0.3 s a hash) would dominate.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes counts failed sign-ins (in the cache, so no table of emails and addresses is kept)
# and refuses further tries, even with the right password, until the cool-off has passed.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = env_int("SIGN_IN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SIGN_IN_LOCKOUT_MINUTES", 30))
# Locked per account from one address, and per address whatever the account.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "participation.security.sign_in_username"
AXES_CLIENT_IP_CALLABLE = "participation.security.client_address"
AXES_LOCKOUT_CALLABLE = "participation.security.locked_out"
# Axes' own log lines carry the email and address typed; ours carry neither.
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True
# Password reset emails: at most this many per address and per email in an hour.
PASSWORD_RESET_RATE_PER_IP = env_int("PASSWORD_RESET_RATE_PER_IP", 10)
PASSWORD_RESET_RATE_PER_EMAIL = env_int("PASSWORD_RESET_RATE_PER_EMAIL", 3)
PASSWORD_RESET_RATE_WINDOW_SECONDS = 60 * 60
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a day
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end packages are installed from npm by bin/setup and served by the app (no CDN).
# The same three sources are served in development (finders) and collected for production, so
# a file that works on one works on the other (tests/test_production_static.py checks).
STATICFILES_DIRS = [
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    BASE_DIR / "static",  # the app's own files: init.mjs, the favicon
    BASE_DIR / "build" / "static",  # heard.css, compiled from static/heard/heard.scss
]
# Uploads and report PDFs: the local media folder, or a private S3-compatible bucket (AWS S3,
# MinIO, ...) when AWS_STORAGE_BUCKET_NAME is set. Keys come from boto3's usual places
# (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, an instance role), never from this file. Objects
# are private and never overwritten (a new version of a report is a new object); reports are
# streamed to the browser by the permission-checked download view, never linked to directly.
S3_BUCKET = env_str("AWS_STORAGE_BUCKET_NAME", "")
S3_STORAGE = {
    "BACKEND": "storages.backends.s3.S3Storage",
    "OPTIONS": {
        "bucket_name": S3_BUCKET,
        "endpoint_url": env_str("AWS_S3_ENDPOINT_URL", "") or None,
        "region_name": env_str("AWS_S3_REGION_NAME", "") or None,
        "location": env_str("AWS_LOCATION", ""),
        "default_acl": "private",
        "file_overwrite": False,
        "querystring_auth": True,
        "querystring_expire": 300,
        "addressing_style": env_str("AWS_S3_ADDRESSING_STYLE", "") or None,
    },
}
STORAGES = {
    "default": S3_STORAGE
    if S3_BUCKET
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Without collectstatic (development and tests) serve straight from the folders above.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

REDIS_URL = env_str("REDIS_URL")
# A broker and Celery beat are what send a safeguarding alert again until a person acknowledges
# it. Without them an install looks healthy and never re-sends one, so production refuses.
if not REDIS_URL and not (DEBUG or TESTING):
    raise ImproperlyConfigured(
        "REDIS_URL is not set. Production refuses to start without it: Redis is the broker that "
        "Celery's worker and beat use to send and re-send safeguarding alerts. Set "
        "REDIS_URL=redis://host:6379/0, or run with DEBUG=true for the in-process demo mode."
    )
IN_PROCESS_MODE = not REDIS_URL
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # In-memory broker; the host is named so kombu does not warn "No hostname was supplied".
    CELERY_BROKER_URL = "memory://localhost/"
    # No broker configured: run tasks in-process so the app works with nothing installed.
    CELERY_TASK_ALWAYS_EAGER = True
    # Without Redis the sign-in failure counts live in this process's memory. Right for the
    # single-process embedded default; a deployment with several workers sets REDIS_URL.
    SILENCED_SYSTEM_CHECKS = ["axes.W001"]
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Report PDFs are slow and memory-hungry: their own queue, so a worker can be sized for them
# (celery -A participation worker -Q reports) and pages' quick tasks never wait behind one.
CELERY_TASK_ROUTES = {"reporting.tasks.render_report": {"queue": "reports"}}
REPORT_DRAFT_DAYS_AFTER_QUARTER = env_int("REPORT_DRAFT_DAYS_AFTER_QUARTER", 10)
# The beat entry whose heartbeat is watched (see BEAT_HEARTBEAT_GRACE_SECONDS).
ALERT_REMINDER_JOB = "feedback-remind-unacknowledged-alerts"
CELERY_BEAT_SCHEDULE: dict = {
    # Action owners hear in each quarter's last two weeks if an action has had no update.
    "strategy-status-reminders": {
        "task": "participation.strategy.tasks.send_status_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    # Owners of forum asks hear a week before the answer is due.
    "forums-ask-reminders": {
        "task": "forums.tasks.remind_asks_due",
        "schedule": crontab(hour=7, minute=15),
    },
    # Officers hear when a forum's terms of reference pass their review date.
    "forums-terms-of-reference-reviews": {
        "task": "forums.tasks.remind_terms_of_reference_reviews",
        "schedule": crontab(hour=7, minute=20),
    },
    # Report PDFs left half-made by a lost worker are tried again or marked failed.
    "reporting-recover-stale-reports": {
        "task": "reporting.tasks.recover_stale_reports",
        "schedule": 600.0,
    },
    # A draft quarterly report for every active council, some days after each quarter ends.
    "reporting-make-quarter-drafts": {
        "task": "reporting.tasks.make_quarter_drafts",
        "schedule": crontab(hour=6, minute=30),
    },
    # Records whose retention period has ended are removed or anonymised, council by council.
    "lifecycle-apply-retention": {
        "task": "lifecycle.tasks.apply_retention",
        "schedule": crontab(hour=2, minute=30),
    },
    # The API's remembered create answers (Idempotency-Key) are kept for a week.
    "api-delete-old-idempotency-records": {
        "task": "api.tasks.delete_old_idempotency_records",
        "schedule": crontab(hour=3, minute=10),
    },
    # Unacknowledged safeguarding alerts are sent again until a person acknowledges them.
    ALERT_REMINDER_JOB: {
        "task": "feedback.tasks.remind_unacknowledged_alerts",
        "schedule": 300.0,
    },
}
# The job that re-sends unacknowledged alerts writes a heartbeat each run; admins are warned, and
# /health/ says beat is down, once it is older than the job's interval plus this grace.
BEAT_HEARTBEAT_GRACE_SECONDS = env_int("BEAT_HEARTBEAT_GRACE_SECONDS", 600)
# An email that must arrive (alerts, invitations) is tried again after 15 s, 30 s, 60 s... with
# jitter, never more than 10 minutes apart (under Redis's hour-long visibility timeout), forever.
EMAIL_RETRY_BACKOFF_SECONDS = env_int("EMAIL_RETRY_BACKOFF_SECONDS", 15)
EMAIL_RETRY_BACKOFF_MAX_SECONDS = env_int("EMAIL_RETRY_BACKOFF_MAX_SECONDS", 600)
# A mail server that hangs must not hold an alert's row lock for ever.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
# A bearer token that lets monitoring read /health/'s details (platform staff can too).
HEALTH_CHECK_TOKEN = env_str("HEALTH_CHECK_TOKEN")
# Public feedback forms: generous enough for a classroom behind one school address.
FEEDBACK_RATE_PER_IP = env_int("FEEDBACK_RATE_PER_IP", 60)
FEEDBACK_RATE_PER_LINK = env_int("FEEDBACK_RATE_PER_LINK", 600)
FEEDBACK_RATE_WINDOW_SECONDS = env_int("FEEDBACK_RATE_WINDOW_SECONDS", 600)
FEEDBACK_MAX_BODY_BYTES = env_int("FEEDBACK_MAX_BODY_BYTES", 200_000)
# How many reverse proxies in front of the app add to X-Forwarded-For (0: use REMOTE_ADDR).
FEEDBACK_TRUSTED_PROXY_HOPS = env_int("FEEDBACK_TRUSTED_PROXY_HOPS", 0)

DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Heard <no-reply@heard.localhost>")
EMAIL_URL = env_str("EMAIL_URL")
if EMAIL_URL:
    globals().update(email_settings_from_url(EMAIL_URL))
elif TESTING:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        # The browser's session, with DRF's CSRF check on writes.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Cursor",
    "DEFAULT_PARSER_CLASSES": ["api.parsers.LimitedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.HeardAutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "PAGE_SIZE": 50,
}
# The API: the largest JSON body it reads, and each token's rate (DRF's "number/period").
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 256 * 1024)
API_RATE = env_str("API_RATE", "600/min")

SPECTACULAR_SETTINGS = {
    "TITLE": "Heard API",
    "DESCRIPTION": (
        "Council-scoped REST API for Heard: every address is under /api/v1/c/<council-slug>/. "
        "Authenticate with a token from your API tokens page (Authorization: Bearer ...). "
        'Errors are always {"errors": [{"field": ..., "message": ...}]}.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "COMPONENT_NO_READ_ONLY_REQUIRED": False,
    "ENUM_NAME_OVERRIDES": {
        "ActivityStatusEnum": "api.schema.ACTIVITY_STATUS",
        "ActionStatusEnum": "api.schema.ACTION_STATUS",
        "ParticipationTypeEnum": "participation.activities.models.ParticipationType",
        "ForumAudienceEnum": "api.schema.FORUM_AUDIENCE",
        "FeedbackFormAudienceEnum": "api.schema.FORM_AUDIENCE",
        "ReportAudienceEnum": "api.schema.REPORT_AUDIENCE",
        "AskStatusEnum": "api.schema.ASK_STATUS",
        "AskAnswerStatusEnum": "api.schema.ASK_ANSWER_STATUS",
        "AttendanceStatusEnum": "api.schema.ATTENDANCE_STATUS",
    },
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
}

SESSION_COOKIE_HTTPONLY = True
# A sign-in ends after this long without a request, or this long after signing in.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 60 * 60
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not (DEBUG or TESTING):
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers often probe over plain HTTP inside the network: answer, do not redirect.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    # A year, subdomains included; browsers then refuse plain HTTP to Heard altogether.
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Allows the domain's owner to submit it to browsers' preload list; nothing is submitted here.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Only behind a proxy that sets X-Forwarded-Proto itself (and strips what clients send): trusting
# the header without one would let any client claim its plain-HTTP request was HTTPS.
if env_bool("BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy: only the app's own files run or style the page. The few inline
# <style> blocks (the council's brand colour) carry the response's nonce; no 'unsafe-inline'.
# Inline SVG charts and QR codes are markup, not images, so img-src needs only uploaded logos.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Two-factor: the name an authenticator app shows beside the code.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Heard")
# Each wrong code doubles the wait before the next try (1 s, 2 s, 4 s, ...), per device.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Logs carry ids and paths, never names, emails or answers: children's data stays out of logs.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"drop_query_strings": {"()": "participation.logfilters.DropQueryStrings"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["drop_query_strings"]},
        # runserver's request lines: searches put children's names in query strings.
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["drop_query_strings"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "django.request": {"level": "ERROR"},
        # WeasyPrint logs every layout step at INFO; only its warnings are worth reading.
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
    },
}
