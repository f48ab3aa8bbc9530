"""Who is acting, told to the database so its triggers can record it.

The person (and the request's id) live in a context variable set by `AuditContextMiddleware` for a
request, by `acting_as` in Celery tasks and commands, and carried from a request into the tasks it
queues. Before each INSERT, UPDATE or DELETE on PostgreSQL the connection is told both with a
session-level `set_config('app.actor_id', ...)`, on the same connection and just before the write,
so a connection reused by the next request (CONN_MAX_AGE) never carries a stale actor: the next
write sets the value again, empty when nobody is acting. Reads pay nothing, and the extra statement
goes through the raw cursor, so query-count tests see the page's own queries only.
"""

import contextlib
import contextvars
import re
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|WITH|MERGE)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Acting:
    user_id: int | None = None
    request_id: str = ""
    # For a request: the person is read when a write happens, so a sign-in or sign-out part way
    # through the request is seen.
    request: object = None

    def actor_id(self) -> int | None:
        if self.request is not None:
            user = getattr(self.request, "user", None)
            if user is not None and user.is_authenticated:
                return user.pk
            return None
        return self.user_id


_acting: contextvars.ContextVar[Acting | None] = contextvars.ContextVar(
    "heard_acting", default=None
)


def current() -> Acting | None:
    return _acting.get()


def current_actor_id() -> int | None:
    acting = _acting.get()
    return acting.actor_id() if acting else None


def current_request_id() -> str:
    acting = _acting.get()
    return acting.request_id if acting else ""


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextmanager
def acting_as(user_id: int | None, *, request_id: str | None = None):
    """Attribute the database writes inside the block to this person (an id, never a name).

    For Celery tasks and management commands with a person behind them:
        with acting_as(run.requested_by_id):
            ...
    """
    token = _acting.set(Acting(user_id=user_id, request_id=request_id or new_request_id()))
    try:
        yield
    finally:
        _acting.reset(token)


def _tell_database(execute, sql, params, many, context):
    if _WRITE.match(sql):
        acting = _acting.get()
        actor = acting.actor_id() if acting else None
        # The raw cursor: not logged as one of the page's queries.
        context["cursor"].cursor.execute(
            "SELECT set_config('app.actor_id', %s, false), set_config('app.request_id', %s, false)",
            [str(actor) if actor else "", acting.request_id if acting else ""],
        )
    return execute(sql, params, many, context)


def install_on_connection(sender, connection, **kwargs):
    """connection_created: every PostgreSQL connection tells the database who is acting."""
    if connection.vendor == "postgresql" and _tell_database not in connection.execute_wrappers:
        connection.execute_wrappers.append(_tell_database)


class AuditContextMiddleware:
    """Sets who is acting for the request, and records refused council pages (403 and 404)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.audit_request_id = new_request_id()
        token = _acting.set(Acting(request_id=request.audit_request_id, request=request))
        try:
            response = self.get_response(request)
            if response.status_code in (403, 404):
                from participation.audit.events import record_refusal

                record_refusal(request=request, status=response.status_code)
            return response
        finally:
            _acting.reset(token)


# Celery: a task queued during a request acts for the same person, unless it says otherwise.
ACTOR_HEADER = "heard_actor_id"


def _before_publish(headers=None, **kwargs):
    actor = current_actor_id()
    if headers is not None and actor and ACTOR_HEADER not in headers:
        headers[ACTOR_HEADER] = actor


def _task_prerun(task=None, **kwargs):
    actor = getattr(task.request, ACTOR_HEADER, None) if task is not None else None
    if actor is None and task is not None:
        actor = (getattr(task.request, "headers", None) or {}).get(ACTOR_HEADER)
    if actor is None:
        # An eager task runs inside the request that queued it: keep that request's person.
        actor = current_actor_id()
    task.request._heard_acting_token = _acting.set(
        Acting(user_id=int(actor) if actor else None, request_id=new_request_id())
    )


def _task_postrun(task=None, **kwargs):
    token = getattr(task.request, "_heard_acting_token", None) if task is not None else None
    if token is not None:
        task.request._heard_acting_token = None
        # Set in another context (a worker thread that changed): nothing to restore.
        with contextlib.suppress(ValueError):
            _acting.reset(token)


def connect_celery() -> None:
    from celery.signals import before_task_publish, task_postrun, task_prerun

    before_task_publish.connect(_before_publish, dispatch_uid="heard-audit-publish", weak=False)
    task_prerun.connect(_task_prerun, dispatch_uid="heard-audit-prerun", weak=False)
    task_postrun.connect(_task_postrun, dispatch_uid="heard-audit-postrun", weak=False)
