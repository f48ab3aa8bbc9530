"""The audit trail: database-level capture of every change to a council's tables, security
events, views and exports of children's records, refused council pages, and the page council
admins read it on. See docs/architecture.md, "Audit trail".

Functions other code calls:
- `record_security_event(kind, *, user=None, request=None, actor=None, email="")`: sign-in and
  two-factor events (kinds in `SecurityEvent.Kind`).
- `record_access(request=..., verb=..., subject=..., detail="")`: a view or download of a child's
  record, of feedback answers, of an export or a report file.
- `acting_as(user_id)`: a context manager for tasks and commands with a person behind them.
- `participation.services.audit(...)`: an action in words, as before.
"""

from participation.audit.context import AuditContextMiddleware, acting_as, current_actor_id
from participation.audit.events import record_access, record_refusal, record_security_event

__all__ = [
    "AuditContextMiddleware",
    "acting_as",
    "current_actor_id",
    "record_access",
    "record_refusal",
    "record_security_event",
]
