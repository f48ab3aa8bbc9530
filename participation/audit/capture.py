"""Database-level capture of every change to a council's tables (PostgreSQL).

One generic PL/pgSQL trigger function, `heard_audit_capture()`, runs AFTER each INSERT, UPDATE and
DELETE of a row of every table with a `council_id` column (and of the councils themselves) and
writes one row to `participation_datachange`: the table, the row's id, the operation, the row
before and after as jsonb, the columns that changed, and the person and request from
`app.actor_id` / `app.request_id` (set by participation.audit.context). Capture is in the
database, so writes from the Django admin, bulk imports, `bulk_create`/`update()` and raw SQL are
all caught.

`install()` is idempotent. It runs after every `migrate` (a post_migrate handler) and as
`manage.py install_audit_triggers`, so a table another engineer adds later is covered by the next
migrate without a migration of its own.

The trigger function is SECURITY INVOKER on purpose: the audit row is written with the same
rights as the change itself, so under row-level security (policies on `app.council_id`) the row
it writes, carrying the changed row's own council_id, passes the same policy the change just
passed; a SECURITY DEFINER function would run as the owner and (with FORCE ROW LEVEL SECURITY)
gain nothing but a wider attack surface.

The audit tables are append-only: a trigger refuses UPDATE, DELETE and TRUNCATE unless the
current role owns the table (the role that ran the migrations), whatever it is called.
Retention goes through `heard_audit_delete_before(council, before)`, SECURITY DEFINER and owned
by the owner, which deletes one council's entries older than a date and nothing else.

SQLite (the demo) has no capture: `install()` does nothing there and the hand-written
AuditEvent rows are the only trail.
"""

import logging

from django.db import connection as default_connection

logger = logging.getLogger(__name__)

# Written by Heard itself: capturing them would record every audit row twice (or forever).
AUDIT_TABLES = ("participation_datachange", "participation_auditevent")
# Bookkeeping whose changes say nothing an auditor needs, or copy data better captured elsewhere:
# an uploaded spreadsheet held for a day before import (the file's bytes; the rows it creates are
# captured), the markers that a quarter's reminder e-mail was sent, and the participation
# rollup that triggers derive from participations (which are captured). The feedback results
# rollup too: counters derived from the answers (captured), bumped on every submission and
# recounted by a rebuild; captured, they would add a dozen audit rows to every response.
NOISY_TABLES = (
    "participation_pendingimport",
    "strategy_statusreminder",
    "activities_participationmonth",
    "feedback_answercount",
    "feedback_responsecount",
    # An API create's remembered answer: a copy of the record it made (captured itself), kept
    # seven days; captured, the copy would outlive its own clean-up in the trail.
    "api_idempotencyrecord",
)
EXCLUDED_TABLES = AUDIT_TABLES + NOISY_TABLES
# Tables without council_id that still belong to one council: the council's own row.
EXTRA_TABLES = {"participation_council": "id"}
# Secrets are never copied into the trail: a changed token shows as changed, not its value.
SECRET_COLUMN_PATTERN = r"(password|token|secret)"

TRIGGER_NAME = "heard_audit_capture"
GUARD_NAME = "heard_audit_append_only"

FUNCTIONS_SQL = r"""
CREATE OR REPLACE FUNCTION heard_audit_capture() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $fn$
DECLARE
    council_column text := TG_ARGV[0];
    old_row jsonb;
    new_row jsonb;
    changed text[];
    secret text;
    row_council text;
BEGIN
    IF TG_OP <> 'INSERT' THEN old_row := to_jsonb(OLD); END IF;
    IF TG_OP <> 'DELETE' THEN new_row := to_jsonb(NEW); END IF;
    IF TG_OP = 'UPDATE' THEN
        SELECT coalesce(array_agg(n.key ORDER BY n.key), '{}') INTO changed
        FROM jsonb_each(new_row) AS n
        WHERE n.value IS DISTINCT FROM old_row -> n.key;
        -- A save() that changed nothing but its own "updated at" time is not a change.
        IF changed <@ ARRAY['updated_at']::text[] THEN
            RETURN NULL;
        END IF;
    ELSE
        SELECT coalesce(array_agg(k ORDER BY k), '{}') INTO changed
        FROM jsonb_object_keys(coalesce(new_row, old_row)) AS k;
    END IF;
    -- Arguments after the first name secret columns: kept out, marked as redacted.
    FOR i IN 1 .. TG_NARGS - 1 LOOP
        secret := TG_ARGV[i];
        IF old_row ? secret THEN old_row := jsonb_set(old_row, ARRAY[secret], '"(hidden)"'); END IF;
        IF new_row ? secret THEN new_row := jsonb_set(new_row, ARRAY[secret], '"(hidden)"'); END IF;
    END LOOP;
    row_council := coalesce(new_row, old_row) ->> council_column;
    IF row_council IS NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO participation_datachange
        (council_id, table_name, row_id, operation, before, after, changed_columns,
         actor_id, request_id, at)
    VALUES (
        row_council::bigint,
        TG_TABLE_NAME,
        coalesce(coalesce(new_row, old_row) ->> 'id', ''),
        lower(TG_OP),
        old_row,
        new_row,
        to_jsonb(changed),
        nullif(current_setting('app.actor_id', true), '')::bigint,
        coalesce(current_setting('app.request_id', true), ''),
        clock_timestamp()
    );
    RETURN NULL;
END
$fn$;

CREATE OR REPLACE FUNCTION heard_audit_append_only() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $fn$
BEGIN
    -- The owner is whoever ran the migrations, compared by role oid, not by name. Inside
    -- heard_audit_delete_before (SECURITY DEFINER) current_user is that owner.
    IF (SELECT relowner FROM pg_class WHERE oid = TG_RELID)
        = (SELECT oid FROM pg_roles WHERE rolname = current_user) THEN
        IF TG_LEVEL = 'ROW' THEN
            RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        END IF;
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$fn$;

CREATE OR REPLACE FUNCTION heard_audit_delete_before(p_council bigint, p_before timestamptz)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public
AS $fn$
DECLARE
    removed bigint := 0;
    n bigint;
    previous text := current_setting('app.council_id', true);
BEGIN
    IF p_council IS NULL OR p_before IS NULL THEN
        RAISE EXCEPTION 'a council and a date are both needed';
    END IF;
    -- Row-level security (forced even for the owner) sees one council at a time.
    PERFORM set_config('app.council_id', p_council::text, true);
    DELETE FROM participation_datachange WHERE council_id = p_council AND at < p_before;
    GET DIAGNOSTICS n = ROW_COUNT;
    removed := removed + n;
    DELETE FROM participation_auditevent WHERE council_id = p_council AND at < p_before;
    GET DIAGNOSTICS n = ROW_COUNT;
    removed := removed + n;
    PERFORM set_config('app.council_id', coalesce(previous, ''), true);
    RETURN removed;
END
$fn$;
"""

TABLES_SQL = """
SELECT c.relname, a.attname
FROM pg_class c
JOIN pg_namespace ns ON ns.oid = c.relnamespace AND ns.nspname = current_schema()
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relkind IN ('r', 'p')
  AND (a.attname = 'council_id' OR c.relname::text || '.' || a.attname::text = ANY(%s))
ORDER BY c.relname
"""


def _quote(connection, name: str) -> str:
    return connection.ops.quote_name(name)


def tracked_tables(connection=None) -> dict[str, str]:
    """{table: the column naming its council} for every table the trigger should be on."""
    connection = connection or default_connection
    with connection.cursor() as cursor:
        cursor.execute(TABLES_SQL, [[f"{t}.{c}" for t, c in EXTRA_TABLES.items()]])
        rows = cursor.fetchall()
    return {table: column for table, column in rows if table not in EXCLUDED_TABLES}


def _secret_columns(cursor, table: str) -> list[str]:
    cursor.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
        "AND NOT attisdropped AND attname ~ %s ORDER BY attname",
        [table, SECRET_COLUMN_PATTERN],
    )
    return [name for (name,) in cursor.fetchall()]


def install(connection=None, *, verbosity: int = 0) -> list[str]:
    """Create or refresh the functions, and put the triggers on every table that lacks them.
    Returns the tables that gained a capture trigger."""
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        return []
    added = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('participation_datachange')")
        if cursor.fetchone()[0] is None:
            return []  # migrations have not created the trail yet
        cursor.execute(FUNCTIONS_SQL)
        tables = tracked_tables(connection)
        for table, council_column in tables.items():
            args = ", ".join(
                "'" + name.replace("'", "''") + "'"
                for name in [council_column, *_secret_columns(cursor, table)]
            )
            # Recreated each time so a new secret column is hidden too; cheap, and inside the
            # migrate transaction (or the command's), so no change slips past in between.
            cursor.execute(
                "SELECT 1 FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname = %s",
                [table, TRIGGER_NAME],
            )
            existed = cursor.fetchone() is not None
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {TRIGGER_NAME} "
                f"AFTER INSERT OR UPDATE OR DELETE ON {_quote(connection, table)} "
                f"FOR EACH ROW EXECUTE FUNCTION heard_audit_capture({args})"
            )
            if not existed:
                added.append(table)
        for table in NOISY_TABLES:
            # A table excluded after its trigger was made (an existing installation) loses it.
            cursor.execute("SELECT to_regclass(%s)", [table])
            if cursor.fetchone()[0] is not None:
                quoted = _quote(connection, table)
                cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER_NAME} ON {quoted}")
        for table in AUDIT_TABLES:
            quoted = _quote(connection, table)
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {GUARD_NAME} BEFORE UPDATE OR DELETE ON {quoted} "
                f"FOR EACH ROW EXECUTE FUNCTION heard_audit_append_only()"
            )
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {GUARD_NAME}_truncate BEFORE TRUNCATE ON {quoted} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION heard_audit_append_only()"
            )
    if added and verbosity:
        logger.info("Audit capture added to %d tables", len(added))
    return added


def on_post_migrate(sender, using="default", verbosity=0, **kwargs):
    from django.db import connections

    install(connections[using], verbosity=verbosity)
