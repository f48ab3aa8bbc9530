"""Reads for retention, erasure and subject access. The job and the forecast page ask the same
`due` selector, so the page shows exactly what the job will do."""

import re
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest, TruncDate

from feedback.models import Answer, Response, SafeguardingAlert
from forums.models import Attendance, ForumMember, Meeting
from lifecycle.models import (
    Erasure,
    PrivacyNotice,
    RecordType,
    RetentionPeriod,
    SubjectAccessExport,
)
from lifecycle.rules import RULES
from participation.activities.models import Activity, Participation, YoungPerson
from participation.models import AuditEvent, Council
from reporting.models import ReportRun


def retention_periods(*, council: Council) -> dict[str, int]:
    """Each record type's period: the council's own, or the default."""
    periods = {record_type: rule.default for record_type, rule in RULES.items()}
    periods.update(
        RetentionPeriod.objects.filter(council=council).values_list("record_type", "period")
    )
    return periods


def _max_of(queryset: QuerySet, field: str):
    return Subquery(queryset.order_by(F(field).desc(nulls_last=True)).values(field)[:1])


def young_people_with_last_contact(*, council: Council) -> QuerySet[YoungPerson]:
    """Young people with `last_contact`: the latest of the record's creation, an activity they
    took part in, a forum meeting they were marked at, a named response, or leaving a forum."""
    person = OuterRef("pk")
    activity = _max_of(
        Participation.objects.filter(council=council, young_person=person), "activity__starts_on"
    )
    meeting = _max_of(
        Attendance.objects.filter(council=council, young_person=person), "meeting__date"
    )
    left = _max_of(ForumMember.objects.filter(council=council, young_person=person), "left_on")
    responded = Subquery(
        Response.objects.filter(council=council, young_person=person)
        .order_by("-submitted_at")
        .annotate(day=TruncDate("submitted_at"))
        .values("day")[:1]
    )
    created = TruncDate("created_at")
    return YoungPerson.objects.filter(council=council).annotate(
        last_contact=Greatest(
            created,
            Coalesce(activity, created),
            Coalesce(meeting, created),
            Coalesce(left, created),
            Coalesce(responded, created),
        )
    )


def _response_identifies(prefix: str = "") -> Q:
    return (
        ~Q(**{f"{prefix}respondent_name": ""})
        | ~Q(**{f"{prefix}contact_details": ""})
        | Q(**{f"{prefix}young_person__isnull": False})
    )


def due(*, council: Council, now: datetime) -> dict[str, QuerySet]:
    """For each record type, the rows whose period has ended by `now` and still hold what the
    period removes. A row once dealt with no longer matches, so a run can stop and continue."""
    periods = retention_periods(council=council)

    def cutoff(record_type):
        return RULES[record_type].cutoff(periods[record_type], now)

    with_alert = Exists(SafeguardingAlert.objects.filter(council=council, response=OuterRef("pk")))
    answer_on_alert = Exists(
        SafeguardingAlert.objects.filter(council=council, response=OuterRef("response"))
    )
    alert_words = Exists(
        Answer.objects.filter(council=council, response=OuterRef("response")).exclude(text="")
    )
    alert_identifies = Exists(
        Response.objects.filter(council=council, pk=OuterRef("response")).filter(
            _response_identifies()
        )
    )
    erased = Exists(Erasure.objects.filter(council=council, young_person=OuterRef("pk")))
    current_member = Exists(
        ForumMember.objects.filter(council=council, young_person=OuterRef("pk"), left_on=None)
    )
    people_cutoff: date = cutoff(RecordType.YOUNG_PEOPLE).date()
    return {
        RecordType.FEEDBACK_RESPONSES: Response.objects.filter(
            council=council, submitted_at__lt=cutoff(RecordType.FEEDBACK_RESPONSES)
        )
        .filter(_response_identifies())
        .exclude(with_alert),
        RecordType.WRITTEN_ANSWERS: Answer.objects.filter(
            council=council,
            response__submitted_at__lt=cutoff(RecordType.WRITTEN_ANSWERS),
        )
        .exclude(text="")
        .exclude(answer_on_alert),
        RecordType.SAFEGUARDING: SafeguardingAlert.objects.filter(
            council=council, created_at__lt=cutoff(RecordType.SAFEGUARDING)
        ).filter(~Q(action_taken="") | alert_words | alert_identifies),
        RecordType.YOUNG_PEOPLE: young_people_with_last_contact(council=council)
        .exclude(erased)
        .exclude(current_member)
        .filter(last_contact__lt=people_cutoff),
        RecordType.AUDIT: AuditEvent.objects.filter(
            council=council, at__lt=cutoff(RecordType.AUDIT)
        ),
        RecordType.REPORT_FILES: ReportRun.objects.filter(council=council)
        .exclude(file="")
        .annotate(made_at=Coalesce("finished_at", "created_at"))
        .filter(made_at__lt=cutoff(RecordType.REPORT_FILES)),
        RecordType.TASK_RESULTS: SubjectAccessExport.objects.filter(
            council=council, created_at__lt=cutoff(RecordType.TASK_RESULTS)
        ).exclude(file=""),
    }


def forecast(*, council: Council, now: datetime) -> list[dict]:
    """What the job will have removed a month from now, by record type."""
    periods = retention_periods(council=council)
    in_a_month = now + relativedelta(months=1)
    rows = []
    for record_type, queryset in due(council=council, now=in_a_month).items():
        rule = RULES[record_type]
        rows.append(
            {
                "record_type": record_type,
                "label": RecordType(record_type).label,
                "count": queryset.count(),
                "period": periods[record_type],
                "unit": rule.unit,
                "what_happens": rule.what_happens,
            }
        )
    return rows


# -- Erasure ------------------------------------------------------------------------------------

NAME_REMOVED = "[name removed]"


def name_pattern(young_person: YoungPerson) -> str | None:
    """A PostgreSQL regular expression for the young person's name as a whole word, or None
    when the name is too short to find safely (it would match inside other words)."""
    name = young_person.preferred_name.strip()
    if len(name) < 2:
        return None
    return r"\m" + re.escape(name) + r"\M"


def python_name_pattern(young_person: YoungPerson) -> re.Pattern | None:
    name = young_person.preferred_name.strip()
    if len(name) < 2:
        return None
    return re.compile(r"\b" + re.escape(name) + r"\b", re.IGNORECASE)


def erasure_of(*, council: Council, young_person: YoungPerson) -> Erasure | None:
    return Erasure.objects.filter(council=council, young_person=young_person).first()


def erasure_targets(*, council: Council, young_person: YoungPerson) -> dict[str, QuerySet]:
    """The rows an erasure changes, by what the confirmation page calls them."""
    pattern = name_pattern(young_person)
    responses = Response.objects.filter(council=council, young_person=young_person)
    targets = {
        "Named feedback responses made anonymous": responses,
    }
    if pattern:
        activities = Activity.objects.filter(
            council=council,
            pk__in=Participation.objects.filter(council=council, young_person=young_person).values(
                "activity"
            ),
        ).filter(Q(what_young_people_said__iregex=pattern) | Q(what_changed__iregex=pattern))
        meetings = Meeting.objects.filter(
            council=council,
            pk__in=Attendance.objects.filter(council=council, young_person=young_person).values(
                "meeting"
            ),
        ).filter(Q(minutes__iregex=pattern) | Q(summary__iregex=pattern))
        answers = Answer.objects.filter(
            council=council, response__in=responses.values("pk"), text__iregex=pattern
        )
        alerts = SafeguardingAlert.objects.filter(
            council=council, response__in=responses.values("pk"), action_taken__iregex=pattern
        )
        targets.update(
            {
                "Written answers with their name in": answers,
                "Activities whose notes name them": activities,
                "Forum meeting minutes or summaries that name them": meetings,
                "Safeguarding notes that name them": alerts,
            }
        )
    return targets


def erasure_preview(*, council: Council, young_person: YoungPerson) -> list[tuple[str, int]]:
    changes = [("Their record: name, reference, date of birth, contact and consent notes", 1)]
    changes += [
        (label, queryset.count())
        for label, queryset in erasure_targets(council=council, young_person=young_person).items()
    ]
    return changes


def kept_after_erasure(*, council: Council, young_person: YoungPerson) -> list[tuple[str, int]]:
    """What stays (without their name), so the figures that count it do not change."""
    return [
        (
            "Activities they took part in",
            Participation.objects.filter(council=council, young_person=young_person).count(),
        ),
        (
            "Forum memberships",
            ForumMember.objects.filter(council=council, young_person=young_person).count(),
        ),
        (
            "Forum meetings they were marked at",
            Attendance.objects.filter(council=council, young_person=young_person).count(),
        ),
    ]


# -- Privacy notice -----------------------------------------------------------------------------


def privacy_notice(*, council: Council) -> dict:
    from lifecycle.notice import default_notice

    notice = PrivacyNotice.objects.filter(council=council).first()
    if notice is None:
        return {**default_notice(council=council), "is_default": True, "changed_at": None}
    return {
        "for_children": notice.for_children,
        "for_adults": notice.for_adults,
        "is_default": False,
        "changed_at": notice.changed_at,
    }
