"""Reading and writing CSV and Excel files: the one place every import and export goes through.

Reading checks the size before it reads, counts rows while it reads (a sheet is never loaded
whole to be measured afterwards), and turns every way a file can be unreadable into a message
that says what to do. Writing guards every text cell against being run as a formula and writes
dates as real dates, so what comes out can go back in.

openpyxl parses workbooks with defusedxml whenever that package is importable; nothing here
needs to switch it on.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

MAX_BYTES = 2 * 1024 * 1024
MAX_COLUMNS = 100
# A file of only blank lines would otherwise be read to its end before anything is said.
MAX_BLANK_LINES = 10_000

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A text cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "dd/mm/yyyy"


class SpreadsheetError(Exception):
    """The file as a whole cannot be read. Each message says what to change."""

    def __init__(self, *messages: str):
        super().__init__(" ".join(messages))
        self.messages = list(messages)


@dataclass
class Table:
    """A sheet's non-blank rows. `line` is the row number the council sees in Excel."""

    headings: list[str]
    heading_line: int
    rows: list[tuple[int, list]] = field(default_factory=list)

    def column_letter(self, index: int) -> str:
        return get_column_letter(index + 1)


def text(value) -> str:
    """A cell as the text a person typed, whatever type the spreadsheet stored it as."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    # PostgreSQL refuses NUL characters; a spreadsheet never means them.
    return unguard(str(value).replace("\x00", "").strip())


def guard(value):
    """Make a text cell inert in Excel. The one formula guard for every export."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unguard(value: str) -> str:
    """Undo `guard`, so an exported file imports back to what was written."""
    if value.startswith("'") and value[1:2] and value[1:2] in FORMULA_STARTS:
        return value[1:]
    return value


def read(upload=None, *, data: bytes | None = None, filename: str = "", max_rows: int) -> Table:
    """The first sheet of an .xlsx file, or a .csv file, with its first non-blank row as headings.

    Give either an uploaded file or its bytes and name. More than `max_rows` rows under the
    headings is refused as soon as the reader reaches the row after the last one allowed.
    """
    if upload is not None:
        filename = getattr(upload, "name", "") or ""
        if (getattr(upload, "size", 0) or 0) > MAX_BYTES:
            raise SpreadsheetError(too_big())
        data = upload.read(MAX_BYTES + 1)
    data = data or b""
    if len(data) > MAX_BYTES:
        raise SpreadsheetError(too_big())
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = _xlsx_rows(data)
    elif name.endswith(".csv"):
        rows = _csv_rows(data)
    else:
        raise SpreadsheetError("Choose a CSV file (.csv) or an Excel workbook (.xlsx).")
    return _collect(rows, max_rows=max_rows)


def too_big() -> str:
    return f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB. Split it into parts."


def _collect(rows, *, max_rows: int) -> Table:
    table = None
    blanks = 0
    for line, row in rows:
        row = list(row)
        while row and not text(row[-1]):
            row.pop()
        if not row:
            blanks += 1
            if blanks > MAX_BLANK_LINES:
                break
            continue
        if table is None:
            table = Table(headings=[text(cell) for cell in row], heading_line=line)
            continue
        if len(table.rows) >= max_rows:
            raise SpreadsheetError(
                f"The file has more than {max_rows} rows under its headings. Split it into parts."
            )
        table.rows.append((line, row))
    if table is None:
        raise SpreadsheetError("The file is empty.")
    if not table.rows:
        raise SpreadsheetError("The file has headings but no rows under them.")
    return table


def decode(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1252, which Excel writes."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise SpreadsheetError(
            "The file's characters could not be read. In Excel choose Save As, then "
            "“CSV UTF-8 (comma delimited)”, and upload it again."
        ) from None


def _csv_rows(data: bytes):
    reader = csv.reader(io.StringIO(decode(data).replace("\x00", ""), newline=""))
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            limit = csv.field_size_limit() // 1024
            reason = (
                f"a cell is longer than {limit} KB"
                if "field limit" in str(error)
                else "it is not laid out as comma-separated values"
            )
            raise SpreadsheetError(
                f"Row {reader.line_num} could not be read: {reason}. Check that row, save the "
                "file again as “CSV (comma delimited)” and upload it again."
            ) from None
        yield reader.line_num, row[:MAX_COLUMNS]


def _xlsx_rows(data: bytes):
    # Two readings of the same file: the values Excel saved, and the cells that are formulas. A
    # formula Excel never calculated has no saved value and would import as a blank.
    try:
        values_book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formula_book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        raise SpreadsheetError(
            "The file could not be opened as an Excel workbook. Save it as .xlsx and try again."
        ) from error
    try:
        values = values_book.worksheets[0].iter_rows(max_col=MAX_COLUMNS)
        formulas = formula_book.worksheets[0].iter_rows(max_col=MAX_COLUMNS)
        unsaved = []
        for line, (value_row, formula_row) in enumerate(zip(values, formulas, strict=False), 1):
            row = [cell.value for cell in value_row]
            for index, cell in enumerate(formula_row):
                if getattr(cell, "data_type", None) == "f" and (
                    index >= len(row) or row[index] is None
                ):
                    unsaved.append(f"{get_column_letter(index + 1)}{line}")
            if unsaved and len(unsaved) >= 10:
                break
            yield line, row
        if unsaved:
            raise SpreadsheetError(
                *(
                    f"{ref} holds a formula; save the file in Excel first, then upload it again."
                    for ref in unsaved
                )
            )
    finally:
        values_book.close()
        formula_book.close()


# -- Writing -----------------------------------------------------------------------------------


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(guard(value))


def write_csv(headings: list[str], rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([guard(h) for h in headings])
    for row in rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    # A byte-order mark so Excel opens the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(headings: list[str], rows, *, sheet_title: str = "Sheet1") -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title[:31])
    bold = Font(bold=True)
    heading_cells = []
    for heading in headings:
        cell = WriteOnlyCell(sheet, value=guard(heading))
        cell.font = bold
        heading_cells.append(cell)
    sheet.append(heading_cells)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet, value):
    if isinstance(value, datetime | date):
        moment = value if isinstance(value, datetime) else datetime(*value.timetuple()[:3])
        cell = WriteOnlyCell(sheet, value=moment)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, Decimal):
        return WriteOnlyCell(sheet, value=float(value))
    if value is None or isinstance(value, int | float):
        return WriteOnlyCell(sheet, value=value)
    cell = WriteOnlyCell(sheet, value=guard(str(value)))
    # openpyxl would store a text cell starting with "=" as a formula even after the guard.
    cell.data_type = "s"
    return cell


def response(headings: list[str], rows, *, filename_stem: str, xlsx: bool, sheet_title=""):
    """An attachment of `rows` as .xlsx or .csv, named `filename_stem` plus the extension."""
    if xlsx:
        body = write_xlsx(headings, rows, sheet_title=sheet_title or "Sheet1")
        reply = HttpResponse(body, content_type=XLSX_TYPE)
        reply["Content-Disposition"] = f'attachment; filename="{filename_stem}.xlsx"'
    else:
        reply = HttpResponse(write_csv(headings, rows), content_type=CSV_TYPE)
        reply["Content-Disposition"] = f'attachment; filename="{filename_stem}.csv"'
    return reply
