from django.core.management.base import BaseCommand
from django.db import connections, transaction

from participation.audit import capture


class Command(BaseCommand):
    help = (
        "Put the audit capture trigger on every council table that lacks it, and refresh the "
        "audit functions (PostgreSQL; migrate does this too). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database, **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            self.stdout.write("Not PostgreSQL: database-level audit capture is not available.")
            return
        with transaction.atomic(using=database):
            added = capture.install(connection)
        tables = capture.tracked_tables(connection)
        self.stdout.write(f"Audit capture on {len(tables)} tables ({len(added)} newly added).")
