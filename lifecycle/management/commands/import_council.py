from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lifecycle.council_archive import ArchiveError, import_council


class Command(BaseCommand):
    help = "Load a council archive made by export_council, as a new council, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The archive made by export_council.")
        parser.add_argument("--slug", help="The new council's address, if not the archive's.")

    def handle(self, *args, archive, slug=None, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"There is no file at {archive}.")
        try:
            council = import_council(archive_bytes=path.read_bytes(), slug=slug)
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Imported {council.name} as /c/{council.slug}/.")
