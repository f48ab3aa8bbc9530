"""One council's data in and out: every table that belongs to it, and its files, in one ZIP.

The archive holds `manifest.json` (format version, each app's latest migration, every table's row
count, a SHA-256 of every other member), `council.json`, `users.json` (the staff its rows name:
email and name, never a password) and `tables/<app.Model>.json`, plus `files/<storage name>`.

Import makes a new council in one transaction and gives every row a new id, mapping each
foreign key (and the two id-by-type references: audit entries and evidence links) through the
ids it has just made, so every relation holds. Staff are matched by email, or made without a
password (they set one by "forgotten password"). Anything wrong with the archive stops the
import before anything is written."""

import hashlib
import io
import json
import zipfile
from collections import defaultdict
from datetime import date, datetime, time
from decimal import Decimal
from uuid import UUID

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder

from participation import rls
from participation.models import AuditEvent, Council, User

FORMAT_VERSION = 1
COUNCIL_FIELDS = ["name", "brand_colour", "logo", "is_active", "year_starts", "created_at"]
USER_FIELDS = ["email", "full_name", "is_active", "date_joined"]


class ArchiveError(Exception):
    """A message for the person running the import: what is wrong, and that nothing changed."""


# The database's record of row changes (participation_datachange) is not carried: the import's own
# inserts are recorded afresh by the capture trigger, and the old rows name the old ids. The
# participation rollup is derived: the import's participations fill it again through its triggers.
NOT_CARRIED = {"participation.DataChange", "activities.ParticipationMonth"}


def _council_models() -> list[type[models.Model]]:
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.label in NOT_CARRIED:
            continue
        fields = {f.name: f for f in model._meta.concrete_fields}
        if "council" in fields and fields["council"].related_model is Council:
            found.append(model)
        elif model._meta.auto_created and all(
            f.related_model is not None and _is_council_model(f.related_model)
            for f in model._meta.concrete_fields
            if f.is_relation
        ):
            # A many-to-many table between two council tables (answers' themes).
            found.append(model)
    return sorted(found, key=lambda m: m._meta.label)


def _is_council_model(model) -> bool:
    return any(f.name == "council" for f in model._meta.concrete_fields)


def _apps_of(models_) -> list[str]:
    return sorted({m._meta.app_label for m in models_} | {"participation"})


def _migration_state(app_labels) -> dict[str, list[str]]:
    applied = defaultdict(list)
    for app, name in (
        MigrationRecorder(connection)
        .migration_qs.filter(app__in=app_labels)
        .values_list("app", "name")
    ):
        applied[app].append(name)
    return {app: sorted(applied[app]) for app in app_labels}


def _json_default(value):
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, memoryview | bytes):
        return {"__bytes__": bytes(value).hex()}
    raise TypeError(type(value).__name__)


def _rows_of(model, council) -> list[dict]:
    if model._meta.auto_created:
        left = next(f for f in model._meta.concrete_fields if f.is_relation)
        queryset = model._base_manager.filter(**{f"{left.name}__council": council})
    else:
        queryset = model._base_manager.filter(council=council)
    return list(queryset.order_by("pk").values(*[f.attname for f in model._meta.concrete_fields]))


def _file_fields(model) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def export_council(*, council: Council) -> bytes:
    # Every table of this one council: its scope shows exactly those rows.
    with rls.council_scope(council):
        return _export(council)


def _export(council: Council) -> bytes:
    council_models = _council_models()
    members: dict[str, bytes] = {}
    tables: dict[str, int] = {}
    user_ids: set[int] = set()
    files: set[str] = set()
    for model in council_models:
        rows = _rows_of(model, council)
        tables[model._meta.label] = len(rows)
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is User:
                user_ids.update(row[field.attname] for row in rows if row[field.attname])
        for field in _file_fields(model):
            files.update(row[field.attname] for row in rows if row[field.attname])
        if model is _evidence_model():
            for row in rows:
                if row["content_type_id"]:
                    ct = ContentType.objects.get_for_id(row["content_type_id"])
                    row["content_type_id"] = f"{ct.app_label}.{ct.model}"
        members[f"tables/{model._meta.label}.json"] = json.dumps(
            rows, default=_json_default
        ).encode()
    council_row = {field: getattr(council, field) for field in COUNCIL_FIELDS}
    council_row["logo"] = council.logo.name or ""
    if council.logo:
        files.add(council.logo.name)
    council_row["slug"] = council.slug
    members["council.json"] = json.dumps(council_row, default=_json_default).encode()
    users = list(User.objects.filter(pk__in=user_ids).order_by("pk").values("pk", *USER_FIELDS))
    members["users.json"] = json.dumps(users, default=_json_default).encode()
    for name in sorted(files):
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as handle:
                members[f"files/{name}"] = handle.read()
    manifest = {
        "format_version": FORMAT_VERSION,
        "council_slug": council.slug,
        "migrations": _migration_state(_apps_of(council_models)),
        "tables": tables,
        "checksums": {name: hashlib.sha256(data).hexdigest() for name, data in members.items()},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _evidence_model():
    return apps.get_model("strategy", "EvidenceLink")


# -- Import -------------------------------------------------------------------------------------


def _read(archive_bytes: bytes) -> tuple[dict, dict[str, bytes]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(archive_bytes))
        manifest = json.loads(archive.read("manifest.json"))
        members = {
            name: archive.read(name) for name in archive.namelist() if name != "manifest.json"
        }
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError, zipfile.LargeZipFile) as error:
        raise ArchiveError(
            "The archive is damaged or incomplete (it may have been cut short while copying). "
            "Nothing was imported."
        ) from error
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ArchiveError(
            f"The archive was made by a different version of Heard (archive format "
            f"{manifest.get('format_version')!r}; this installation reads {FORMAT_VERSION}). "
            "Nothing was imported."
        )
    here = _migration_state(sorted(manifest.get("migrations", {})))
    for app, names in manifest.get("migrations", {}).items():
        if here.get(app) != names:
            raise ArchiveError(
                f"The archive was made by a different version of Heard: its '{app}' tables are "
                f"at migration {names[-1] if names else 'none'}, this installation's at "
                f"{here[app][-1] if here.get(app) else 'none'}. Upgrade the older one first. "
                "Nothing was imported."
            )
    checksums = manifest.get("checksums", {})
    if set(checksums) != set(members) or any(
        hashlib.sha256(members[name]).hexdigest() != digest for name, digest in checksums.items()
    ):
        raise ArchiveError(
            "The archive is damaged or incomplete: its contents do not match its manifest. "
            "Nothing was imported."
        )
    return manifest, members


def _insert_order(council_models):
    """Tables in an order where each row's foreign keys are already made; nullable keys inside a
    cycle (a form's live version) are filled in afterwards."""
    remaining = set(council_models)
    deferred: dict[type, list] = defaultdict(list)
    order = []

    def deps(model):
        return {
            f.related_model
            for f in model._meta.concrete_fields
            if f.is_relation
            and f.related_model in remaining
            and f.related_model is not model
            and f not in deferred[model]
        }

    for model in council_models:
        deferred[model] += [
            f for f in model._meta.concrete_fields if f.is_relation and f.related_model is model
        ]
    while remaining:
        ready = sorted((m for m in remaining if not deps(m)), key=lambda m: m._meta.label)
        if not ready:
            # A cycle: break it at a table whose keys into the rest can all wait (nullable).
            breakable = [
                m
                for m in sorted(remaining, key=lambda m: m._meta.label)
                if all(
                    f.null
                    for f in m._meta.concrete_fields
                    if f.is_relation
                    and f.related_model in remaining
                    and f.related_model is not m
                    and f not in deferred[m]
                )
            ]
            if not breakable:
                raise ArchiveError("Tables refer to each other in a circle that cannot wait.")
            model = breakable[0]
            deferred[model] += [
                f
                for f in model._meta.concrete_fields
                if f.is_relation and f.related_model in remaining and f.related_model is not model
            ]
            continue
        for model in ready:
            order.append(model)
            remaining.discard(model)
    return order, deferred


def _unused(model, field, value) -> bool:
    return not model._base_manager.filter(**{field.attname: value}).exists()


@transaction.atomic
def import_council(*, archive_bytes: bytes, slug: str | None = None) -> Council:
    manifest, members = _read(archive_bytes)
    council_row = json.loads(members["council.json"])
    slug = (slug or council_row["slug"]).strip()
    if Council.objects.filter(slug=slug).exists():
        raise ArchiveError(
            f"A council with the address '{slug}' already exists here. Choose another with "
            "--slug. Nothing was imported."
        )
    written_files: list[str] = []
    try:
        # A platform operation: the council is made here, and tokens are checked for clashes
        # with every council's.
        with rls.all_councils("importing a council archive"):
            return _import(manifest, members, council_row, slug, written_files)
    except BaseException:
        for name in written_files:
            default_storage.delete(name)
        raise


def _import(manifest, members, council_row, slug, written_files) -> Council:
    file_names: dict[str, str] = {}

    def restore_file(name):
        if not name:
            return ""
        if name not in file_names:
            data = members.get(f"files/{name}")
            if data is None:
                file_names[name] = ""
            else:
                file_names[name] = default_storage.save(name, ContentFile(data))
                written_files.append(file_names[name])
        return file_names[name]

    council = Council(**{k: v for k, v in council_row.items() if k not in ("slug", "logo")})
    council.slug = slug
    council.logo = restore_file(council_row["logo"])
    created_at = council.created_at
    council.full_clean(exclude=["logo"])
    council.save()
    Council.objects.filter(pk=council.pk).update(created_at=created_at)

    users: dict[int, int] = {}
    for row in json.loads(members["users.json"]):
        user = User.objects.filter(email=row["email"]).first()
        if user is None:
            user = User(**{k: row[k] for k in USER_FIELDS})
            user.set_unusable_password()
            user.save()
        users[row["pk"]] = user.pk

    council_models = [m for m in _council_models() if f"tables/{m._meta.label}.json" in members]
    expected = set(manifest["tables"])
    if {m._meta.label for m in council_models} != expected:
        raise ArchiveError(
            "The archive's tables are not this installation's tables. Nothing was imported."
        )
    by_name = {m._meta.model_name: m for m in council_models}
    order, deferred = _insert_order(council_models)
    ids: dict[type, dict[int, int]] = defaultdict(dict)
    later: list[tuple[type, int, str, type, int]] = []
    # The audit trail is append-only for the app's role (no update after insert), so its rows go
    # in last, with the ids they name already renumbered.
    append_only = [m for m in order if getattr(m, "append_only", False)]
    for model in [m for m in order if m not in append_only] + append_only:
        rows = json.loads(members[f"tables/{model._meta.label}.json"])
        objects, originals = [], []
        for row in rows:
            old_pk = row.pop(model._meta.pk.attname)
            values = {}
            for field in model._meta.concrete_fields:
                if field.primary_key:
                    continue
                value = row.get(field.attname)
                if field.is_relation and value is not None:
                    if field.related_model is Council:
                        value = council.pk
                    elif field.related_model is User:
                        value = users[value]
                    elif field.related_model is ContentType:
                        app_label, model_name = value.split(".")
                        value = ContentType.objects.get_by_natural_key(app_label, model_name).pk
                    elif field in deferred[model]:
                        later.append((model, old_pk, field.attname, field.related_model, value))
                        value = None
                    else:
                        value = ids[field.related_model][value]
                elif isinstance(field, models.FileField):
                    value = restore_file(value)
                elif isinstance(field, models.BinaryField) and isinstance(value, dict):
                    value = bytes.fromhex(value["__bytes__"])
                elif (
                    field.unique
                    and callable(field.default)
                    and value is not None
                    and not _unused(model, field, value)
                ):
                    # A token already used here (an archive imported twice): a new one, since
                    # two public links cannot share an address.
                    value = field.default()
                values[field.attname] = field.to_python(value) if value is not None else None
            if model is AuditEvent:
                values["subject_id"] = _new_subject_id(values, council, ids, by_name)
            objects.append(model(**values))
            originals.append((old_pk, values))
        made = model._base_manager.bulk_create(objects, batch_size=500)
        for obj, (old_pk, _values) in zip(made, originals, strict=True):
            ids[model][old_pk] = obj.pk
        # bulk_create sets auto_now(_add) fields to now; the archive's times are the true ones.
        stamped = [
            f.attname
            for f in model._meta.concrete_fields
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        if stamped and made and model not in append_only:
            for obj, (_old, values) in zip(made, originals, strict=True):
                for name in stamped:
                    setattr(obj, name, values[name])
            model._base_manager.bulk_update(made, stamped, batch_size=500)
    for model, old_pk, attname, target, old_value in later:
        model._base_manager.filter(pk=ids[model][old_pk]).update(
            **{attname: ids[target][old_value]}
        )
    _remap_references(council, ids, by_name)
    for label, count in manifest["tables"].items():
        model = apps.get_model(label)
        if len(ids[model]) != count:
            raise ArchiveError(
                f"The archive's {label} table holds {len(ids[model])} rows, its manifest says "
                f"{count}. Nothing was imported."
            )
    return council


def _new_subject_id(values, council, ids, by_name):
    """Audit entries name a row by its type and id, not a foreign key: the renumbered id."""
    subject_type, old = values.get("subject_type"), values.get("subject_id")
    if old is None:
        return None
    if subject_type == "council":
        return council.pk
    model = by_name.get(subject_type)
    new = ids[model].get(old) if model is not None else None
    return old if new is None else new


def _remap_references(council, ids, by_name) -> None:
    """Evidence links name a row by its type and id, not a foreign key."""
    evidence = _evidence_model()
    for link in evidence._base_manager.filter(council=council, content_type__isnull=False):
        model = link.content_type.model_class()
        if link.object_id is not None and model in ids:
            evidence._base_manager.filter(pk=link.pk).update(
                object_id=ids[model].get(link.object_id)
            )
