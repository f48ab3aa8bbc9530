"""Import activities from a CSV or Excel file, for councils moving from spreadsheets.

Reading checks every row and names each problem by row and column; nothing is saved unless every
row is right, and then all rows are saved in one transaction. The columns are the export's.
"""

import base64
import binascii
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

from participation import spreadsheets
from participation.activities import services
from participation.activities.exports import COLUMNS
from participation.activities.models import (
    AGE_BAND_COUNTS,
    GROUP_COUNTS,
    LUNDY,
    Activity,
    ActivityKind,
    LadderRung,
    Method,
    ParticipationType,
    ServiceArea,
    YoungPerson,
)
from participation.forms import GovukFormMixin
from participation.models import Council, Membership, User

MAX_BYTES = spreadsheets.MAX_BYTES
MAX_ROWS = 5000
REQUIRED = {"Title", "Date", "Status", "Kind", "Participation type", "Hart's ladder rung"}
COUNT_COLUMNS = {
    **{label: name for name, label in GROUP_COUNTS},
    **{f"Aged {band.label.lower()}": name for name, band in AGE_BAND_COUNTS},
}
# Which column to blame for a problem the service finds with a field.
FIELD_COLUMNS = {
    "title": "Title",
    "starts_on": "Date",
    "ends_on": "End date",
    "status": "Status",
    "kind": "Kind",
    "participation_type": "Participation type",
    "ladder_rung": "Hart's ladder rung",
    "service_areas": "Service areas",
    "methods": "Methods",
    "lead_worker": "Lead worker email",
    "what_young_people_said": "What young people said",
    "what_changed": "What changed as a result",
    "feedback_given": "Feedback given",
    "feedback_given_on": "Feedback date",
    "incentive_description": "Incentives",
    "incentive_amount": "Incentive value",
    "young_people": "Young people",
    **{name: column for column, name in COUNT_COLUMNS.items()},
    **{name: label for name, label in LUNDY},
}


class ImportForm(GovukFormMixin, forms.Form):
    file = forms.FileField(
        label="CSV or Excel file",
        required=False,
        help_text="Use the columns of an export from this page. Up to 2 MB.",
    )
    # After the preview the file travels back in the form, never in the address or a log.
    upload = forms.CharField(widget=forms.HiddenInput, required=False)
    upload_name = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > MAX_BYTES:
                raise forms.ValidationError("The file must be smaller than 2 MB.")
            if not upload.name.lower().endswith((".csv", ".xlsx")):
                raise forms.ValidationError("The file must be a CSV file or an Excel .xlsx file.")
            data["bytes"] = upload.read()
            data["upload_name"] = upload.name
            self.data = self.data.copy()
            self.data["upload"] = base64.b64encode(data["bytes"]).decode()
            self.data["upload_name"] = upload.name
        elif data.get("upload"):
            try:
                data["bytes"] = base64.b64decode(data["upload"], validate=True)
            except (binascii.Error, ValueError):
                raise forms.ValidationError("Choose the file to import again.") from None
            if len(data["bytes"]) > MAX_BYTES:
                raise forms.ValidationError("The file must be smaller than 2 MB.")
        else:
            raise forms.ValidationError("Choose a CSV or Excel file to import.")
        return data

    def file_bytes(self) -> bytes:
        return self.cleaned_data["bytes"]

    def filename(self) -> str:
        return self.cleaned_data.get("upload_name") or ""


@dataclass
class ImportRow:
    number: int
    fields: dict
    service_areas: list = field(default_factory=list)
    young_people: list = field(default_factory=list)


@dataclass
class Preview:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _text(value) -> str:
    return spreadsheets.text(value)


def _parse_date(text: str) -> date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError


def _choice(text: str, choices) -> object:
    wanted = text.strip().lower()
    for value, label in choices:
        if wanted in (str(value).lower(), str(label).lower()):
            return value
    raise ValueError


class _Row:
    def __init__(self, number: int, values: dict[str, str], errors: list[str], letters=None):
        self.number, self.values, self.errors = number, values, errors
        self.letters = letters or {}

    def fail(self, column: str, message: str) -> None:
        letter = self.letters.get(column)
        where = f" ({letter}{self.number})" if letter else ""
        self.errors.append(f"Row {self.number}, column “{column}”{where}: {message}")

    def get(self, column: str) -> str:
        return self.values.get(column, "")


def normal_heading(heading: str) -> str:
    return " ".join(str(heading).split()).lower()


def column_map(headings: list[str], remembered: dict[str, str] | None = None):
    """Our column -> index from the file's headings and the council's remembered choices, and
    the headings that are neither."""
    remembered = remembered or {}
    known = {column.lower(): column for column in COLUMNS}
    found, unknown = {}, []
    for index, heading in enumerate(headings):
        normal = normal_heading(heading)
        if not normal:
            continue
        column = known.get(normal)
        if column is None and normal in remembered:
            column = remembered[normal] if remembered[normal] in COLUMNS else ""
            if not column:
                continue
        if column is None:
            unknown.append(heading)
        elif column not in found:
            found[column] = index
    return found, unknown


def missing_columns(found: dict[str, int]) -> list[str]:
    return sorted(REQUIRED - set(found))


def read(
    *,
    council: Council,
    data: bytes,
    filename: str,
    mapping: dict[str, int] | None = None,
    remembered: dict[str, str] | None = None,
) -> Preview:
    """Check every row. `mapping` (our column -> index) is the officer's choice of columns;
    without it the headings are read, with the council's remembered choices."""
    preview = Preview()
    try:
        sheet = spreadsheets.read(data=data, filename=filename, max_rows=MAX_ROWS)
    except spreadsheets.SpreadsheetError as error:
        preview.errors.extend(error.messages)
        return preview
    if mapping is None:
        mapping, unknown = column_map(sheet.headings, remembered)
    else:
        unknown = []
    missing = missing_columns(mapping)
    if unknown:
        preview.errors.append(
            "Row 1 has columns Heard does not know: "
            + ", ".join(f"“{c}”" for c in unknown)
            + ". Use the columns of an export from this page."
        )
    if missing:
        preview.errors.append(
            "Row 1 is missing these columns: " + ", ".join(f"“{c}”" for c in missing) + "."
        )
    if preview.errors:
        return preview
    width = max([len(sheet.headings)] + [len(row) for _, row in sheet.rows])
    by_index = {index: column for column, index in mapping.items()}
    columns = [by_index.get(index, "") for index in range(width)]

    kinds = {k.name.lower(): k for k in ActivityKind.objects.filter(council=council)}
    areas = {a.name.lower(): a for a in ServiceArea.objects.filter(council=council)}
    workers = {
        u.email.lower(): u
        for u in User.objects.filter(
            pk__in=Membership.objects.filter(council=council).values("user_id")
        )
    }
    people = {p.reference.upper(): p for p in YoungPerson.objects.filter(council=council)}
    member_ids = {user.pk for user in workers.values()}
    today = services.local_today()

    letters = {col: sheet.column_letter(i) for i, col in enumerate(columns) if col}
    for offset, cells in sheet.rows:
        values = {
            col: (_text(cells[i]) if i < len(cells) else "") for i, col in enumerate(columns) if col
        }
        row = _Row(offset, values, preview.errors, letters)
        before = len(preview.errors)
        parsed = _read_row(row, kinds=kinds, areas=areas, workers=workers, people=people)
        if len(preview.errors) == before:
            activity = Activity(council=council, **parsed.fields)
            problems = services.activity_errors(
                activity,
                service_areas=parsed.service_areas,
                young_people=parsed.young_people,
                today=today,
                member_ids=member_ids,
            )
            try:
                # Kind and lead worker were found in this council's lists above.
                activity.full_clean(
                    exclude=["council", "kind", "lead_worker", "created_by", *problems]
                )
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    problems.setdefault(name, []).extend(messages)
            for name, messages in problems.items():
                for message in messages:
                    row.fail(FIELD_COLUMNS.get(name, name), message)
            preview.rows.append(parsed)
    return preview


def _read_row(row: _Row, *, kinds, areas, workers, people) -> ImportRow:
    fields: dict = {}
    result = ImportRow(number=row.number, fields=fields)
    fields["title"] = row.get("Title")
    if not fields["title"]:
        row.fail("Title", "enter what the activity was.")
    for column, name, required in (
        ("Date", "starts_on", True),
        ("End date", "ends_on", False),
        ("Feedback date", "feedback_given_on", False),
    ):
        text = row.get(column)
        if not text:
            fields[name] = None
            if required:
                row.fail(column, "enter the date, like 2026-03-31 or 31/03/2026.")
            continue
        try:
            fields[name] = _parse_date(text)
        except ValueError:
            row.fail(column, f"“{text}” is not a date. Write it like 2026-03-31 or 31/03/2026.")
    for column, name, choices in (
        ("Status", "status", Activity.Status.choices),
        ("Participation type", "participation_type", ParticipationType.choices),
        ("Hart's ladder rung", "ladder_rung", LadderRung.choices),
    ):
        text = row.get(column)
        try:
            fields[name] = _choice(text, choices)
        except ValueError:
            allowed = ", ".join(str(label) for _, label in choices)
            row.fail(column, f"“{text}” is not one of: {allowed}.")
    kind = kinds.get(row.get("Kind").lower())
    if kind is None:
        row.fail(
            "Kind",
            f"“{row.get('Kind')}” is not a kind of activity in this council. "
            "Use a kind from the list on the log an activity page.",
        )
    fields["kind"] = kind
    for name, label in LUNDY:
        fields[name] = _yes(row, label)
    fields["feedback_given"] = _yes(row, "Feedback given")
    for name in _split(row.get("Service areas")):
        area = areas.get(name.lower())
        if area is None:
            row.fail("Service areas", f"“{name}” is not a service area in this council.")
        else:
            result.service_areas.append(area)
    methods = []
    for name in _split(row.get("Methods")):
        try:
            methods.append(_choice(name, Method.choices))
        except ValueError:
            row.fail("Methods", f"“{name}” is not a method Heard knows.")
    fields["methods"] = methods
    email = row.get("Lead worker email")
    fields["lead_worker"] = None
    if email:
        fields["lead_worker"] = workers.get(email.lower())
        if fields["lead_worker"] is None:
            row.fail("Lead worker email", "nobody in this council has this email address.")
    for column, name in COUNT_COLUMNS.items():
        text = row.get(column) or "0"
        try:
            fields[name] = int(text)
        except ValueError:
            row.fail(column, f"“{text}” is not a whole number.")
            continue
        if fields[name] < 0:
            row.fail(column, "the number of people cannot be negative.")
    fields["what_young_people_said"] = row.get("What young people said")
    fields["what_changed"] = row.get("What changed as a result")
    fields["incentive_description"] = row.get("Incentives")
    amount = row.get("Incentive value").lstrip("£")
    fields["incentive_amount"] = None
    if amount:
        try:
            fields["incentive_amount"] = Decimal(amount)
        except InvalidOperation:
            row.fail("Incentive value", f"“{amount}” is not an amount in pounds, like 25.50.")
    for reference in _split(row.get("Young people")):
        person = people.get(reference.upper())
        if person is None:
            row.fail("Young people", f"“{reference}” is not a young person's reference here.")
        else:
            result.young_people.append(person)
    return result


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace(",", ";").split(";") if part.strip()]


def _yes(row: _Row, column: str) -> bool:
    text = row.get(column).lower()
    if text in ("yes", "y", "true", "1"):
        return True
    if text in ("", "no", "n", "false", "0"):
        return False
    row.fail(column, f"write Yes or No, not “{row.get(column)}”.")
    return False
