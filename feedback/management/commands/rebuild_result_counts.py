"""Rebuild the results rollup (feedback/rollup.py) from the answers themselves.

    manage.py rebuild_result_counts            # every council, one transaction each
    manage.py rebuild_result_counts --council council-a

Needed after anything that writes answers or responses past the services (bulk inserts, a
restore of part of a table by hand); safe to run at any time, since it only recounts.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from feedback import rollup
from participation import rls
from participation.models import Council


class Command(BaseCommand):
    help = "Recount the feedback results rollup from the answers, for one council or all."

    def add_arguments(self, parser):
        parser.add_argument("--council", default="", help="The council's address (/c/<slug>/).")

    def handle(self, *args, council="", **options):
        if council:
            councils = list(Council.objects.filter(slug=council))
            if not councils:
                raise CommandError(f"There is no council with the address '{council}'.")
        else:
            councils = list(Council.objects.order_by("pk"))
        for one in councils:
            started = time.perf_counter()
            # Each council in its own scope and transaction: a failure leaves the others done.
            with rls.council_scope(one):
                answers, responses = rollup.rebuild(council_id=one.pk)
            if options["verbosity"] > 1 or len(councils) == 1:
                self.stdout.write(
                    f"{one.slug}: {answers} answer counts, {responses} response counts "
                    f"in {time.perf_counter() - started:.1f} s"
                )
        self.stdout.write(f"Rebuilt the result counts of {len(councils)} councils.")
