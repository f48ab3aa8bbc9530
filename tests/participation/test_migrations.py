"""The data migrations of issue 8: the year start moves from the strategy settings to the
council, and councils made before get the standard lists."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("participation", "0001_initial"),
    ("strategy", "0002_status_reminders"),
    ("activities", "0001_initial"),
]
AFTER = [
    ("participation", "0002_council_year_starts"),
    ("strategy", "0003_year_starts_on_council"),
    ("activities", "0002_council_default_lists"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("as_owner")
def test_year_start_and_default_lists_reach_existing_councils():
    old = _migrate(BEFORE)
    Council = old.get_model("participation", "Council")
    StrategySettings = old.get_model("strategy", "StrategySettings")
    ActivityKind = old.get_model("activities", "ActivityKind")
    january = Council.objects.create(name="January council", slug="january")
    untouched = Council.objects.create(name="Default council", slug="default")
    own_lists = Council.objects.create(name="Own lists council", slug="own-lists")
    StrategySettings.objects.create(council=january, year_starts=1)
    ActivityKind.objects.create(council=own_lists, name="Our own kind", position=0)
    try:
        new = _migrate(AFTER)
        Council = new.get_model("participation", "Council")
        ActivityKind = new.get_model("activities", "ActivityKind")
        ServiceArea = new.get_model("activities", "ServiceArea")
        starts = dict(Council.objects.values_list("slug", "year_starts"))
        assert starts == {"january": 1, "default": 4, "own-lists": 4}
        assert ActivityKind.objects.filter(council_id=untouched.pk).count() == 12
        assert ServiceArea.objects.filter(council_id=untouched.pk).count() == 8
        # A council that already made its own kinds keeps them as they are.
        assert list(
            ActivityKind.objects.filter(council_id=own_lists.pk).values_list("name", flat=True)
        ) == ["Our own kind"]
        assert ServiceArea.objects.filter(council_id=own_lists.pk).count() == 8
    finally:
        _migrate(_latest())


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
