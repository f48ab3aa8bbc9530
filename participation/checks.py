"""`manage.py check --database default`: warn when the database would not hold the app to
row-level security (participation/rls.py). Database checks run only when asked for."""

from django.core.checks import Tags, Warning, register


@register(Tags.database)
def row_level_security(app_configs=None, databases=None, **kwargs):
    from participation import rls

    if not databases or "default" not in databases:
        return []
    return [
        Warning(
            problem,
            hint="See README, Configuration: DATABASE_URL and MIGRATION_DATABASE_URL.",
            id="heard.W011",
        )
        for problem in rls.runtime_role_problems()
    ]
