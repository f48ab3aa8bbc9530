"""Apply row-level security, same-council keys and the runtime role's grants now.

`migrate` does this after every run; this command is for an existing database, or to check.
Run as the tables' owner (MIGRATION_DATABASE_URL is used when set).
"""

from django.core.management.base import BaseCommand, CommandError

from participation import rls


class Command(BaseCommand):
    help = "Row-level security on every council table, and grants for the app's database role."

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database, **options):
        result = rls.secure_schema(using=database, verbosity=options["verbosity"])
        if "skipped" in result:
            if result["skipped"] == "not PostgreSQL":
                self.stdout.write("SQLite: nothing to do (the application's filters apply).")
                return
            raise CommandError(
                "Connected as a role that owns none of the tables: set MIGRATION_DATABASE_URL "
                "to the owner's address."
            )
        self.stdout.write(
            f"Row-level security on {len(result['tables'])} council tables, "
            f"{result['composite_keys']} same-council keys, "
            f"granted to {result['granted_to'] or 'nobody'}."
        )
