"""The participation rollup: who took part in done activities, month by month, kept by triggers.

Counting reach and "took part" figures from every participation grows with a council's history
(250,000 participations of a large council at 100,000 activities). `ParticipationMonth` holds one
row per young person per month they took part in, with how many times: at most a council's young
people per month. A quarter's total is the sum of `times` over its three months and its unique
young people the distinct people among them, exactly as counted from the participations.

PostgreSQL triggers keep it in step inside the same transaction as the write, so no write path can
forget it (a page, an import, the API, an erasure, retention, a bulk insert) and a rolled-back
write leaves it untouched:
- a participation added, removed or moved: its activity's month, if the activity is done;
- an activity whose date or status changes: all its participations move month, or in and out.
An activity cannot be deleted before its participations (the key has no ON DELETE in the
database; Django deletes the participations first, and each removal is counted).

The functions run as the caller, so row-level security applies to them as to any query.
On SQLite (the demo) there are no triggers: the selectors count from the participations, which
at demo sizes is quick. `rebuild()` recomputes the rows from the participations (after a restore
of a dump made without them, or to check); `manage.py rebuild_result_counts` runs it with the
results rollup's rebuild. `live_months()` is the same count as a query, which the tests compare
with what the triggers kept.
"""

from django.db import connection
from django.db.models import Count
from django.db.models.functions import TruncMonth

from participation import rls

TABLE = "activities_participationmonth"

FUNCTIONS_SQL = r"""
CREATE OR REPLACE FUNCTION heard_participation_month_bump(
    p_council bigint, p_month date, p_person bigint, p_delta integer
) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
    IF p_delta > 0 THEN
        INSERT INTO activities_participationmonth (council_id, month, young_person_id, times)
        VALUES (p_council, p_month, p_person, p_delta)
        ON CONFLICT (council_id, month, young_person_id)
        DO UPDATE SET times = activities_participationmonth.times + EXCLUDED.times;
    ELSIF p_delta < 0 THEN
        DELETE FROM activities_participationmonth
        WHERE council_id = p_council AND month = p_month AND young_person_id = p_person
          AND times + p_delta <= 0;
        IF NOT FOUND THEN
            UPDATE activities_participationmonth SET times = times + p_delta
            WHERE council_id = p_council AND month = p_month AND young_person_id = p_person;
        END IF;
    END IF;
END
$fn$;

CREATE OR REPLACE FUNCTION heard_participation_month_of_link() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
    m date;
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        SELECT date_trunc('month', a.starts_on)::date INTO m
        FROM activities_activity a WHERE a.id = OLD.activity_id AND a.status = 'done';
        IF FOUND THEN
            PERFORM heard_participation_month_bump(OLD.council_id, m, OLD.young_person_id, -1);
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT date_trunc('month', a.starts_on)::date INTO m
        FROM activities_activity a WHERE a.id = NEW.activity_id AND a.status = 'done';
        IF FOUND THEN
            PERFORM heard_participation_month_bump(NEW.council_id, m, NEW.young_person_id, 1);
        END IF;
    END IF;
    RETURN NULL;
END
$fn$;

CREATE OR REPLACE FUNCTION heard_participation_month_of_activity() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
    r record;
BEGIN
    IF OLD.status = 'done' THEN
        FOR r IN SELECT p.young_person_id, count(*)::integer AS n FROM activities_participation p
                 WHERE p.activity_id = OLD.id GROUP BY p.young_person_id LOOP
            PERFORM heard_participation_month_bump(
                OLD.council_id, date_trunc('month', OLD.starts_on)::date, r.young_person_id, -r.n
            );
        END LOOP;
    END IF;
    IF NEW.status = 'done' THEN
        FOR r IN SELECT p.young_person_id, count(*)::integer AS n FROM activities_participation p
                 WHERE p.activity_id = NEW.id GROUP BY p.young_person_id LOOP
            PERFORM heard_participation_month_bump(
                NEW.council_id, date_trunc('month', NEW.starts_on)::date, r.young_person_id, r.n
            );
        END LOOP;
    END IF;
    RETURN NULL;
END
$fn$;
"""

TRIGGERS_SQL = """
DROP TRIGGER IF EXISTS heard_participation_month ON activities_participation;
CREATE TRIGGER heard_participation_month
    AFTER INSERT OR DELETE OR UPDATE OF activity_id, young_person_id
    ON activities_participation
    FOR EACH ROW EXECUTE FUNCTION heard_participation_month_of_link();
DROP TRIGGER IF EXISTS heard_participation_month ON activities_activity;
CREATE TRIGGER heard_participation_month
    AFTER UPDATE OF starts_on, status ON activities_activity
    FOR EACH ROW
    WHEN (OLD.starts_on IS DISTINCT FROM NEW.starts_on OR OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION heard_participation_month_of_activity();
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS heard_participation_month ON activities_participation;
DROP TRIGGER IF EXISTS heard_participation_month ON activities_activity;
DROP FUNCTION IF EXISTS heard_participation_month_of_activity();
DROP FUNCTION IF EXISTS heard_participation_month_of_link();
DROP FUNCTION IF EXISTS heard_participation_month_bump(bigint, date, bigint, integer);
"""

REBUILD_SQL = """
INSERT INTO activities_participationmonth (council_id, month, young_person_id, times)
SELECT p.council_id, date_trunc('month', a.starts_on)::date, p.young_person_id, count(*)
FROM activities_participation p
JOIN activities_activity a ON a.id = p.activity_id AND a.council_id = p.council_id
WHERE a.status = 'done' {where}
GROUP BY 1, 2, 3
"""


def kept_by_triggers(using=None) -> bool:
    """Whether the rollup is kept (PostgreSQL); elsewhere the selectors count live."""
    return (using or connection).vendor == "postgresql"


def install(schema_editor) -> None:
    """Create the functions and triggers and fill the table (a migration's forward step)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTIONS_SQL)
    schema_editor.execute(TRIGGERS_SQL)
    # Every council's rows: the migration runs before or after row-level security is on.
    schema_editor.execute("SELECT set_config('app.all_councils', 'on', true)")
    schema_editor.execute(f"DELETE FROM {TABLE}")  # noqa: S608 - a constant
    schema_editor.execute(REBUILD_SQL.format(where=""))


def uninstall(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


def rebuild(*, council) -> int:
    """Recompute one council's rows from its participations; how many rows it holds after."""
    if not kept_by_triggers():
        return 0
    with rls.council_scope(council), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE council_id = %s", [council.pk])  # noqa: S608
        cursor.execute(REBUILD_SQL.format(where="AND p.council_id = %s"), [council.pk])
        cursor.execute(f"SELECT count(*) FROM {TABLE} WHERE council_id = %s", [council.pk])  # noqa: S608
        return cursor.fetchone()[0]


def live_months(*, council) -> set[tuple]:
    """(month, young person id, times) counted from the participations, as the triggers keep."""
    from participation.activities.models import Activity, Participation

    return set(
        Participation.objects.filter(
            council=council, activity__council=council, activity__status=Activity.Status.DONE
        )
        .annotate(month=TruncMonth("activity__starts_on"))
        .values("month", "young_person_id")
        .annotate(times=Count("pk"))
        .values_list("month", "young_person_id", "times")
    )


def kept_months(*, council) -> set[tuple]:
    from participation.activities.models import ParticipationMonth

    return set(
        ParticipationMonth.objects.filter(council=council).values_list(
            "month", "young_person_id", "times"
        )
    )
