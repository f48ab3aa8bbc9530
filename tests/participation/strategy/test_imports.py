import csv
import io
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from participation import spreadsheets
from participation.strategy import imports
from participation.strategy.models import Action, Objective, Status, StatusUpdate
from tests.conftest import client_for
from tests.participation.strategy.factories import ActionFactory, StrategyFactory

SEED = Path(__file__).parent / "fixtures" / "sandwell_action_plan.csv"

# The "Status" column of Sandwell's Appendix 4, action by action, in the key's colours.
DOCUMENT_STATUSES = [
    Status.ON_TRACK,  # 1 Not completed but on track
    Status.ON_TRACK,  # 2
    Status.ON_TRACK,  # 3
    Status.ON_TRACK,  # 4
    Status.ON_TRACK,  # 5
    Status.ON_TRACK,  # 6
    Status.OFF_TRACK,  # 7 Not yet completed but off-track
    Status.ON_TRACK,  # 8
    Status.OFF_TRACK,  # 9 Not yet completed but off-track
    Status.ON_TRACK,  # 10
    Status.ON_TRACK,  # 11
    Status.ON_TRACK,  # 12
    Status.ON_TRACK,  # 13
    Status.ON_TRACK,  # 14
]


def csv_upload(rows, name="plan.csv"):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8"), content_type="text/csv")


def xlsx_upload(rows, name="plan.xlsx"):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def table_of(rows):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return spreadsheets.read(data=out.getvalue().encode(), filename="plan.csv", max_rows=1000)


def seed_rows():
    with SEED.open(newline="") as handle:
        return list(csv.reader(handle))


def import_file(client, council, strategy, upload):
    response = client.post(
        reverse("strategy_import", args=[council.slug]),
        {"strategy": strategy.pk, "file": upload},
    )
    return response


def test_status_phrases_map_to_the_key():
    assert imports.status_from_phrase("Not completed but on track") == Status.ON_TRACK
    assert imports.status_from_phrase("Not yet completed but off-track") == Status.OFF_TRACK
    assert imports.status_from_phrase("Not yet completed but on-track") == Status.ON_TRACK
    assert imports.status_from_phrase("AMBER") == Status.OFF_TRACK
    assert imports.status_from_phrase("Blue") == Status.COMPLETED
    assert imports.status_from_phrase("Not yet started") == Status.NOT_STARTED
    assert imports.status_from_phrase("") == Status.NOT_STARTED
    assert imports.status_from_phrase("purple") is None


def test_dates_as_councils_write_them():
    assert imports.parse_date("March 2017") == date(2017, 3, 31)
    assert imports.parse_date("February 2017") == date(2017, 2, 28)
    assert imports.parse_date("31/03/2027") == date(2027, 3, 31)
    assert imports.parse_date("2027-03-31") == date(2027, 3, 31)
    assert imports.parse_date("5 Sept 2026") == date(2026, 9, 5)
    assert imports.parse_date("soon") is None
    assert imports.parse_date("31 February 2026") is None


def test_priorities():
    assert imports.objective_codes("SP 2 SP 3") == ["SP2", "SP3"]
    assert imports.objective_codes("SP1") == ["SP1"]
    assert imports.objective_codes("") == []


def test_importing_the_seed_action_plan_gives_the_documents_statuses(officer_a):
    strategy = StrategyFactory(council=officer_a.council)
    client = client_for(officer_a)
    response = import_file(client, officer_a.council, strategy, csv_upload(seed_rows()))
    assert response.status_code == 302
    preview = client.get(response["Location"])
    text = preview.content.decode()
    assert "14 actions will be added" in text
    assert "New strategic priorities will be created: SP1, SP2, SP3" in text
    assert not Action.objects.exists()  # the preview writes nothing

    client.post(reverse("strategy_import_confirm", args=[officer_a.council.slug]))
    actions = list(Action.objects.order_by("pk"))
    assert [action.status for action in actions] == DOCUMENT_STATUSES
    assert actions[0].title == "Raise the visibility and influence of the participation strategy"
    assert actions[0].due_date == date(2017, 3, 31)
    assert actions[4].objective.code == "SP2" and actions[4].other_priorities == "SP3"
    assert sorted(Objective.objects.values_list("code", flat=True)) == ["SP1", "SP2", "SP3"]
    assert actions[6].updates.get().commentary.startswith("Baseline currently exists")
    assert actions[1].owner_name == "Leah Barton, Leaving Care Manager"


def test_an_owner_who_is_a_member_becomes_the_owner(officer_a):
    officer_a.user.full_name = "Sam Whitfield"
    officer_a.user.save()
    strategy = StrategyFactory(council=officer_a.council)
    client = client_for(officer_a)
    import_file(client, officer_a.council, strategy, csv_upload(seed_rows()))
    client.post(reverse("strategy_import_confirm", args=[officer_a.council.slug]))
    assert Action.objects.filter(owner=officer_a).count() == 9


def test_xlsx_gives_the_same_result(officer_a):
    strategy = StrategyFactory(council=officer_a.council)
    client = client_for(officer_a)
    import_file(client, officer_a.council, strategy, xlsx_upload(seed_rows()))
    client.post(reverse("strategy_import_confirm", args=[officer_a.council.slug]))
    statuses = list(Action.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == DOCUMENT_STATUSES


def test_errors_name_row_and_column_and_nothing_is_saved(officer_a):
    strategy = StrategyFactory(council=officer_a.council)
    rows = seed_rows()
    rows[3][7] = "Sort of fine"  # row 4 of the file
    rows[5][3] = "whenever"  # row 6
    rows[9][0] = "  "  # row 10
    client = client_for(officer_a)
    response = import_file(client, officer_a.council, strategy, csv_upload(rows))
    text = client.get(response["Location"]).content.decode()
    assert "Nothing has been imported: 3 problems in the file" in text
    assert "Row 4, column “Status” (H4): “Sort of fine” is not a status we know." in text
    assert (
        "Row 6, column “Date to be Completed” (D6): “whenever” is not a date we can read." in text
    )
    assert "Row 10, column “Action” (A10): Enter what the action is." in text
    # And the import button is not offered: confirming anyway writes nothing.
    client.post(reverse("strategy_import_confirm", args=[officer_a.council.slug]))
    assert not Action.objects.exists()
    assert not Objective.objects.exists()


def test_missing_required_column_is_named(officer_a):
    strategy = StrategyFactory(council=officer_a.council)
    rows = [row[:3] + row[4:] for row in seed_rows()]  # no "Date to be Completed"
    client = client_for(officer_a)
    response = import_file(client, officer_a.council, strategy, csv_upload(rows))
    assert response["Location"] == reverse("strategy_import_columns", args=["council-a"])
    page = client.get(response["Location"]).content.decode()
    assert "No column of the file was recognised as Date to be Completed." in page
    # The preview cannot be reached past the missing column.
    confirm = reverse("strategy_import_confirm", args=[officer_a.council.slug])
    assert client.get(confirm)["Location"] == response["Location"]
    client.post(confirm)
    assert not Action.objects.exists()


def test_wrong_file_type_is_refused(officer_a):
    strategy = StrategyFactory(council=officer_a.council)
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4")
    response = import_file(client_for(officer_a), officer_a.council, strategy, upload)
    assert "Choose a CSV file (.csv) or an Excel workbook (.xlsx)." in response.content.decode()


def test_a_damaged_workbook_is_refused(officer_a):
    strategy = StrategyFactory(council=officer_a.council)
    upload = SimpleUploadedFile("plan.xlsx", b"not really a workbook")
    response = import_file(client_for(officer_a), officer_a.council, strategy, upload)
    assert "could not be opened as an Excel workbook" in response.content.decode()


def test_all_or_nothing_when_a_row_fails_at_save(officer_a):
    from django.core.exceptions import ValidationError

    from participation.strategy import services

    strategy = StrategyFactory(council=officer_a.council)
    rows, errors, _ = imports.parse_plan(table_of(seed_rows()))
    assert not errors
    rows[10].title = ""  # slips past parsing: the service's own check must stop the whole import
    with pytest.raises(ValidationError) as error:
        services.plan_import(strategy=strategy, actor=officer_a.user, rows=rows)
    assert "Row 12" in str(error.value)
    assert not Action.objects.exists()
    assert not StatusUpdate.objects.exists()
    assert not Objective.objects.exists()


def test_practitioner_cannot_import(member_a):
    strategy = StrategyFactory(council=member_a.council)
    response = import_file(
        client_for(member_a), member_a.council, strategy, csv_upload(seed_rows())
    )
    assert response.status_code == 403
    assert not Action.objects.exists()


def test_confirm_with_nothing_waiting(officer_a):
    response = client_for(officer_a).post(
        reverse("strategy_import_confirm", args=[officer_a.council.slug])
    )
    assert "There is no import waiting" in response.content.decode()
    assert not Action.objects.exists()


def plan_of(strategy):
    """What a person sees of a plan: per action its set and shown status, and its fields."""
    return sorted(
        (
            action.title,
            action.objective.code,
            action.objective.title,
            action.other_priorities,
            action.due_date,
            action.owner_display,
            action.status,
            action.shown_status(),
            action.updates.first().commentary,
        )
        for action in Action.objects.filter(objective__strategy=strategy).select_related(
            "objective"
        )
    )


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_export_round_trips_through_import(officer_a, format):
    council = officer_a.council
    strategy = StrategyFactory(council=council)
    client = client_for(officer_a)
    import_file(client, council, strategy, csv_upload(seed_rows()))
    client.post(reverse("strategy_import_confirm", args=[council.slug]))

    exported = client.get(reverse("action_export", args=[council.slug]) + f"?format={format}")
    name = f"plan.{format}"
    table = spreadsheets.read(data=exported.content, filename=name, max_rows=1000)
    # The plan's 2017 dates have passed: every action shows Overdue, but the export writes
    # the status that was set, so Overdue is never written as if someone had chosen it.
    statuses = [row[table.headings.index("Status")] for _, row in table.rows]
    assert "Overdue" not in statuses and set(statuses) == {
        "Not yet completed but on track",
        "Not yet completed but off track",
    }
    if format == "xlsx":
        sheet = load_workbook(io.BytesIO(exported.content)).active
        due = sheet.cell(row=2, column=table.headings.index("Date to be Completed") + 1)
        assert due.is_date and due.number_format == "dd/mm/yyyy"

    again = StrategyFactory(council=council)
    response = import_file(client, council, again, SimpleUploadedFile(name, exported.content))
    assert response["Location"].endswith("/import/confirm/")
    client.post(reverse("strategy_import_confirm", args=[council.slug]))
    assert plan_of(again) == plan_of(strategy)
    assert len(plan_of(again)) == 14


def test_export_defuses_formulas(officer_a):
    ActionFactory(council=officer_a.council, title='=HYPERLINK("http://x")')
    exported = client_for(officer_a).get(
        reverse("action_export", args=[officer_a.council.slug]) + "?format=csv"
    )
    assert "'=HYPERLINK" in exported.content.decode()


def test_nul_bytes_in_a_csv_do_not_break_the_import(officer_a):
    strategy = StrategyFactory(council=officer_a.council)
    rows = seed_rows()
    rows[1][0] = "1. Raise the\x00 visibility"
    client = client_for(officer_a)
    response = import_file(client, officer_a.council, strategy, csv_upload(rows))
    assert response.status_code == 302
    client.post(reverse("strategy_import_confirm", args=[officer_a.council.slug]))
    assert Action.objects.filter(title="Raise the visibility").exists()
