"""Reading and writing action plans as spreadsheets, in the columns councils already use.

The column names and status phrases are the ones in councils' own action plans (Sandwell's
Appendix 4: Action, Strategic Priority, Desired outcome, Date to be Completed, Action Owner,
Success criteria, Commentary, Status). Reading never writes: it returns rows and errors, each
error naming the row and column, and the service saves only when there are none.
"""

import calendar
import re
from dataclasses import asdict, dataclass
from datetime import date, datetime

from participation import spreadsheets
from participation.spreadsheets import SpreadsheetError, Table
from participation.strategy.models import Status

MAX_ROWS = 1000

# Our field -> the heading we write, then every heading we accept (compared after normalising).
COLUMNS = {
    "title": ("Action", ["action", "actions", "action title", "what we will do"]),
    "objective": (
        "Strategic Priority",
        ["strategic priority", "priority", "objective", "sp", "strategic priorities"],
    ),
    "also_serves": (
        "Also serves",
        [
            "also serves",
            "second priority",
            "second strategic priority",
            "other priority",
            "other priorities",
            "other strategic priorities",
        ],
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
# One example action, in the columns above, for the sample file: it must import cleanly.
SAMPLE = {
    "title": "Hold a quarterly drop-in where care leavers meet the leaving care managers",
    "objective": "SP1 Children and young people are listened to and involved in decisions",
    "also_serves": "SP3",
    "desired_outcome": "Care leavers say their views change how the service works",
    "due_date": date(2027, 3, 31),
    "owner": "Sam Patel, Barnardo's",
    "success_criteria": "Four drop-ins a year, each with a 'you said, we did' note",
    "commentary": "First drop-in booked for the spring half-term",
    "status": "Not yet completed but on track",
    "team": "Leaving care",
    "start_date": date(2026, 4, 1),
}

# Status phrases as councils write them, normalised (lower case, letters and spaces only).
# Red (overdue) is what the due date makes an action, not something set: an old plan's "Red"
# was an action behind, so it is read as off track and shows Red again while its date is past.
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
        "red",
        "r",
        "overdue",
        "over due",
        "late",
    ],
    Status.COMPLETED: ["blue", "b", "completed", "complete", "done", "achieved"],
}
PHRASE = {normal: status for status, words in STATUS_WORDS.items() for normal in words}

# How an export writes each status: the Sandwell key's own words.
EXPORT_PHRASE = {
    Status.NOT_STARTED: "Not yet started",
    Status.ON_TRACK: "Not yet completed but on track",
    Status.OFF_TRACK: "Not yet completed but off track",
    Status.COMPLETED: "Completed",
}

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9


ImportFileError = SpreadsheetError


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
    # The title written after the first priority's code ("NT1 Care leavers shall ..."), if any.
    objective_title: str = ""

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
    cell: str = ""

    def __str__(self):
        where = f" ({self.cell})" if self.cell else ""
        return f"Row {self.line}, column “{self.column}”{where}: {self.message}"


def _normal(text) -> str:
    text = str(text or "").lower().replace("-", " ").replace("/", " ").replace("_", " ")
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9 ]", "", text)).strip()


def _cell(value) -> str:
    return re.sub(r"[ \t]+", " ", spreadsheets.text(value)).strip()


def person_key(name: str) -> str:
    """A person's name as compared when matching: case and spacing do not count."""
    return " ".join(name.split()).casefold()


def status_from_phrase(phrase) -> str | None:
    return PHRASE.get(_normal(phrase))


CODES_ONLY = re.compile(r"(\s*[A-Za-z]{1,4}\s*\d+[\s,;/&]*(and)?)+")
CODE_THEN_TITLE = re.compile(r"([A-Za-z]{1,4})\s*(\d+)\s*[.:)\-–—]?\s+(\S.*)", re.DOTALL)


def priorities(text: str) -> list[tuple[str, str]]:
    """A priority cell as (code, title) pairs.

    "SP 2 SP 3" -> [("SP2", ""), ("SP3", "")]; "NT1 Care leavers shall ..." -> [("NT1", "Care
    leavers shall ...")]; a title with no code keeps the whole text as its title.
    """
    text = text.strip()
    if not text:
        return []
    if CODES_ONLY.fullmatch(text):
        found = re.findall(r"([A-Za-z]{1,4})\s*(\d+)", text)
        return [(f"{letters.upper()}{number}", "") for letters, number in found]
    match = CODE_THEN_TITLE.fullmatch(text)
    if match:
        return [(f"{match.group(1).upper()}{match.group(2)}", match.group(3).strip())]
    return [(text[:20].strip(), text)]


def objective_codes(text: str) -> list[str]:
    return [code for code, _ in priorities(text)]


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


def read_table(upload) -> Table:
    """The first sheet of an .xlsx file, or a .csv file, read through the shared reader."""
    return spreadsheets.read(upload, max_rows=MAX_ROWS)


def normal_heading(heading) -> str:
    return _normal(heading)


def map_headings(headings: list, remembered: dict[str, str] | None = None) -> dict[str, int]:
    """Our field -> column index, from the council's own headings and its remembered choices."""
    remembered = remembered or {}
    found = {}
    for index, heading in enumerate(headings):
        normal = _normal(heading)
        if not normal:
            continue
        if normal in remembered:
            field = remembered[normal]
            if field and field in COLUMNS and field not in found:
                found[field] = index
            continue
        for field, (_, aliases) in COLUMNS.items():
            if field not in found and normal in aliases:
                found[field] = index
                break
    return found


def missing_fields(columns: dict[str, int], fixed: dict | None = None) -> list[str]:
    fixed = fixed or {}
    return [field for field in REQUIRED if field not in columns and not fixed.get(field)]


def parse_plan(
    table: Table, *, columns: dict[str, int] | None = None, fixed: dict | None = None
) -> tuple[list[PlanRow], list[RowError], dict[str, str]]:
    """Rows and errors from a table, its columns found from the headings unless given.

    `fixed` gives one value for every row to a required field no column fills (a strategic
    priority, a due date).
    """
    fixed = fixed or {}
    headings = table.headings
    if columns is None:
        columns = map_headings(headings)
    missing = missing_fields(columns, fixed)
    if missing:
        raise ImportFileError(
            "The file has no "
            + " or ".join(f"“{COLUMNS[field][0]}”" for field in missing)
            + " column. The first row must hold the column headings, such as "
            + ", ".join(f"“{COLUMNS[field][0]}”" for field in REQUIRED)
            + "."
        )
    used = {field: headings[index] for field, index in columns.items()}
    rows, errors = [], []
    for line, raw in table.rows:

        def get(field, raw=raw):
            index = columns.get(field)
            if index is None:
                return fixed.get(field)
            return raw[index] if index < len(raw) else None

        def error(field, message, line=line):
            index = columns.get(field)
            if index is None:
                return RowError(line, COLUMNS[field][0], message)
            return RowError(line, used[field], message, f"{table.column_letter(index)}{line}")

        problems = []
        title = re.sub(r"^\s*\d+[.)]\s*", "", _cell(get("title")))
        if not title:
            problems.append(("title", "Enter what the action is."))
        elif len(title) > 300:
            problems.append(("title", "Shorten the action to 300 characters or fewer."))
        found = priorities(_cell(get("objective")))
        if not found:
            problems.append(("objective", "Enter the strategic priority, such as SP1."))
        also = priorities(_cell(get("also_serves")))
        codes = [code for code, _ in found]
        codes += [code for code, _ in also if code.upper() not in {c.upper() for c in codes}]
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
                    "Completed (or White, Green, Amber, Blue).",
                )
            )
        owner = _cell(get("owner"))
        if len(owner) > 150:
            problems.append(("owner", "Shorten the owner to 150 characters or fewer."))
        team = _cell(get("team"))
        if len(team) > 120:
            problems.append(("team", "Shorten the team to 120 characters or fewer."))
        for field, message in problems:
            errors.append(error(field, message))
        if not problems:
            rows.append(
                PlanRow(
                    line=line,
                    title=title,
                    objective_codes=codes,
                    objective_title=found[0][1],
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
    "also_serves",
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


def priority_cell(objective) -> str:
    """A priority as the import reads it back: its code, then its title if it has its own."""
    title = objective.title.strip()
    if not title or title == objective.code or title == placeholder_title(objective.code):
        return objective.code
    return f"{objective.code} {title}"


def placeholder_title(code: str) -> str:
    match = re.fullmatch(r"SP(\d+)", code)
    return f"Strategic priority {match.group(1)}" if match else code


def export_rows(actions) -> list[list]:
    """One row per action, in the import's own columns, so an export can be imported again.

    The status written is the one set, never the Overdue the due date makes it: imported again,
    the same due date makes it Overdue again.
    """
    rows = []
    for action in actions:
        status = Status.OFF_TRACK if action.status == Status.OVERDUE else action.status
        rows.append(
            [
                action.title,
                priority_cell(action.objective),
                " ".join(objective.code for objective in action.also_serves.all()),
                action.desired_outcome,
                action.due_date,
                action.owner_display,
                action.success_criteria,
                getattr(action, "last_commentary", "") or "",
                EXPORT_PHRASE[status],
                action.team,
                action.start_date,
            ]
        )
    return rows


def sample_rows() -> list[list]:
    return [[SAMPLE[field] for field in EXPORT_FIELDS]]


def to_csv(rows: list[list]) -> bytes:
    return spreadsheets.write_csv(EXPORT_HEADINGS, rows)


def to_xlsx(rows: list[list]) -> bytes:
    return spreadsheets.write_xlsx(EXPORT_HEADINGS, rows, sheet_title="Action plan")
