"""Start-up checks of Heard's own (run by runserver, `manage.py check` and every command)."""

from django.conf import settings
from django.core.checks import Warning as CheckWarning


def in_process_mode(app_configs=None, **kwargs):
    """Say at start-up that nothing re-sends safeguarding alerts without Redis.

    Production cannot get here (settings refuse to load without REDIS_URL); the demo and tests
    can, and whoever runs them should know what they are not getting."""
    if not settings.IN_PROCESS_MODE:
        return []
    return [
        CheckWarning(
            "REDIS_URL is not set: Heard is running in its in-process demo mode. Background "
            "tasks run inside the web process, there is no Celery beat, and unacknowledged "
            "safeguarding alerts are not emailed again.",
            hint="For the demo and tests only. Any real use sets REDIS_URL and runs a Celery "
            "worker and beat (see docker-compose.yml).",
            id="heard.W001",
        )
    ]


def row_level_security(app_configs=None, databases=None, **kwargs):
    """`manage.py check --database default`: warn when the database would not hold the app to
    row-level security (participation/rls.py). Database checks run only when asked for."""
    from participation import rls

    if not databases or "default" not in databases:
        return []
    return [
        CheckWarning(
            problem,
            hint="See README, Configuration: DATABASE_URL and MIGRATION_DATABASE_URL.",
            id="heard.W011",
        )
        for problem in rls.runtime_role_problems()
    ]
