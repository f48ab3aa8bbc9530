"""Reading the audit trail for one council: three tables (data changes, events in words,
security events of the council's people) merged newest first in one UNION query, then the page's
rows loaded in one query per table, so the page costs the same at any size."""

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.text import capfirst

from participation.models import AuditEvent, Council, DataChange, Membership, SecurityEvent, User

KIND_CHANGE = "change"
KIND_SECURITY = "security"
KINDS = [
    (KIND_CHANGE, "Changes to records"),
    (AuditEvent.Kind.ACTION, "Actions"),
    (AuditEvent.Kind.ACCESS, "Views and exports"),
    (AuditEvent.Kind.REFUSED, "Refused pages"),
    (KIND_SECURITY, "Sign-ins and security"),
]
KIND_LABELS = dict(KINDS)
AUDIT_MODELS = {"participation.AuditEvent", "participation.DataChange"}
VALUE_LENGTH = 120


@dataclass
class TrailFilters:
    start: date | None = None
    end: date | None = None
    person: int | None = None
    kind: str = ""
    record_type: str = ""  # a model name, e.g. "youngperson"
    record_id: str = ""

    @property
    def any(self) -> bool:
        return bool(
            self.start or self.end or self.person or self.kind or self.record_type or self.record_id
        )


def _council_models():
    for model in apps.get_models():
        label = model._meta.label
        if label in AUDIT_MODELS:
            continue
        names = {f.name for f in model._meta.concrete_fields}
        if "council" in names or label == "participation.Council":
            yield model


def record_types() -> list[tuple[str, str]]:
    """(model name, label) of every kind of council record, by label."""
    return sorted(
        ((m._meta.model_name, capfirst(m._meta.verbose_name)) for m in _council_models()),
        key=lambda pair: pair[1],
    )


def _models_by_table() -> dict[str, type]:
    return {m._meta.db_table: m for m in _council_models()}


def _models_by_name() -> dict[str, type]:
    return {m._meta.model_name: m for m in _council_models()}


def people(*, council: Council) -> list[User]:
    """Everyone who is or was a member, for the 'person' filter."""
    return list(
        User.objects.filter(memberships__council=council)
        .distinct()
        .order_by("full_name", "pk")
        .only("pk", "full_name", "email")
    )


def _bounds(filters: TrailFilters):
    tz = timezone.get_current_timezone()
    start = datetime.combine(filters.start, time.min, tz) if filters.start else None
    end = datetime.combine(filters.end + timedelta(days=1), time.min, tz) if filters.end else None
    return start, end


def _within(queryset, start, end):
    if start:
        queryset = queryset.filter(at__gte=start)
    if end:
        queryset = queryset.filter(at__lt=end)
    return queryset


def _shape(queryset, source: str):
    return queryset.annotate(source=Value(source, output_field=CharField())).values(
        "pk", "at", "source"
    )


def trail(*, council: Council, filters: TrailFilters) -> QuerySet:
    """The council's entries matching the filters as (pk, at, source) rows, newest first."""
    start, end = _bounds(filters)
    kind = filters.kind
    parts = []
    model = _models_by_name().get(filters.record_type) if filters.record_type else None
    record_id = filters.record_id.strip()

    if kind in ("", KIND_CHANGE):
        changes = _within(DataChange.objects.filter(council=council), start, end)
        if filters.person:
            changes = changes.filter(actor_id=filters.person)
        if model is not None:
            changes = changes.filter(table_name=model._meta.db_table)
        if record_id:
            changes = changes.filter(row_id=record_id)
        parts.append(_shape(changes, "change"))

    if kind in ("", *AuditEvent.Kind.values):
        events = _within(AuditEvent.objects.filter(council=council), start, end)
        if kind:
            events = events.filter(kind=kind)
        if filters.person:
            events = events.filter(actor_id=filters.person)
        if model is not None:
            events = events.filter(subject_type=model._meta.model_name)
        if record_id:
            events = (
                events.annotate(subject_text=Cast("subject_id", CharField())).filter(
                    subject_text=record_id
                )
                if record_id.isdigit()
                else events.none()
            )
        parts.append(_shape(events, "event"))

    # Security events are about people, not records: left out when a record is asked for.
    if kind in ("", KIND_SECURITY) and model is None and not record_id:
        members = Membership.objects.filter(council=council).values("user_id")
        security = _within(SecurityEvent.objects.filter(user_id__in=members), start, end)
        if filters.person:
            security = security.filter(Q(user_id=filters.person) | Q(actor_id=filters.person))
        parts.append(_shape(security, "security"))

    if not parts:
        return _shape(AuditEvent.objects.none(), "event")
    first, *rest = parts
    combined = first.union(*rest, all=True) if rest else first
    return combined.order_by("-at", "-pk")


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass
class Entry:
    at: datetime
    kind: str
    who: str
    who_id: int | None
    record_type: str
    record_id: str
    what: str
    request_id: str
    changes: list[Change] = field(default_factory=list)


def _value(value) -> str:
    if value is None or value == "":
        return "(empty)"
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= VALUE_LENGTH else text[: VALUE_LENGTH - 1] + "…"


def _labels(model) -> dict[str, str]:
    if model is None:
        return {}
    return {f.column: capfirst(f.verbose_name) for f in model._meta.concrete_fields}


SKIPPED_COLUMNS = {"id", "council_id", "updated_at"}


def _changes(change: DataChange, labels: dict[str, str]) -> list[Change]:
    before, after = change.before or {}, change.after or {}
    shown = []
    for column in change.changed_columns:
        if column in SKIPPED_COLUMNS:
            continue
        old, new = before.get(column), after.get(column)
        if (
            change.operation != DataChange.Operation.UPDATE
            and old in (None, "")
            and new
            in (
                None,
                "",
            )
        ):
            continue  # an empty field of a new or deleted row says nothing
        shown.append(
            Change(
                field=labels.get(column, column),
                before="" if change.operation == DataChange.Operation.INSERT else _value(old),
                after="" if change.operation == DataChange.Operation.DELETE else _value(new),
            )
        )
    return shown


NOBODY = "Nobody signed in"


def entries(rows) -> list[Entry]:
    """The page's (pk, at, source) rows as readable entries: one query per table, one for names."""
    rows = list(rows)
    wanted = {"change": [], "event": [], "security": []}
    for row in rows:
        wanted[row["source"]].append(row["pk"])
    changes = DataChange.objects.in_bulk(wanted["change"]) if wanted["change"] else {}
    events = AuditEvent.objects.in_bulk(wanted["event"]) if wanted["event"] else {}
    security = SecurityEvent.objects.in_bulk(wanted["security"]) if wanted["security"] else {}
    people_ids = {c.actor_id for c in changes.values()} | {e.actor_id for e in events.values()}
    people_ids |= {s.user_id for s in security.values()} | {s.actor_id for s in security.values()}
    people_ids.discard(None)
    names = (
        dict(User.objects.filter(pk__in=people_ids).values_list("pk", "full_name"))
        if people_ids
        else {}
    )
    by_table, by_name = _models_by_table(), _models_by_name()

    def who(user_id):
        if user_id is None:
            return NOBODY
        return names.get(user_id) or f"Person #{user_id} (no longer here)"

    result = []
    for row in rows:
        pk = row["pk"]
        if row["source"] == "change":
            change = changes[pk]
            model = by_table.get(change.table_name)
            type_label = capfirst(model._meta.verbose_name) if model else change.table_name
            result.append(
                Entry(
                    at=change.at,
                    kind=KIND_LABELS[KIND_CHANGE],
                    who=who(change.actor_id),
                    who_id=change.actor_id,
                    record_type=type_label,
                    record_id=change.row_id,
                    what=f"{change.get_operation_display()} {type_label.lower()} #{change.row_id}",
                    request_id=change.request_id,
                    changes=_changes(change, _labels(model)),
                )
            )
        elif row["source"] == "event":
            event = events[pk]
            model = by_name.get(event.subject_type)
            type_label = (
                capfirst(model._meta.verbose_name) if model else capfirst(event.subject_type)
            )
            what = capfirst(event.verb)
            what += f" {type_label.lower()}" if event.subject_type != "page" else ""
            what += f" #{event.subject_id}" if event.subject_id else ""
            what += f": {event.detail}" if event.detail else ""
            result.append(
                Entry(
                    at=event.at,
                    kind=KIND_LABELS[event.kind],
                    who=who(event.actor_id),
                    who_id=event.actor_id,
                    record_type=type_label,
                    record_id=str(event.subject_id or ""),
                    what=what,
                    request_id=event.request_id,
                )
            )
        else:
            event = security[pk]
            what = event.get_kind_display()
            if event.actor_id and event.actor_id != event.user_id:
                what += f" (by {who(event.actor_id)})"
            result.append(
                Entry(
                    at=event.at,
                    kind=KIND_LABELS[KIND_SECURITY],
                    who=who(event.user_id),
                    who_id=event.user_id,
                    record_type="Person",
                    record_id=str(event.user_id or ""),
                    what=what,
                    request_id=event.request_id,
                )
            )
    return result
