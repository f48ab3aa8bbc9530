from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lifecycle.council_archive import export_council
from participation.models import Council


class Command(BaseCommand):
    help = "Write every table of one council, and its files, to one ZIP archive."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The council's address, as in /c/<slug>/.")
        parser.add_argument("archive", help="Where to write the archive, e.g. council-a.zip.")

    def handle(self, *args, slug, archive, **options):
        council = Council.objects.filter(slug=slug).first()
        if council is None:
            raise CommandError(f"There is no council with the address '{slug}'.")
        data = export_council(council=council)
        Path(archive).write_bytes(data)
        self.stdout.write(f"Wrote {archive} ({len(data)} bytes).")
