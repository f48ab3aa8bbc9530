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


def also(action):
    return sorted(objective.code for objective in action.also_serves.all())


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
    assert actions[4].objective.code == "SP2" and also(actions[4]) == ["SP3"]
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
            tuple(also(action)),
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


# -- Choosing columns --------------------------------------------------------------------------

OWN_HEADINGS = ["Ref", "What we will do", "Theme", "Finish by", "Who", "RAG", "Notes"]
OWN_ROWS = [
    OWN_HEADINGS,
    ["1", "Run a care leavers' drop-in", "SP1", "31/03/2027", "Sam Patel", "Green", "x"],
    ["2", "Publish the booklet", "SP2", "30/09/2026", "", "Amber", "y"],
]


def choose_columns(client, council, choices, **extra):
    data = {f"column_{index}": field for index, field in enumerate(choices)}
    data.update(extra)
    return client.post(reverse("strategy_import_columns", args=[council.slug]), data)


def test_unknown_headings_lead_to_choosing_columns_which_is_remembered(officer_a):
    council = officer_a.council
    strategy = StrategyFactory(council=council)
    client = client_for(officer_a)
    response = import_file(client, council, strategy, csv_upload(OWN_ROWS))
    assert response["Location"] == reverse("strategy_import_columns", args=[council.slug])
    page = client.get(response["Location"]).content.decode()
    # Each column of the file, with sample values, and a select of Heard's fields.
    assert "Column B: What we will do" in page
    assert "For example: Run a care leavers&#x27; drop-in; Publish the booklet" in page
    assert '<option value="due_date">Date to be Completed</option>' in page
    # "What we will do" and "RAG" are headings Heard knows: already chosen.
    assert '<option value="title" selected>Action</option>' in page

    response = choose_columns(
        client, council, ["", "title", "objective", "due_date", "owner", "status", ""]
    )
    assert response.status_code == 302
    preview = client.get(reverse("strategy_import_confirm", args=[council.slug])).content
    text = preview.decode()
    assert "2 actions will be added" in text
    assert "Columns not imported: Ref (column A), Notes (column G)." in text
    assert not Action.objects.exists()
    client.post(reverse("strategy_import_confirm", args=[council.slug]))
    assert Action.objects.count() == 2
    assert Action.objects.get(title="Publish the booklet").due_date == date(2026, 9, 30)

    # The next file with the same headings goes straight to the check.
    response = import_file(client, council, strategy, csv_upload(OWN_ROWS))
    assert response["Location"] == reverse("strategy_import_confirm", args=[council.slug])
    text = client.get(response["Location"]).content.decode()
    assert "Columns not imported: Ref (column A), Notes (column G)." in text


def test_remembered_choices_are_the_councils_own(officer_a, admin_b):
    strategy = StrategyFactory(council=officer_a.council)
    client = client_for(officer_a)
    import_file(client, officer_a.council, strategy, csv_upload(OWN_ROWS))
    choose_columns(
        client, officer_a.council, ["", "title", "objective", "due_date", "owner", "status", ""]
    )
    other = StrategyFactory(council=admin_b.council)
    response = import_file(client_for(admin_b), admin_b.council, other, csv_upload(OWN_ROWS))
    assert response["Location"] == reverse("strategy_import_columns", args=[admin_b.council.slug])


def test_a_field_chosen_twice_is_refused_and_nothing_changes(officer_a):
    council = officer_a.council
    strategy = StrategyFactory(council=council)
    client = client_for(officer_a)
    import_file(client, council, strategy, csv_upload(OWN_ROWS))
    response = choose_columns(
        client, council, ["title", "title", "objective", "due_date", "owner", "status", ""]
    )
    assert response.status_code == 200
    assert "“Action” is already filled by column A." in response.content.decode()
    from participation.models import ColumnChoice

    assert not ColumnChoice.objects.exists()


def test_one_value_for_every_row_fills_a_required_field_no_column_holds(officer_a):
    council = officer_a.council
    strategy = StrategyFactory(council=council)
    client = client_for(officer_a)
    rows = [["What we will do", "Who"], ["Run a drop-in", "Sam"], ["Publish the booklet", ""]]
    response = import_file(client, council, strategy, csv_upload(rows))
    assert response["Location"].endswith("/import/columns/")
    response = choose_columns(client, council, ["title", "owner"])
    assert "Choose the column that holds “Strategic Priority”, or give one value" in (
        response.content.decode()
    )
    response = choose_columns(
        client,
        council,
        ["title", "owner"],
        every_objective="NT1 Care leavers shall be heard in every review",
        every_due_date="31/03/2027",
    )
    assert response.status_code == 302
    text = client.get(reverse("strategy_import_confirm", args=[council.slug])).content.decode()
    assert "Every action gets the same Strategic Priority" in text
    client.post(reverse("strategy_import_confirm", args=[council.slug]))
    assert {(a.objective.code, a.due_date) for a in Action.objects.all()} == {
        ("NT1", date(2027, 3, 31))
    }
    assert Objective.objects.get().title == "Care leavers shall be heard in every review"


# -- Statuses as at a date ---------------------------------------------------------------------


def test_statuses_are_recorded_at_the_date_they_are_from(officer_a):
    from participation.strategy import selectors

    council = officer_a.council
    strategy = StrategyFactory(
        council=council, period_start=date(2016, 10, 1), period_end=date(2017, 9, 30)
    )
    client = client_for(officer_a)
    response = client.post(
        reverse("strategy_import", args=[council.slug]),
        {"strategy": strategy.pk, "file": csv_upload(seed_rows()), "as_at": "15/12/2016"},
    )
    preview = client.get(response["Location"]).content.decode()
    assert "Their statuses will be recorded as at 15 December 2016." in preview
    client.post(reverse("strategy_import_confirm", args=[council.slug]))
    update = StatusUpdate.objects.order_by("pk").first()
    assert update.at.date() == date(2016, 12, 15)
    action = Action.objects.order_by("pk").first()
    # At the end of December 2016 the plan showed the report's statuses...
    assert selectors.status_of(action, on=date(2016, 12, 31)) == Status.ON_TRACK
    # ...and the quarter-end table has the plan from that quarter, not from the import day.
    history = selectors.strategy_history(strategy=strategy, today=date(2026, 12, 1))
    assert history[0]["end"] == date(2016, 12, 31)
    assert dict(history[0]["counts"])[Status.ON_TRACK] == 12
    assert dict(history[0]["counts"])[Status.OFF_TRACK] == 2


@pytest.mark.parametrize(
    ("as_at", "message"),
    [
        ("31/12/2999", "The statuses cannot be from a date in the future."),
        ("31/12/1999", "Enter a date from 1 January 2000 onwards"),
    ],
)
def test_a_future_or_too_early_date_is_refused(officer_a, as_at, message):
    from participation.models import PendingImport

    strategy = StrategyFactory(council=officer_a.council)
    response = client_for(officer_a).post(
        reverse("strategy_import", args=[officer_a.council.slug]),
        {"strategy": strategy.pk, "file": csv_upload(seed_rows()), "as_at": as_at},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PendingImport.objects.exists()
    assert not Action.objects.exists()


def test_the_service_refuses_a_future_date_too(officer_a):
    from django.core.exceptions import ValidationError

    from participation.strategy import services

    strategy = StrategyFactory(council=officer_a.council)
    rows, _, _ = imports.parse_plan(table_of(seed_rows()))
    with pytest.raises(ValidationError):
        services.plan_import(
            strategy=strategy, actor=officer_a.user, rows=rows, as_at=date(2999, 1, 1)
        )
    assert not Action.objects.exists()


# -- Priorities --------------------------------------------------------------------------------


def test_a_priority_cell_becomes_its_code_and_whole_title():
    long_title = "Care leavers shall " + "be heard in every decision about their lives " * 8
    assert imports.priorities(f"NT1 {long_title}") == [("NT1", long_title.strip())]
    assert imports.priorities("NT1: Care leavers") == [("NT1", "Care leavers")]
    assert imports.priorities("SP 2 SP 3") == [("SP2", ""), ("SP3", "")]
    assert imports.priorities("Priority One") == [("Priority One", "Priority One")]


def test_an_imported_priority_keeps_its_whole_title(officer_a):
    council = officer_a.council
    strategy = StrategyFactory(council=council)
    title = "Care leavers shall " + "be heard in every decision about their lives " * 8
    rows = [
        ["Action", "Strategic Priority", "Date to be Completed", "Also serves"],
        ["Run a drop-in", f"NT1 {title}", "31/03/2027", "NT2"],
    ]
    client = client_for(officer_a)
    import_file(client, council, strategy, csv_upload(rows))
    client.post(reverse("strategy_import_confirm", args=[council.slug]))
    action = Action.objects.get()
    assert action.objective.code == "NT1"
    assert action.objective.title == title.strip() and len(title) > 300
    assert also(action) == ["NT2"]


# -- Owners ------------------------------------------------------------------------------------


def test_owners_match_peoples_names_whatever_the_case_and_spacing(officer_a, manager_a):
    manager_a.user.full_name = "Sam Whitfield"
    manager_a.user.save()
    council = officer_a.council
    strategy = StrategyFactory(council=council)
    rows = [
        ["Action", "Strategic Priority", "Date to be Completed", "Action Owner"],
        ["One", "SP1", "31/03/2027", "  sam   WHITFIELD , Head of Service"],
        ["Two", "SP1", "31/03/2027", "Leah Barton"],
        ["Three", "SP1", "31/03/2027", "leah  barton"],
    ]
    client = client_for(officer_a)
    import_file(client, council, strategy, csv_upload(rows))
    preview = client.get(reverse("strategy_import_confirm", args=[council.slug])).content
    assert "will be kept as names: Leah Barton, leah barton" in preview.decode()
    response = client.post(reverse("strategy_import_confirm", args=[council.slug]))
    assert response["Location"] == reverse("strategy_owners", args=[council.slug])
    assert Action.objects.get(title="One").owner == manager_a
    assert Action.objects.filter(owner__isnull=True).count() == 2


def test_linking_an_unmatched_owner_sets_every_action_with_that_name(officer_a, manager_a):
    from participation.strategy.selectors import action_list, filters_from

    council = officer_a.council
    one = ActionFactory(council=council, owner_name="Leah Barton")
    two = ActionFactory(council=council, owner_name=" leah  BARTON")
    other = ActionFactory(council=council, owner_name="Priya Shah")
    client = client_for(officer_a)
    page = client.get(reverse("strategy_owners", args=[council.slug])).content.decode()
    assert "Leah Barton" in page and "Owner of 2 actions." in page and "Priya Shah" in page

    response = client.post(
        reverse("strategy_owners", args=[council.slug]),
        {"owner_name": "Leah Barton", "membership": manager_a.pk},
    )
    assert response.status_code == 302
    for action in (one, two, other):
        action.refresh_from_db()
    assert one.owner == manager_a and two.owner == manager_a
    assert one.owner_name == "" and other.owner is None
    found = action_list(
        council=council,
        filters=filters_from({"owner": str(manager_a.pk)}),
        today=date(2026, 12, 1),
    )
    assert set(found) == {one, two}
    page = client.get(reverse("strategy_owners", args=[council.slug])).content.decode()
    assert "Leah Barton" not in page


def test_only_officers_of_the_council_link_owners(member_a, admin_a, member_b):
    council = member_a.council
    action = ActionFactory(council=council, owner_name="Leah Barton")
    url = reverse("strategy_owners", args=[council.slug])
    data = {"owner_name": "Leah Barton", "membership": member_a.pk}
    assert client_for(member_a).post(url, data).status_code == 403
    assert client_for(member_b).post(url, data).status_code == 404
    action.refresh_from_db()
    assert action.owner is None and action.owner_name == "Leah Barton"
    assert client_for(admin_a).post(url, data).status_code == 302
    action.refresh_from_db()
    assert action.owner == member_a


def test_a_person_from_another_council_cannot_be_linked(admin_a, member_b):
    council = admin_a.council
    action = ActionFactory(council=council, owner_name="Leah Barton")
    response = client_for(admin_a).post(
        reverse("strategy_owners", args=[council.slug]),
        {"owner_name": "Leah Barton", "membership": member_b.pk},
    )
    assert response.status_code == 200
    assert "Choose a person from the list." in response.content.decode()
    action.refresh_from_db()
    assert action.owner is None


def test_owners_page_queries_do_not_grow(officer_a):
    from tests.factories import MembershipFactory
    from tests.querycount import assert_constant_queries

    council = officer_a.council
    url = reverse("strategy_owners", args=[council.slug])
    client = client_for(officer_a)

    def grow(n):
        for _ in range(n):
            ActionFactory(council=council, owner_name=f"Owner {Action.objects.count()}")
            MembershipFactory(council=council)

    assert_constant_queries(lambda: client.get(url), grow=grow)


def test_columns_page_queries_do_not_grow(officer_a):
    from tests.querycount import assert_constant_queries

    council = officer_a.council
    strategy = StrategyFactory(council=council)
    client = client_for(officer_a)
    url = reverse("strategy_import_columns", args=[council.slug])
    rows = [list(OWN_HEADINGS)]

    def grow(n):
        for _ in range(n):
            rows.append(["1", "Run a drop-in", "SP1", "31/03/2027", "Sam", "Green", "x"])
        import_file(client, council, strategy, csv_upload(rows))

    assert_constant_queries(lambda: client.get(url), grow=grow)


# -- The sample file ---------------------------------------------------------------------------


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_the_sample_file_imports_cleanly(officer_a, format):
    council = officer_a.council
    client = client_for(officer_a)
    sample = client.get(
        reverse("strategy_import_sample", args=[council.slug]) + f"?format={format}"
    )
    assert sample.status_code == 200
    strategy = StrategyFactory(council=council)
    upload = SimpleUploadedFile(f"sample.{format}", sample.content)
    response = import_file(client, council, strategy, upload)
    assert response["Location"].endswith("/import/confirm/")
    client.post(reverse("strategy_import_confirm", args=[council.slug]))
    action = Action.objects.get()
    assert action.title == imports.SAMPLE["title"]
    assert action.objective.code == "SP1" and also(action) == ["SP3"]
    assert action.status == Status.ON_TRACK and action.due_date == date(2027, 3, 31)


def test_headings_and_samples_from_the_file_are_escaped_on_the_columns_page(officer_a):
    council = officer_a.council
    strategy = StrategyFactory(council=council)
    rows = [["<b>Heading</b>", "Action"], ["<script>alert(1)</script>", "Do it"]]
    client = client_for(officer_a)
    import_file(client, council, strategy, csv_upload(rows))
    page = client.get(reverse("strategy_import_columns", args=[council.slug])).content.decode()
    assert "<script>alert(1)</script>" not in page and "<b>Heading</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_an_owner_name_from_a_file_is_escaped_on_the_owners_page(officer_a):
    ActionFactory(council=officer_a.council, owner_name="<img src=x onerror=alert(1)>")
    page = client_for(officer_a).get(reverse("strategy_owners", args=["council-a"]))
    assert "<img src=x" not in page.content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in page.content.decode()


def test_an_action_serving_two_priorities_counts_under_both_and_once_in_the_total(officer_a):
    from participation.strategy import selectors

    council = officer_a.council
    strategy = StrategyFactory(council=council)
    rows = [
        ["Action", "Strategic Priority", "Date to be Completed", "Status"],
        ["Both", "SP1 SP2", "31/03/2099", "Green"],
        ["Only one", "SP1", "31/03/2099", "Amber"],
    ]
    client = client_for(officer_a)
    import_file(client, council, strategy, csv_upload(rows))
    client.post(reverse("strategy_import_confirm", args=[council.slug]))
    data = selectors.dashboard(
        council=council, filters=selectors.ActionFilters(), today=date(2026, 12, 1)
    )
    rows_by_code = {row["objective__code"]: row for row in data["by_objective"]}
    assert rows_by_code["SP1"]["total"] == 2
    assert rows_by_code["SP2"]["total"] == 1 and rows_by_code["SP2"][Status.ON_TRACK] == 1
    assert data["total"] == 2 and data["totals"][Status.ON_TRACK] == 1
    page = client.get(reverse("strategy_dashboard", args=[council.slug])).content.decode()
    assert (
        "An action that serves two priorities is counted under each; the total counts it once."
        in page
    )
    # The row's link lists what the row counts.
    sp2 = Objective.objects.get(code="SP2")
    listed = selectors.action_list(
        council=council, filters=selectors.ActionFilters(objective=sp2.pk), today=date(2026, 12, 1)
    )
    assert [action.title for action in listed] == ["Both"]


def test_the_action_form_sets_the_priorities_it_also_serves(officer_a):
    council = officer_a.council
    action = ActionFactory(council=council, owner_name="Sam")
    other = Objective.objects.create(
        council=council, strategy=action.objective.strategy, code="SP9", title="Ninth"
    )
    response = client_for(officer_a).post(
        reverse("action_edit", args=[council.slug, action.pk]),
        {
            "objective": action.objective.pk,
            "also_serves": [other.pk],
            "title": action.title,
            "owner_name": "Sam",
            "due_date": "31/03/2027",
        },
    )
    assert response.status_code == 302
    assert also(action) == ["SP9"]


def test_another_strategys_priority_cannot_be_also_served(officer_a, admin_b):
    from django.core.exceptions import ValidationError

    from participation.strategy import services

    action = ActionFactory(council=officer_a.council, owner_name="Sam")
    foreign = ActionFactory(council=admin_b.council).objective
    with pytest.raises(ValidationError):
        services.action_update(action=action, actor=officer_a.user, also_serves=[foreign])
    assert also(action) == []


def test_an_unreadable_csv_row_is_a_message_not_a_server_error(officer_a):
    from participation.models import PendingImport

    strategy = StrategyFactory(council=officer_a.council)
    huge = "x" * (csv.field_size_limit() + 1)
    content = f'Action,Strategic Priority,Date to be Completed\n"{huge}",SP1,31/03/2027\n'
    upload = SimpleUploadedFile("plan.csv", content.encode())
    response = import_file(client_for(officer_a), officer_a.council, strategy, upload)
    assert response.status_code == 200
    assert "Row 2 could not be read: a cell is longer than 128 KB." in response.content.decode()
    assert not PendingImport.objects.exists() and not Action.objects.exists()


def test_a_formula_without_a_saved_value_is_named_by_its_cell(officer_a):
    strategy = StrategyFactory(council=officer_a.council)
    rows = [["Action", "Strategic Priority", "Date to be Completed"]] + [
        ["Do it", "SP1", "31/03/2027"] for _ in range(6)
    ]
    rows[6][2] = "=TODAY()+30"
    response = import_file(client_for(officer_a), officer_a.council, strategy, xlsx_upload(rows))
    assert "C7 holds a formula; save the file in Excel first" in response.content.decode()
    assert not Action.objects.exists()
