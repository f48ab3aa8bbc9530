"""Row-level security: PostgreSQL itself keeps each council's rows apart.

The application already filters every query by council (`participation.tenancy`). This module is
the second wall, for the day a filter is forgotten: on PostgreSQL every table with a `council_id`
column has row-level security enabled and forced, with one policy that shows and accepts only the
rows of the council named by a per-transaction setting. With no council set, those tables look
empty and refuse writes.

The ways in, and the only ones:

- `council_scope(council)`: the work of one council (a council page, a task about one council's
  record, a command run for one council). Sets `app.council_id` for the current transaction.
- `all_councils(reason)`: the explicit, logged path for work across councils (beat jobs that
  iterate councils, platform staff pages and the Django admin, demo and scale data). The reason is
  logged; it must hold no personal data.
- `own_memberships(user)`: a signed-in person's own memberships in every council, read before the
  council is known (the council switcher, the home page, the tenancy decorator).
- `token_council(model, token)`: the council of a secret link (public form, invitation, calendar
  feed), looked up across councils for that one query; the page then runs in `council_scope`.

Settings are made with `set_config(..., true)`: local to the transaction, so they cannot leak into
the next request on a reused connection (a transaction-local setting reads as '' afterwards, hence
the NULLIF in the policy). A scope opened outside a transaction opens one (`transaction.atomic`);
one opened inside a transaction (a test, or a scope within a scope) restores the previous values on
the way out. On SQLite (the demo) every scope is a no-op and the application's filters are the only
wall.

`secure_schema()` applies the policies. It runs after every `migrate` (a `post_migrate` handler,
so a table added by any app is covered without a migration of its own) and as
`manage.py secure_database`. It needs the tables' owner; run as anyone else it does nothing.
"""

import hashlib
import logging
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, connections, transaction

logger = logging.getLogger(__name__)

COUNCIL = "app.council_id"
ALL = "app.all_councils"
USER = "app.user_id"

POLICY = "heard_council"
OWN_ROWS_POLICY = "heard_own_rows"
LINK_POLICY = "heard_link"

# The policy every tenant table gets. A garbage setting fails the cast, so it fails closed.
CONDITION = (
    "council_id = NULLIF(current_setting('app.council_id', true), '')::bigint"
    " OR current_setting('app.all_councils', true) = 'on'"
)
# Tables a person may read their own rows of across councils (column naming the user), before the
# council is known. Reading only: writes still need the council.
OWN_ROWS = {"participation_membership": "user_id"}


def _active(using: str = "default") -> bool:
    return connections[using].vendor == "postgresql"


def current(using: str = "default") -> dict[str, str]:
    """The settings in force now ('' when unset): for tests and for diagnosing a refusal."""
    if not _active(using):
        return {}
    with connections[using].cursor() as cursor:
        cursor.execute(_READ)
        return dict(zip(NAMES, cursor.fetchone(), strict=True))


NAMES = (COUNCIL, ALL, USER)
_READ = (
    "SELECT coalesce(current_setting('app.council_id', true), ''),"
    " coalesce(current_setting('app.all_councils', true), ''),"
    " coalesce(current_setting('app.user_id', true), '')"
)
_SET = (
    "SELECT set_config('app.council_id', %s, true), set_config('app.all_councils', %s, true),"
    " set_config('app.user_id', %s, true)"
)
# Inside a transaction: read the previous values in the same statement (a materialised CTE is
# evaluated before the outer SELECT's set_config calls), to put them back afterwards.
_SWAP = (
    "WITH previous AS MATERIALIZED (SELECT"
    " coalesce(current_setting('app.council_id', true), ''),"
    " coalesce(current_setting('app.all_councils', true), ''),"
    " coalesce(current_setting('app.user_id', true), ''))"
    " SELECT previous.*, set_config('app.council_id', %s, true),"
    " set_config('app.all_councils', %s, true), set_config('app.user_id', %s, true)"
    " FROM previous"
)


@contextmanager
def _context(council: str, every: str, user: str, *, using: str = "default"):
    """Make these the transaction-local settings for the block, then put back what was there."""
    if not _active(using):
        yield
        return
    connection = connections[using]
    values = [council, every, user]
    if not connection.in_atomic_block:
        # Outermost: the transaction ends with the block, and with it the settings.
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                cursor.execute(_SET, values)
            yield
        return
    with connection.cursor() as cursor:
        cursor.execute(_SWAP, values)
        previous = list(cursor.fetchone()[:3])
    try:
        yield
    except BaseException as error:
        try:
            _restore(connection, previous)
        except DatabaseError:
            # The transaction failed; rolling it back (or to a savepoint) restores the settings.
            if not isinstance(error, DatabaseError):
                raise
        raise
    else:
        _restore(connection, previous)


def _restore(connection, previous: list[str]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(_SET, previous)


def _council_id(council) -> int:
    pk = getattr(council, "pk", council)
    if pk is None or isinstance(pk, bool):
        raise ValueError("council_scope needs a saved council or a council id")
    return int(pk)


def council_scope(council, *, using: str = "default"):
    """Run the block as the work of one council: only its rows are visible or writable."""
    return _context(str(_council_id(council)), "", "", using=using)


@contextmanager
def all_councils(reason: str, *, using: str = "default"):
    """The one path for work across councils. `reason` is logged: say what, never who."""
    if _active(using):
        logger.info("Working across all councils: %s", reason)
    with _context("", "on", "", using=using):
        yield


def own_memberships(user, *, using: str = "default"):
    """A signed-in person's own memberships, in every council, before the council is known."""
    return _context("", "", str(int(user.pk)), using=using)


def no_council(*, using: str = "default"):
    """No council at all: tenant tables look empty (what a request starts with)."""
    return _context("", "", "", using=using)


def token_council(model, token: str, *, field: str = "token") -> int | None:
    """The council of the record a secret link names, or None. The one cross-council read a
    public page makes: one row, by its unguessable token, under `all_councils` for that query
    only. The caller then works in `council_scope` of the answer."""
    if not token:
        return None
    with all_councils(f"resolving a {model._meta.label} link"):
        return (
            model._default_manager.filter(**{field: token})
            .values_list("council_id", flat=True)
            .first()
        )


def council_of_record(model, pk) -> int | None:
    """The council of one record, for a task message queued without its council's id (before
    tasks carried one). Read across councils for that one row, like `token_council`."""
    with all_councils(f"finding the council of a {model._meta.label} for a task"):
        return model._default_manager.filter(pk=pk).values_list("council_id", flat=True).first()


def scoped_by_token(model, *, field: str = "token", kwarg: str = "token"):
    """Decorator for a public view named by a secret token: resolve the council from the token,
    then run the view in that council's scope. An unknown token runs the view with no council, so
    its own lookup finds nothing and it answers as it does for any unknown link."""
    from functools import wraps

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            council_id = token_council(model, kwargs.get(kwarg, ""), field=field)
            scope = no_council() if council_id is None else council_scope(council_id)
            with scope:
                return finish_in_scope(view(request, *args, **kwargs), council_id)

        return wrapper

    return decorator


def finish_in_scope(response, council_id):
    """A response the handler would otherwise finish after the scope has closed: render a lazy
    template response now, and read a streamed body under the same council."""
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.render()
    if getattr(response, "streaming", False) and getattr(response, "file_to_stream", None) is None:
        content = response.streaming_content

        def scoped():
            scope = no_council() if council_id is None else council_scope(council_id)
            with scope:
                yield from content

        response.streaming_content = scoped()
    return response


# Securing the schema --------------------------------------------------------------------------


def _name(*parts: str) -> str:
    """A constraint name under PostgreSQL's 63 characters, the same every run."""
    digest = hashlib.sha256(".".join(parts).encode()).hexdigest()[:10]
    return f"heard_{parts[0][:30]}_{parts[-1][:10]}_{digest}"


def tenant_tables(cursor) -> list[str]:
    cursor.execute(
        """
        SELECT c.relname FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a
          ON a.attrelid = c.oid AND a.attname = 'council_id' AND NOT a.attisdropped
        WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
        ORDER BY c.relname
        """
    )
    return [row[0] for row in cursor.fetchall()]


def link_tables() -> dict[str, tuple[tuple[str, str], tuple[str, str]]]:
    """Tables Django makes for a many-to-many field between two council models (an answer's
    themes). They have no `council_id` of their own, so they get a policy through both ends:
    {table: ((column, parent table), (column, parent table))}."""
    from django.apps import apps

    links = {}
    for model in apps.get_models():
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            ends = (model, field.related_model)
            if not through._meta.auto_created or not all(_has_council(m) for m in ends):
                continue
            source = through._meta.get_field(field.m2m_field_name())
            target = through._meta.get_field(field.m2m_reverse_field_name())
            links[through._meta.db_table] = (
                (source.column, model._meta.db_table),
                (target.column, field.related_model._meta.db_table),
            )
    return links


def _has_council(model) -> bool:
    return any(f.name == "council" for f in model._meta.concrete_fields)


def _link_condition(connection, table, ends) -> str:
    """Both ends visible under the parents' own policies, and of one council: so a link is seen
    and written only inside its council, and never joins two councils even across councils."""
    (column_a, parent_a), (column_b, parent_b) = ends
    q = connection.ops.quote_name
    # Table and column names from the models, quoted.
    end_a = f"SELECT p.council_id FROM {q(parent_a)} p WHERE p.id = {q(table)}.{q(column_a)}"  # noqa: S608
    end_b = f"SELECT p.council_id FROM {q(parent_b)} p WHERE p.id = {q(table)}.{q(column_b)}"  # noqa: S608
    return f"({end_a}) = ({end_b})"


def _append_only_tables() -> set[str]:
    """Models that say `append_only = True` (an audit trail): the runtime role may add rows and
    read them, never change or remove them."""
    from django.apps import apps

    return {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if getattr(model, "append_only", False)
    }


def _quote(connection, name: str) -> str:
    return connection.ops.quote_name(name)


def ensure_runtime_role(connection, role: str, password: str | None) -> bool:
    """Create the runtime role if it is missing and we may create roles: it can sign in, owns
    nothing, is not a superuser and cannot bypass row-level security. True if it exists after."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone():
            return True
        cursor.execute(
            "SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user"
        )
        if not cursor.fetchone()[0]:
            return False
        sql = f"CREATE ROLE {_quote(connection, role)} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB"
        if password:
            cursor.execute(sql + " PASSWORD %s", [password])
        else:
            cursor.execute(sql)
        return True


def secure_schema(
    *, using: str = "default", runtime_role: str | None = None, verbosity: int = 1
) -> dict:
    """Enable and force row-level security with the council policy on every table that has a
    `council_id`, tie each child row's council to its parent's, and grant the runtime role what
    it needs. Idempotent. Does nothing on SQLite, or when not connected as the tables' owner."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return {"skipped": "not PostgreSQL"}
    runtime_role = runtime_role or settings.DATABASE_RUNTIME_ROLE
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
            " AND pg_has_role(current_user, tableowner, 'USAGE')"
        )
        if not cursor.fetchone()[0]:
            return {"skipped": "not the owner of the tables"}
        tables = tenant_tables(cursor)
        cursor.execute(
            "SELECT tablename, policyname FROM pg_policies WHERE schemaname = current_schema()"
        )
        policies = set(cursor.fetchall())
        for table in tables:
            q = _quote(connection, table)
            cursor.execute(f"ALTER TABLE {q} ENABLE ROW LEVEL SECURITY")
            cursor.execute(f"ALTER TABLE {q} FORCE ROW LEVEL SECURITY")
            verb = "ALTER" if (table, POLICY) in policies else "CREATE"
            cursor.execute(
                f"{verb} POLICY {POLICY} ON {q} USING ({CONDITION}) WITH CHECK ({CONDITION})"
            )
            if table in OWN_ROWS:
                column = _quote(connection, OWN_ROWS[table])
                own = f"{column} = NULLIF(current_setting('app.user_id', true), '')::bigint"
                if (table, OWN_ROWS_POLICY) in policies:
                    cursor.execute(f"ALTER POLICY {OWN_ROWS_POLICY} ON {q} USING ({own})")
                else:
                    cursor.execute(
                        f"CREATE POLICY {OWN_ROWS_POLICY} ON {q} FOR SELECT USING ({own})"
                    )
        for table, ends in link_tables().items():
            if not _exists(cursor, table):
                continue
            q = _quote(connection, table)
            cursor.execute(f"ALTER TABLE {q} ENABLE ROW LEVEL SECURITY")
            cursor.execute(f"ALTER TABLE {q} FORCE ROW LEVEL SECURITY")
            condition = _link_condition(connection, table, ends)
            verb = "ALTER" if (table, LINK_POLICY) in policies else "CREATE"
            cursor.execute(
                f"{verb} POLICY {LINK_POLICY} ON {q} USING ({condition}) WITH CHECK ({condition})"
            )
        linked = _composite_keys(connection, cursor, tables)
        granted = _grant(connection, cursor, runtime_role, set(tables))
    if verbosity >= 2:
        logger.info("Row-level security on %s tables, %s composite keys", len(tables), linked)
    return {"tables": tables, "composite_keys": linked, "granted_to": granted}


def _composite_keys(connection, cursor, tables: list[str]) -> int:
    """For every foreign key from a tenant table to another tenant table, a second key on
    (council_id, the key) against the parent's (council_id, id): a row can only point at a row of
    its own council, whatever writes it (the ORM, the admin, raw SQL). A null key is not checked
    (MATCH SIMPLE), as before. Deferred to the end of the transaction like Django's own keys."""
    tenant = set(tables)
    cursor.execute(
        """
        SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, pa.attname
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = c.confkey[1]
        JOIN pg_namespace n ON n.oid = c.connamespace
        WHERE c.contype = 'f' AND cardinality(c.conkey) = 1 AND n.nspname = current_schema()
        """
    )
    keys = [
        (child, column, parent, target)
        for child, column, parent, target in cursor.fetchall()
        if child in tenant and parent in tenant and column != "council_id"
    ]
    cursor.execute(
        "SELECT conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace"
        " WHERE n.nspname = current_schema()"
    )
    existing = {row[0] for row in cursor.fetchall()}
    for parent in sorted({k[2] for k in keys}):
        name = _name(parent, "council_id_key")
        if name not in existing:
            for target in {k[3] for k in keys if k[2] == parent}:
                cursor.execute(
                    f"ALTER TABLE {_quote(connection, parent)} ADD CONSTRAINT {name}"
                    f" UNIQUE (council_id, {_quote(connection, target)})"
                )
            existing.add(name)
    for child, column, parent, target in keys:
        name = _name(child, column, "same_council")
        if name in existing:
            continue
        cursor.execute(
            f"ALTER TABLE {_quote(connection, child)} ADD CONSTRAINT {name}"
            f" FOREIGN KEY (council_id, {_quote(connection, column)})"
            f" REFERENCES {_quote(connection, parent)} (council_id, {_quote(connection, target)})"
            " MATCH SIMPLE DEFERRABLE INITIALLY DEFERRED"
        )
        existing.add(name)
    return len(keys)


def _grant(connection, cursor, role: str | None, tenant: set[str]) -> str | None:
    if not role:
        return None
    if not ensure_runtime_role(connection, role, settings.DATABASE_RUNTIME_PASSWORD):
        logger.warning("The runtime database role %s does not exist: nothing granted", role)
        return None
    r = _quote(connection, role)
    cursor.execute(f"GRANT USAGE ON SCHEMA {_quote(connection, 'public')} TO {r}")
    cursor.execute("SELECT current_schema()")
    schema = _quote(connection, cursor.fetchone()[0])
    cursor.execute(f"GRANT USAGE ON SCHEMA {schema} TO {r}")
    cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {r}")
    cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {r}")
    # The migration history is the owner's to write.
    cursor.execute(f"REVOKE INSERT, UPDATE, DELETE ON django_migrations FROM {r}")
    for table in sorted(_append_only_tables()):
        cursor.execute("SELECT to_regclass(%s)", [table])
        if cursor.fetchone()[0]:
            cursor.execute(f"REVOKE UPDATE, DELETE ON {_quote(connection, table)} FROM {r}")
    return role


def on_post_migrate(sender, using="default", verbosity=1, **kwargs):
    """After every migrate: new tables get their policy, keys and grants without a migration."""
    result = secure_schema(using=using, verbosity=verbosity)
    if verbosity >= 1 and result.get("tables"):
        print(  # noqa: T201 - migrate's own output style
            f"  Row-level security: {len(result['tables'])} council tables,"
            f" {result['composite_keys']} same-council keys,"
            f" granted to {result['granted_to'] or 'nobody'}"
        )


def runtime_role_problems(*, using: str = "default") -> list[str]:
    """What would let the connected role past row-level security: for `check --database`."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )
        user, superuser, bypass = cursor.fetchone()
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')"
            " AND pg_has_role(current_user, c.relowner, 'USAGE')"
        )
        owned = cursor.fetchone()[0]
        unsecured = [table for table in tenant_tables(cursor) if not _secured(cursor, table)]
        # Only the link tables that exist yet: before the first migrate there are none.
        unsecured += [
            table
            for table in link_tables()
            if _exists(cursor, table) and not _secured(cursor, table, LINK_POLICY)
        ]
    problems = []
    if superuser or bypass:
        problems.append(f"the app's database role {user} is a superuser or has BYPASSRLS")
    if owned:
        problems.append(f"the app's database role {user} owns {owned} tables")
    if unsecured:
        problems.append(
            f"{len(unsecured)} council tables lack row-level security: run secure_database"
        )
    return problems


def _exists(cursor, table: str) -> bool:
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [table])
    return cursor.fetchone()[0]


def _secured(cursor, table: str, policy: str = POLICY) -> bool:
    cursor.execute(
        "SELECT c.relrowsecurity AND c.relforcerowsecurity AND EXISTS ("
        " SELECT 1 FROM pg_policies p WHERE p.tablename = c.relname AND p.policyname = %s)"
        " FROM pg_class c WHERE c.oid = to_regclass(%s)",
        [policy, table],
    )
    row = cursor.fetchone()
    return bool(row and row[0])
