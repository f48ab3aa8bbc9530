import base64
import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from participation.activities import services
from participation.activities.exports import COLUMNS
from participation.activities.models import Activity, ActivityKind, ServiceArea
from tests.conftest import client_for
from tests.participation.activities.factories import ActivityFactory, YoungPersonFactory


def at(column: str, row: int) -> str:
    """The cell a council sees in Excel for a column of the export, on a row."""
    from openpyxl.utils import get_column_letter

    from participation.activities.exports import COLUMNS

    return f"{get_column_letter(COLUMNS.index(column) + 1)}{row}"


def url(name, council):
    return reverse(name, kwargs={"council_slug": council.slug})


@pytest.fixture
def logged(council_a, officer_a, member_a):
    """Three varied activities, one with text that a spreadsheet would run as a formula."""
    kinds = list(ActivityKind.objects.filter(council=council_a))
    areas = list(ServiceArea.objects.filter(council=council_a))
    kai = YoungPersonFactory(council=council_a, reference="YP-0001")
    remi = YoungPersonFactory(council=council_a, reference="YP-0002")
    actor = officer_a.user
    services.activity_create(
        council=council_a,
        actor=actor,
        title='=HYPERLINK("http://example.org")',
        starts_on=datetime.date(2026, 4, 14),
        ends_on=datetime.date(2026, 4, 15),
        status="done",
        kind=kinds[4],
        participation_type="consultation",
        ladder_rung=5,
        lundy_space=True,
        lundy_voice=True,
        methods=["face_to_face", "creative"],
        lead_worker=member_a.user,
        count_children=2,
        count_young_people=5,
        count_parents_carers=1,
        count_8_12=2,
        count_13_15=5,
        what_young_people_said="-They want shorter meetings",
        what_changed="@Meetings now last an hour.\nAgendas are sent a week before.",
        feedback_given=True,
        feedback_given_on=datetime.date(2026, 5, 1),
        incentive_description="Shopping vouchers",
        incentive_amount=Decimal("40.00"),
        service_areas=[areas[3], areas[4]],
        young_people=[kai, remi],
    )
    services.activity_create(
        council=council_a,
        actor=actor,
        title="Chaired own review",
        starts_on=datetime.date(2026, 6, 2),
        status="done",
        kind=kinds[10],
        participation_type="individual",
        ladder_rung=7,
        service_areas=[areas[3]],
        young_people=[kai],
    )
    services.activity_create(
        council=council_a,
        actor=actor,
        title="Takeover day, planned",
        starts_on=datetime.date.today() + datetime.timedelta(days=40),
        status="planned",
        kind=kinds[7],
        participation_type="co_production",
        ladder_rung=8,
        lundy_influence=True,
    )


def export(client, council, fmt="csv", **filters):
    response = client.get(url("activity_export", council), {**filters, "format": fmt})
    assert response.status_code == 200
    return response.content


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def import_file(client, council, content: bytes, name: str):
    """Upload, check the preview, then confirm, as a person would."""
    preview = client.post(
        url("activity_import", council), {"file": SimpleUploadedFile(name, content)}
    )
    page = preview.content.decode()
    assert "There is a problem" not in page, page.split("govuk-error-summary__list")[1][:800]
    return client.post(
        url("activity_import", council),
        {"upload": base64.b64encode(content).decode(), "upload_name": name, "confirm": "yes"},
        follow=True,
    )


def test_csv_export_holds_what_the_filter_shows(council_a, officer_a, logged):
    rows = csv_rows(export(client_for(officer_a), council_a, status="done"))
    assert rows[0] == COLUMNS
    titles = [row[0] for row in rows[1:]]
    assert "Chaired own review" in titles
    assert "Takeover day, planned" not in titles
    first = dict(zip(COLUMNS, rows[titles.index("Chaired own review") + 1], strict=True))
    assert first["Kind"] == "Chaired own meeting"
    assert first["Young people"] == "YP-0001"
    assert first["Hart's ladder rung"] == "Young people-initiated and directed"


def test_export_guards_against_formulas(council_a, officer_a, logged):
    client = client_for(officer_a)
    rows = csv_rows(export(client, council_a))
    cells = [cell for row in rows[1:] for cell in row]
    assert '\'=HYPERLINK("http://example.org")' in cells
    assert "'-They want shorter meetings" in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
    sheet = load_workbook(io.BytesIO(export(client, council_a, "xlsx"))).active
    values = [cell.value for row in sheet.iter_rows(min_row=2) for cell in row]
    assert '\'=HYPERLINK("http://example.org")' in values
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_import_round_trip_gives_the_same_data(council_a, officer_a, logged, fmt):
    client = client_for(officer_a)
    before = export(client, council_a, "csv")
    exported = export(client, council_a, fmt)
    Activity.objects.filter(council=council_a).delete()
    response = import_file(client, council_a, exported, f"activities.{fmt}")
    assert "3 activities imported." in response.content.decode()
    assert export(client, council_a, "csv") == before


def test_preview_saves_nothing(council_a, officer_a, logged):
    client = client_for(officer_a)
    exported = export(client, council_a)
    Activity.objects.filter(council=council_a).delete()
    response = client.post(
        url("activity_import", council_a),
        {"file": SimpleUploadedFile("a.csv", exported)},
    )
    page = response.content.decode()
    assert "Import 3 activities" in page
    assert "Chaired own review" in page
    assert not Activity.objects.exists()


def _sheet(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode()


GOOD_ROW = {
    "Title": "Focus group on contact",
    "Date": "12/05/2026",
    "Status": "Done",
    "Kind": "focus group",
    "Participation type": "Consultation",
    "Hart's ladder rung": "5",
    "Young people": "",
}


def test_unknown_kind_and_malformed_date_are_named_by_row_and_column(council_a, officer_a):
    content = _sheet(
        [
            GOOD_ROW,
            {**GOOD_ROW, "Kind": "Zumba"},
            {**GOOD_ROW, "Date": "31/02/2026"},
            {**GOOD_ROW, "Status": "Done", "Date": "2099-01-01"},
            {**GOOD_ROW, "Aged 13 to 15": "-4"},
            {**GOOD_ROW, "Young people": "YP-9999"},
        ]
    )
    response = client_for(officer_a).post(
        url("activity_import", council_a), {"file": SimpleUploadedFile("a.csv", content)}
    )
    page = response.content.decode()
    for row, column, message in [
        (3, "Kind", "“Zumba” is not a kind of activity in this council"),
        (4, "Date", "“31/02/2026” is not a date"),
        (5, "Date", "A done activity cannot have a date in the future"),
        (6, "Aged 13 to 15", "the number of people cannot be negative"),
        (7, "Young people", "“YP-9999” is not a young person"),
    ]:
        assert f"Row {row}, column “{column}” ({at(column, row)}): {message}" in page
    assert "Row 2" not in page
    assert not Activity.objects.exists()


def test_confirming_a_bad_file_saves_nothing(council_a, officer_a):
    content = _sheet([GOOD_ROW, {**GOOD_ROW, "Kind": "Zumba"}])
    client_for(officer_a).post(
        url("activity_import", council_a),
        {"upload": base64.b64encode(content).decode(), "upload_name": "a.csv", "confirm": "yes"},
    )
    assert not Activity.objects.exists()


def test_unknown_columns_and_empty_and_broken_files_are_explained(council_a, officer_a):
    client = client_for(officer_a)
    for name, content, message in (
        ("a.csv", b"", "Choose a CSV or Excel file to import."),
        ("a.csv", b"\n\n", "The file is empty."),
        ("a.xlsx", b"not a zip", "could not be opened as an Excel workbook"),
        ("a.pdf", b"%PDF", "must be a CSV file or an Excel .xlsx file"),
    ):
        response = client.post(
            url("activity_import", council_a), {"file": SimpleUploadedFile(name, content)}
        )
        assert response.status_code == 200
        assert message in response.content.decode(), name
    assert not Activity.objects.exists()


def test_xlsx_with_real_date_cells_imports(council_a, officer_a):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Title", "Date", "Status", "Kind", "Participation type", "Hart's ladder rung"])
    sheet.append(
        ["Panel", datetime.datetime(2026, 5, 12), "done", "Recruitment panel", "consultation", 6]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = import_file(client_for(officer_a), council_a, buffer.getvalue(), "a.xlsx")
    assert "1 activity imported." in response.content.decode()
    activity = Activity.objects.get()
    assert (activity.starts_on, activity.ladder_rung) == (datetime.date(2026, 5, 12), 6)


def test_practitioners_cannot_import_or_export(council_a, member_a):
    ActivityFactory(council=council_a)
    client = client_for(member_a)
    assert client.get(url("activity_export", council_a)).status_code == 403
    response = client.post(
        url("activity_import", council_a),
        {"file": SimpleUploadedFile("a.csv", _sheet([GOOD_ROW]))},
    )
    assert response.status_code == 403
    assert Activity.objects.count() == 1


def test_nul_characters_in_a_file_are_dropped(council_a, officer_a):
    content = _sheet([{**GOOD_ROW, "Title": "Focus\x00 group", "What young people said": "\x00"}])
    response = import_file(client_for(officer_a), council_a, content, "a.csv")
    assert "1 activity imported." in response.content.decode()
    assert Activity.objects.get().title == "Focus group"


def test_xlsx_export_dates_are_real_excel_dates(council_a, officer_a, logged):
    sheet = load_workbook(io.BytesIO(export(client_for(officer_a), council_a, "xlsx"))).active
    cell = sheet.cell(row=2, column=COLUMNS.index("Date") + 1)
    assert cell.is_date and cell.number_format == "dd/mm/yyyy"
    counts = sheet.cell(row=2, column=COLUMNS.index("Parents and carers") + 1)
    assert isinstance(counts.value, int)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_sample_file_imports_cleanly(council_a, officer_a, fmt):
    client = client_for(officer_a)
    sample = client.get(url("activity_import_sample", council_a), {"format": fmt})
    assert sample.status_code == 200
    response = import_file(client, council_a, sample.content, f"sample.{fmt}")
    assert "1 activity imported." in response.content.decode()
    activity = Activity.objects.get(council=council_a)
    assert activity.title == "Children in Care Council: what good contact feels like"
    assert activity.area_links.count() == 1


def test_only_importers_download_the_sample(member_a, member_b):
    council = member_a.council
    assert client_for(member_b).get(url("activity_import_sample", council)).status_code == 404


OWN_SHEET = (
    b"Event,When,Done?,Type,Participation type,Hart's ladder rung,Colour\n"
    b"Focus group on contact,12/05/2026,Done,focus group,Consultation,5,red\n"
)


def choose(client, council, **choices):
    return client.post(
        url("activity_import_columns", council),
        {f"column_{index}": column for index, column in choices.items()},
    )


def test_unknown_headings_lead_to_choosing_columns_which_is_remembered(council_a, officer_a):
    client = client_for(officer_a)
    response = client.post(
        url("activity_import", council_a), {"file": SimpleUploadedFile("own.csv", OWN_SHEET)}
    )
    assert response["Location"] == url("activity_import_columns", council_a)
    page = client.get(response["Location"]).content.decode()
    assert "Column A: Event" in page and "For example: Focus group on contact" in page
    assert "No column of the file was recognised as Date, Kind, Status, Title." in page

    # Leaving a required column unchosen is refused, and nothing is remembered.
    from participation.models import ColumnChoice

    response = choose(
        client, council_a, **{"0": "Title", "4": "Participation type", "5": "Hart's ladder rung"}
    )
    assert "Choose the columns that hold “Date”, “Kind”, “Status”." in response.content.decode()
    assert not ColumnChoice.objects.exists()

    response = choose(
        client,
        council_a,
        **{"0": "Title", "1": "Date", "2": "Status", "3": "Kind", "4": "Participation type"},
        **{"5": "Hart's ladder rung"},
    )
    assert response["Location"] == url("activity_import_checked", council_a)
    page = client.get(response["Location"]).content.decode()
    assert "Columns not imported: Colour." in page
    assert "Import 1 activity" in page
    assert not Activity.objects.exists()
    response = client.post(url("activity_import_checked", council_a), {"confirm": "yes"})
    assert response["Location"] == url("activity_list", council_a)
    assert Activity.objects.get().title == "Focus group on contact"

    # The same headings next time go straight to the check, the colour still not imported.
    response = client.post(
        url("activity_import", council_a), {"file": SimpleUploadedFile("own.csv", OWN_SHEET)}
    )
    assert response.status_code == 200
    assert "Import 1 activity" in response.content.decode()


def test_columns_page_is_the_uploaders_own(council_a, officer_a, admin_a, member_b):
    client_for(officer_a).post(
        url("activity_import", council_a), {"file": SimpleUploadedFile("own.csv", OWN_SHEET)}
    )
    # Another officer of the council, and an outsider, see no waiting file.
    response = client_for(admin_a).get(url("activity_import_columns", council_a))
    assert "There is no import waiting" in response.content.decode()
    assert client_for(member_b).get(url("activity_import_columns", council_a)).status_code == 404


def test_activity_columns_page_queries_do_not_grow(council_a, officer_a):
    from tests.querycount import assert_constant_queries

    client = client_for(officer_a)
    lines = [OWN_SHEET.decode().splitlines()[0]]

    def grow(n):
        lines.extend(["Focus group,12/05/2026,Done,focus group,Consultation,5,red"] * n)
        content = ("\n".join(lines) + "\n").encode()
        client.post(
            url("activity_import", council_a), {"file": SimpleUploadedFile("own.csv", content)}
        )

    assert_constant_queries(
        lambda: client.get(url("activity_import_columns", council_a)), grow=grow
    )
