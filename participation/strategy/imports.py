"""Reading and writing action plans as spreadsheets, in the columns councils already use.

The column names and status phrases are the ones in councils' own action plans (Sandwell's
Appendix 4: Action, Strategic Priority, Desired outcome, Date to be Completed, Action Owner,
Success criteria, Commentary, Status). Reading never writes: it returns rows and errors, each
error naming the row and column, and the service saves only when there are none.
"""

import calendar
import csv
import io
import re
from dataclasses import asdict, dataclass
from datetime import date, datetime

from participation.strategy.models import Status

MAX_ROWS = 1000
MAX_BYTES = 2 * 1024 * 1024

# Our field -> the heading we write, then every heading we accept (compared after normalising).
COLUMNS = {
    "title": ("Action", ["action", "actions", "action title", "what we will do"]),
    "objective": (
        "Strategic Priority",
        ["strategic priority", "priority", "objective", "sp", "strategic priorities"],
    ),
    "desired_outcome": ("Desired outcome", ["desired outcome", "outcome", "aim"]),
    "due_date": (
        "Date to be Completed",
        [
            "date to be completed",
            "due date",
            "due",
            "deadline",
            "completion date",
            "target date",
            "by when",
        ],
    ),
    "owner": (
        "Action Owner",
        ["action owner", "owner", "lead", "responsible", "responsible officer"],
    ),
    "success_criteria": (
        "Success criteria",
        ["success criteria", "success criteria measure", "measure", "output"],
    ),
    "commentary": ("Commentary", ["commentary", "comments", "comment", "progress", "update"]),
    "status": ("Status", ["status", "rag", "rag status", "brag", "brag status"]),
    "team": ("Responsible team", ["responsible team", "team", "service"]),
    "start_date": ("Start date", ["start date", "start", "date started"]),
}
REQUIRED = ("title", "objective", "due_date")

# Status phrases as councils write them, normalised (lower case, letters and spaces only).
STATUS_WORDS = {
    Status.NOT_STARTED: [
        "",
        "white",
        "w",
        "not started",
        "not yet started",
        "yet to start",
    ],
    Status.ON_TRACK: [
        "green",
        "g",
        "on track",
        "not completed but on track",
        "not yet completed but on track",
        "in progress on track",
        "in progress",
    ],
    Status.OFF_TRACK: [
        "amber",
        "a",
        "off track",
        "not completed but off track",
        "not yet completed but off track",
        "at risk",
    ],
    Status.OVERDUE: ["red", "r", "overdue", "over due", "late"],
    Status.COMPLETED: ["blue", "b", "completed", "complete", "done", "achieved"],
}
PHRASE = {normal: status for status, words in STATUS_WORDS.items() for normal in words}

# How an export writes each status: the Sandwell key's own words.
EXPORT_PHRASE = {
    Status.NOT_STARTED: "Not yet started",
    Status.ON_TRACK: "Not yet completed but on track",
    Status.OFF_TRACK: "Not yet completed but off track",
    Status.OVERDUE: "Overdue",
    Status.COMPLETED: "Completed",
}

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9


class ImportFileError(Exception):
    """The file as a whole cannot be read: wrong type, too big, empty, or a column missing."""


@dataclass
class PlanRow:
    line: int
    title: str
    objective_codes: list[str]
    desired_outcome: str
    due_date: date
    owner: str
    success_criteria: str
    commentary: str
    status: str
    team: str
    start_date: date | None

    def to_session(self) -> dict:
        data = asdict(self)
        data["due_date"] = self.due_date.isoformat()
        data["start_date"] = self.start_date.isoformat() if self.start_date else None
        return data

    @classmethod
    def from_session(cls, data: dict) -> "PlanRow":
        data = dict(data)
        data["due_date"] = date.fromisoformat(data["due_date"])
        data["start_date"] = date.fromisoformat(data["start_date"]) if data["start_date"] else None
        return cls(**data)


@dataclass
class RowError:
    line: int
    column: str
    message: str

    def __str__(self):
        return f"Row {self.line}, column “{self.column}”: {self.message}"


def _normal(text) -> str:
    text = str(text or "").lower().replace("-", " ").replace("/", " ").replace("_", " ")
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9 ]", "", text)).strip()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return re.sub(r"[ \t]+", " ", str(value).replace("\x00", "")).strip()


def status_from_phrase(phrase) -> str | None:
    return PHRASE.get(_normal(phrase))


def objective_codes(text: str) -> list[str]:
    """ "SP 2 SP 3" -> ["SP2", "SP3"]; "SP1" -> ["SP1"]; "Priority One" -> ["Priority One"]."""
    found = re.findall(r"([A-Za-z]{1,4})\s*(\d+)", text)
    if found and re.fullmatch(r"(\s*[A-Za-z]{1,4}\s*\d+[\s,;/&]*(and)?)+", text):
        return [f"{letters.upper()}{number}" for letters, number in found]
    return [text[:20].strip()] if text.strip() else []


def parse_date(value, *, end_of_month: bool = True) -> date | None:
    """Dates as councils write them. A month alone ("March 2017") means its last day."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _cell(value)
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d.%m.%y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            pass
    words = re.findall(r"[A-Za-z]+|\d+", text)
    lowered = [word.lower() for word in words]
    months = [MONTHS[word] for word in lowered if word in MONTHS]
    numbers = [int(word) for word in words if word.isdigit()]
    years = [n for n in numbers if 1990 <= n <= 2100]
    if len(months) == 1 and len(years) == 1:
        days = [n for n in numbers if 1 <= n <= 31 and n not in years]
        last = calendar.monthrange(years[0], months[0])[1]
        if days:
            if days[0] > last:
                return None
            return date(years[0], months[0], days[0])
        return date(years[0], months[0], last if end_of_month else 1)
    return None


def read_table(upload) -> list[list]:
    """The first sheet of an .xlsx file, or a .csv file, as rows of cells."""
    name = (getattr(upload, "name", "") or "").lower()
    if getattr(upload, "size", 0) > MAX_BYTES:
        raise ImportFileError("The file is larger than 2 MB. Split the action plan into parts.")
    content = upload.read()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise ImportFileError(
                "The file could not be opened as an Excel workbook. Save it as .xlsx and try again."
            ) from error
        sheet = book.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        book.close()
        return rows
    if name.endswith(".csv"):
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ImportFileError("The file's characters could not be read. Save it as UTF-8 CSV.")
        # NUL bytes cannot be stored and stop the csv reader: they are never meaningful here.
        text = text.replace("\x00", "")
        try:
            return [row for row in csv.reader(io.StringIO(text))]
        except csv.Error as error:
            raise ImportFileError(
                "The file could not be read as CSV. Save it again as “CSV (comma delimited)”."
            ) from error
    raise ImportFileError("Choose a CSV file (.csv) or an Excel workbook (.xlsx).")


def map_headings(headings: list) -> dict[str, int]:
    """Our field -> column index, from the council's own headings."""
    found = {}
    for index, heading in enumerate(headings):
        normal = _normal(heading)
        for field, (_, aliases) in COLUMNS.items():
            if field not in found and normal in aliases:
                found[field] = index
                break
    return found


def parse_plan(table: list[list]) -> tuple[list[PlanRow], list[RowError], dict[str, str]]:
    """Rows and errors from a table whose first non-empty row holds the headings."""
    while table and not any(_cell(cell) for cell in table[0]):
        table = table[1:]
    if not table:
        raise ImportFileError("The file is empty.")
    headings = [_cell(cell) for cell in table[0]]
    columns = map_headings(headings)
    missing = [COLUMNS[field][0] for field in REQUIRED if field not in columns]
    if missing:
        raise ImportFileError(
            "The file has no "
            + " or ".join(f"“{name}”" for name in missing)
            + " column. The first row must hold the column headings, such as "
            + ", ".join(f"“{COLUMNS[field][0]}”" for field in REQUIRED)
            + "."
        )
    used = {field: headings[index] for field, index in columns.items()}
    rows, errors = [], []
    body = [
        (line, row) for line, row in enumerate(table[1:], start=2) if any(_cell(c) for c in row)
    ]
    if not body:
        raise ImportFileError("The file has headings but no actions under them.")
    if len(body) > MAX_ROWS:
        raise ImportFileError(f"The file has more than {MAX_ROWS} actions. Split it into parts.")
    for line, raw in body:

        def get(field, raw=raw):
            index = columns.get(field)
            return raw[index] if index is not None and index < len(raw) else None

        problems = []
        title = re.sub(r"^\s*\d+[.)]\s*", "", _cell(get("title")))
        if not title:
            problems.append(("title", "Enter what the action is."))
        elif len(title) > 300:
            problems.append(("title", "Shorten the action to 300 characters or fewer."))
        codes = objective_codes(_cell(get("objective")))
        if not codes:
            problems.append(("objective", "Enter the strategic priority, such as SP1."))
        due_raw = get("due_date")
        due = parse_date(due_raw)
        if due is None:
            problems.append(
                (
                    "due_date",
                    f"“{_cell(due_raw)}” is not a date we can read. Write it like 31/03/2027 "
                    "or March 2027."
                    if _cell(due_raw)
                    else "Enter the date the action is due to be completed.",
                )
            )
        start_raw = get("start_date")
        start = parse_date(start_raw, end_of_month=False)
        if _cell(start_raw) and start is None:
            problems.append(("start_date", f"“{_cell(start_raw)}” is not a date we can read."))
        if start and due and due < start:
            problems.append(
                ("due_date", "The due date must be the same as or after the start date.")
            )
        status = status_from_phrase(get("status"))
        if status is None:
            problems.append(
                (
                    "status",
                    f"“{_cell(get('status'))}” is not a status we know. Use the key: Not yet "
                    "started, Not yet completed but on track, Not yet completed but off track, "
                    "Overdue, Completed (or White, Green, Amber, Red, Blue).",
                )
            )
        owner = _cell(get("owner"))
        if len(owner) > 150:
            problems.append(("owner", "Shorten the owner to 150 characters or fewer."))
        team = _cell(get("team"))
        if len(team) > 120:
            problems.append(("team", "Shorten the team to 120 characters or fewer."))
        for field, message in problems:
            errors.append(RowError(line, used.get(field, COLUMNS[field][0]), message))
        if not problems:
            rows.append(
                PlanRow(
                    line=line,
                    title=title,
                    objective_codes=codes,
                    desired_outcome=_cell(get("desired_outcome")),
                    due_date=due,
                    owner=owner,
                    success_criteria=_cell(get("success_criteria")),
                    commentary=_cell(get("commentary")),
                    status=status,
                    team=team,
                    start_date=start,
                )
            )
    return rows, errors, used


# -- Export ------------------------------------------------------------------------------------

EXPORT_FIELDS = [
    "title",
    "objective",
    "desired_outcome",
    "due_date",
    "owner",
    "success_criteria",
    "commentary",
    "status",
    "team",
    "start_date",
]
EXPORT_HEADINGS = [COLUMNS[field][0] for field in EXPORT_FIELDS]


def _safe(value: str) -> str:
    # A cell starting with = + - @ would run as a formula in Excel: make it plain text.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def export_rows(actions) -> list[list]:
    """One row per action, in the import's own columns, so an export can be imported again."""
    rows = []
    for action in actions:
        codes = [action.objective.code] + [c for c in action.other_priorities.split() if c]
        rows.append(
            [
                action.title,
                " ".join(codes),
                action.desired_outcome,
                action.due_date.strftime("%d/%m/%Y"),
                action.owner_display,
                action.success_criteria,
                getattr(action, "last_commentary", "") or "",
                EXPORT_PHRASE[action.shown_status],
                action.team,
                action.start_date.strftime("%d/%m/%Y") if action.start_date else "",
            ]
        )
    return rows


def to_csv(rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_HEADINGS)
    for row in rows:
        writer.writerow([_safe(str(cell)) for cell in row])
    return out.getvalue()


def to_xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Action plan"
    sheet.append(EXPORT_HEADINGS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_safe(str(cell)) for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
