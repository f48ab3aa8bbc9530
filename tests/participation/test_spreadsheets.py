import csv
import importlib.util
import io
from datetime import date, datetime

import openpyxl.xml
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from participation import spreadsheets
from participation.spreadsheets import SpreadsheetError


def xlsx_bytes(fill) -> bytes:
    book = Workbook()
    fill(book.active)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_utf8_with_and_without_bom_and_windows_1252_read_the_same():
    text = "Action,Owner\nCafé for care leavers – “drop in”,Zoë\n"
    for data in (
        text.encode("utf-8"),
        ("\ufeff" + text).encode("utf-8"),
        text.encode("cp1252"),
    ):
        table = spreadsheets.read(data=data, filename="plan.csv", max_rows=10)
        assert table.headings == ["Action", "Owner"]
        assert table.rows == [(2, ["Café for care leavers – “drop in”", "Zoë"])]


def test_bytes_neither_utf8_nor_windows_1252_say_how_to_save():
    # 0x81 is undefined in Windows-1252 and never valid on its own in UTF-8.
    with pytest.raises(SpreadsheetError, match="CSV UTF-8"):
        spreadsheets.read(data=b"Action\n\x81\x81\n", filename="plan.csv", max_rows=10)


def test_row_cap_stops_reading_at_the_first_row_over_it():
    def rows():
        yield 1, ["Action"]
        for line in range(2, 10**9):
            yield line, [f"row {line}"]
            if line > 10:
                raise AssertionError("read past the cap")

    with pytest.raises(SpreadsheetError, match="more than 5 rows"):
        spreadsheets._collect(rows(), max_rows=5)


def test_row_cap_while_reading_csv_and_xlsx():
    data = ("Action\n" + "x\n" * 6).encode()
    with pytest.raises(SpreadsheetError, match="more than 5 rows"):
        spreadsheets.read(data=data, filename="a.csv", max_rows=5)

    def fill(sheet):
        sheet.append(["Action"])
        for _ in range(6):
            sheet.append(["x"])

    with pytest.raises(SpreadsheetError, match="more than 5 rows"):
        spreadsheets.read(data=xlsx_bytes(fill), filename="a.xlsx", max_rows=5)
    assert len(spreadsheets.read(data=data, filename="a.csv", max_rows=6).rows) == 6


def test_size_cap_is_checked_before_reading():
    upload = SimpleUploadedFile("big.csv", b"a" * (spreadsheets.MAX_BYTES + 1))
    with pytest.raises(SpreadsheetError, match="larger than 2 MB"):
        spreadsheets.read(upload, max_rows=10)


def test_csv_error_becomes_a_message_naming_the_row():
    huge = "x" * (csv.field_size_limit() + 10)
    data = f'Action,Owner\nfine,Sam\n"{huge}",Sam\n'.encode()
    with pytest.raises(SpreadsheetError) as caught:
        spreadsheets.read(data=data, filename="plan.csv", max_rows=10)
    assert "Row 3 could not be read: a cell is longer than 128 KB" in str(caught.value)


def test_unknown_file_type_and_damaged_workbook():
    with pytest.raises(SpreadsheetError, match="Choose a CSV file"):
        spreadsheets.read(data=b"x", filename="plan.docx", max_rows=10)
    with pytest.raises(SpreadsheetError, match="could not be opened as an Excel workbook"):
        spreadsheets.read(data=b"not a zip", filename="plan.xlsx", max_rows=10)


def test_empty_file_and_headings_only():
    with pytest.raises(SpreadsheetError, match="The file is empty"):
        spreadsheets.read(data=b"\n,,\n", filename="a.csv", max_rows=10)
    with pytest.raises(SpreadsheetError, match="headings but no rows"):
        spreadsheets.read(data=b"Action,Owner\n", filename="a.csv", max_rows=10)


def test_formula_without_saved_value_is_reported_with_its_cell():
    def fill(sheet):
        sheet.append(["Action", "Owner", "Due"])
        for _ in range(5):
            sheet.append(["Do it", "Sam", "2027-03-31"])
        sheet["C7"] = "=TODAY()+30"

    with pytest.raises(SpreadsheetError) as caught:
        spreadsheets.read(data=xlsx_bytes(fill), filename="plan.xlsx", max_rows=10)
    assert caught.value.messages == [
        "C7 holds a formula; save the file in Excel first, then upload it again."
    ]


def test_formula_with_a_saved_value_imports_its_value():
    book = Workbook()
    book.active.append(["Action", "Total"])
    book.active.append(["Do it", "=1+1"])
    out = io.BytesIO()
    book.save(out)
    # Put the value Excel would have saved into the cell's XML, beside the formula.
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    target_buffer = io.BytesIO()
    with zipfile.ZipFile(target_buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"<f>1+1</f><v></v>", b"<f>1+1</f><v>2</v>")
                content = content.replace(b"<f>1+1</f><v />", b"<f>1+1</f><v>2</v>")
            target.writestr(item, content)
    table = spreadsheets.read(data=target_buffer.getvalue(), filename="a.xlsx", max_rows=10)
    assert table.rows == [(2, ["Do it", 2])]


def test_formula_guard_defuses_every_dangerous_start_in_both_formats():
    dangerous = ["=1+1", "+44 121", "-5 days", "@SUM(A1)", "\tx", "\rx"]
    assert [spreadsheets.guard(value) for value in dangerous] == ["'" + v for v in dangerous]
    assert spreadsheets.guard("Plain") == "Plain"
    assert spreadsheets.guard(-5) == -5

    rows = [[value] for value in dangerous]
    text = spreadsheets.write_csv(["Cell"], rows).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1:] == [["'" + v] for v in dangerous]
    sheet = load_workbook(io.BytesIO(spreadsheets.write_xlsx(["Cell"], rows))).active
    for cell, value in zip(sheet["A"][1:], dangerous, strict=True):
        assert cell.data_type == "s"
        # XML stores a carriage return as a line feed; what matters is the apostrophe first.
        assert cell.value == "'" + value.replace("\r", "\n")
    # And reading undoes the guard, so a round trip gives back what was written.
    table = spreadsheets.read(
        data=spreadsheets.write_csv(["Cell"], rows), filename="a.csv", max_rows=10
    )
    assert [spreadsheets.text(row[0]) for _, row in table.rows] == dangerous


def test_xlsx_dates_are_real_excel_dates():
    data = spreadsheets.write_xlsx(["Due"], [[date(2027, 3, 31)]], sheet_title="Plan")
    sheet = load_workbook(io.BytesIO(data)).active
    cell = sheet["A2"]
    assert cell.is_date
    assert cell.value == datetime(2027, 3, 31)
    assert cell.number_format == "dd/mm/yyyy"
    table = spreadsheets.read(data=data, filename="plan.xlsx", max_rows=10)
    assert spreadsheets.text(table.rows[0][1][0]) == "2027-03-31"


def test_openpyxl_parses_uploaded_workbooks_with_defusedxml():
    # defusedxml is a dependency: without it openpyxl would parse untrusted XML unguarded.
    assert importlib.util.find_spec("defusedxml") is not None
    assert openpyxl.xml.DEFUSEDXML is True
