"""Rebuild both rollups from the rows they count: the feedback results rollup
(feedback/rollup.py) from the answers, and the participation rollup
(participation/activities/rollup.py) from the participations.

    manage.py rebuild_result_counts            # every council, one transaction each
    manage.py rebuild_result_counts --council council-a

Needed after anything that writes answers or responses past the services (bulk inserts, a
restore of part of a table by hand), or after restoring a dump made without the participation
rollup's rows or with its triggers off; safe to run at any time, since it only recounts. One
command for both, so whoever repairs counts by hand cannot rebuild one and forget the other.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from feedback import rollup
from participation import rls
from participation.activities import rollup as participation_rollup
from participation.models import Council


class Command(BaseCommand):
    help = (
        "Recount the feedback results rollup from the answers and the participation rollup "
        "from the participations, for one council or all."
    )

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
                months = participation_rollup.rebuild(council=one)
            if options["verbosity"] > 1 or len(councils) == 1:
                self.stdout.write(
                    f"{one.slug}: {answers} answer counts, {responses} response counts, "
                    f"{months} participation months in {time.perf_counter() - started:.1f} s"
                )
        self.stdout.write(
            f"Rebuilt the result and participation counts of {len(councils)} councils."
        )
