"""CSV and Excel exports of what the activity list's filters show.

The columns are the ones the importer reads, so an export can be imported again unchanged.
"""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from participation.activities.models import (
    AGE_BAND_COUNTS,
    GROUP_COUNTS,
    LUNDY,
    Activity,
    LadderRung,
    Method,
    ParticipationType,
)

LIST_SEPARATOR = "; "
# A cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = [
    "Title",
    "Date",
    "End date",
    "Status",
    "Kind",
    "Participation type",
    "Hart's ladder rung",
    *(label for _, label in LUNDY),
    "Service areas",
    "Methods",
    "Lead worker email",
    *(label for _, label in GROUP_COUNTS),
    *(f"Aged {band.label.lower()}" for _, band in AGE_BAND_COUNTS),
    "What young people said",
    "What changed as a result",
    "Feedback given",
    "Feedback date",
    "Incentives",
    "Incentive value",
    "Young people",
]


def safe_cell(value: str) -> str:
    """Make a text cell inert in Excel; the importer removes the leading apostrophe again."""
    if value and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def activity_row(activity: Activity) -> list[str]:
    cells = [
        activity.title,
        activity.starts_on.isoformat(),
        activity.ends_on.isoformat() if activity.ends_on else "",
        activity.get_status_display(),
        activity.kind.name,
        ParticipationType(activity.participation_type).label,
        LadderRung(activity.ladder_rung).label,
        *(_yes_no(getattr(activity, field)) for field, _ in LUNDY),
        LIST_SEPARATOR.join(link.service_area.name for link in activity.area_links.all()),
        LIST_SEPARATOR.join(Method(m).label for m in activity.methods if m in Method.values),
        activity.lead_worker.email if activity.lead_worker else "",
        *(str(getattr(activity, field)) for field, _ in GROUP_COUNTS),
        *(str(getattr(activity, field)) for field, _ in AGE_BAND_COUNTS),
        activity.what_young_people_said,
        activity.what_changed,
        _yes_no(activity.feedback_given),
        activity.feedback_given_on.isoformat() if activity.feedback_given_on else "",
        activity.incentive_description,
        f"{activity.incentive_amount:.2f}" if activity.incentive_amount is not None else "",
        LIST_SEPARATOR.join(p.young_person.reference for p in activity.participations.all()),
    ]
    return [safe_cell(cell) for cell in cells]


def _filename(council, extension: str) -> str:
    return f"{council.slug}-activities-{timezone.localdate().isoformat()}.{extension}"


def csv_response(activities, *, council) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for activity in activities:
        writer.writerow(activity_row(activity))
    # A byte-order mark so Excel opens the file as UTF-8.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(council, "csv")}"'
    return response


def xlsx_response(activities, *, council) -> HttpResponse:
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = "Activities"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for activity in activities:
        sheet.append(activity_row(activity))
    # openpyxl would store a text cell starting with "=" as a formula; every cell here is text.
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.value is not None:
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(council, "xlsx")}"'
    return response
