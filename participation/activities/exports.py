"""CSV and Excel exports of what the activity list's filters show.

The columns are the ones the importer reads, so an export can be imported again unchanged.
"""

from datetime import date
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone

from participation import spreadsheets
from participation.activities.models import (
    AGE_BAND_COUNTS,
    DEFAULT_KINDS,
    DEFAULT_SERVICE_AREAS,
    GROUP_COUNTS,
    LUNDY,
    Activity,
    ActivityKind,
    LadderRung,
    Method,
    ParticipationType,
    ServiceArea,
)

LIST_SEPARATOR = "; "

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


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def activity_row(activity: Activity) -> list:
    """One activity in the import's columns; dates and numbers stay dates and numbers."""
    return [
        activity.title,
        activity.starts_on,
        activity.ends_on,
        activity.get_status_display(),
        activity.kind.name,
        ParticipationType(activity.participation_type).label,
        LadderRung(activity.ladder_rung).label,
        *(_yes_no(getattr(activity, field)) for field, _ in LUNDY),
        LIST_SEPARATOR.join(link.service_area.name for link in activity.area_links.all()),
        LIST_SEPARATOR.join(Method(m).label for m in activity.methods if m in Method.values),
        activity.lead_worker.email if activity.lead_worker else "",
        *(getattr(activity, field) for field, _ in GROUP_COUNTS),
        *(getattr(activity, field) for field, _ in AGE_BAND_COUNTS),
        activity.what_young_people_said,
        activity.what_changed,
        _yes_no(activity.feedback_given),
        activity.feedback_given_on,
        activity.incentive_description,
        activity.incentive_amount,
        LIST_SEPARATOR.join(p.young_person.reference for p in activity.participations.all()),
    ]


def _filename(council) -> str:
    return f"{council.slug}-activities-{timezone.localdate().isoformat()}"


def csv_response(activities, *, council) -> HttpResponse:
    return spreadsheets.response(
        COLUMNS,
        (activity_row(activity) for activity in activities),
        filename_stem=_filename(council),
        xlsx=False,
    )


def xlsx_response(activities, *, council) -> HttpResponse:
    return spreadsheets.response(
        COLUMNS,
        (activity_row(activity) for activity in activities),
        filename_stem=_filename(council),
        xlsx=True,
        sheet_title="Activities",
    )


def sample_rows(*, council) -> list[list]:
    """One example activity in the import's columns, named in this council's own lists, so the
    sample file imports cleanly here."""
    kind = (
        ActivityKind.objects.filter(council=council, is_active=True)
        .order_by("position", "pk")
        .values_list("name", flat=True)
        .first()
    ) or DEFAULT_KINDS[0][0]
    area = (
        ServiceArea.objects.filter(council=council, is_active=True)
        .order_by("name", "pk")
        .values_list("name", flat=True)
        .first()
    ) or DEFAULT_SERVICE_AREAS[0]
    sample = {
        "Title": "Children in Care Council: what good contact feels like",
        "Date": date(2026, 1, 14),
        "End date": None,
        "Status": Activity.Status.DONE.label,
        "Kind": kind,
        "Participation type": ParticipationType.CONSULTATION.label,
        "Hart's ladder rung": LadderRung.CONSULTED_INFORMED.label,
        **{label: _yes_no(True) for _, label in LUNDY},
        "Service areas": area,
        "Methods": Method.FACE_TO_FACE.label,
        "Lead worker email": "",
        **{label: 0 for _, label in GROUP_COUNTS},
        **{f"Aged {band.label.lower()}": 0 for _, band in AGE_BAND_COUNTS},
        "What young people said": "Contact should be somewhere that feels like home",
        "What changed as a result": "Two family rooms were redecorated with young people",
        "Feedback given": _yes_no(True),
        "Feedback date": date(2026, 2, 20),
        "Incentives": "Vouchers",
        "Incentive value": Decimal("10.00"),
        "Young people": "",
    }
    return [[sample[column] for column in COLUMNS]]
