"""What a subject access export holds about one young person, and its readable PDF.

Only rows that name the person are read, and from each only what is about them: an activity's
title and date but not its notes (which speak of others), a meeting's date but not its minutes,
who acted in the audit trail as "a member of staff"."""

from django.template.loader import render_to_string

from feedback.models import Answer, Response, SafeguardingAlert
from forums.models import Attendance, ForumMember
from participation.activities.models import Participation, YoungPerson
from participation.models import AuditEvent, Council

RECORD_FIELDS = [
    "preferred_name",
    "reference",
    "date_of_birth",
    "age_band",
    "in_care",
    "care_leaver",
    "child_protection",
    "child_in_need",
    "send",
    "uasc",
    "out_of_area",
    "consent_given_by",
    "consent_given_on",
    "consent_for",
    "consent_review_on",
    "contact_by",
    "contact_notes",
    "created_at",
    "updated_at",
]
EQUALITY_FIELDS = ["ethnicity", "gender", "disability"]


def _label(instance, field: str):
    value = getattr(instance, field)
    display = getattr(instance, f"get_{field}_display", None)
    return display() if display and value else value


def collect(*, council: Council, young_person: YoungPerson) -> dict:
    person = young_person
    responses = list(
        Response.objects.filter(council=council, young_person=person)
        .select_related("form")
        .order_by("submitted_at", "pk")
    )
    answers = (
        Answer.objects.filter(council=council, response__in=[r.pk for r in responses])
        .select_related("question")
        .order_by("question__position", "pk")
    )
    by_response: dict[int, list] = {}
    for answer in answers:
        by_response.setdefault(answer.response_id, []).append(
            {
                "question": answer.question.text,
                "number": answer.number,
                "choices": answer.choices,
                "text": answer.text,
            }
        )
    return {
        "record": {
            "id": person.pk,
            **{field: _label(person, field) for field in RECORD_FIELDS},
        },
        "equality": {field: _label(person, field) for field in EQUALITY_FIELDS},
        "activities": [
            {
                "activity": p.activity.title,
                "date": p.activity.starts_on,
                "kind": p.activity.kind.name,
                "participation_type": p.activity.get_participation_type_display(),
                "hours": p.hours,
                "voucher_amount": p.voucher_amount,
                "accreditation": p.accreditation,
            }
            for p in Participation.objects.filter(council=council, young_person=person)
            .select_related("activity__kind")
            .order_by("activity__starts_on", "pk")
        ],
        "forum_memberships": [
            {
                "forum": m.forum.name,
                "role": m.role_label,
                "joined_on": m.joined_on,
                "left_on": m.left_on,
            }
            for m in ForumMember.objects.filter(council=council, young_person=person)
            .select_related("forum")
            .order_by("joined_on", "pk")
        ],
        "forum_attendance": [
            {
                "forum": a.meeting.forum.name,
                "meeting_date": a.meeting.date,
                "status": a.get_status_display(),
            }
            for a in Attendance.objects.filter(council=council, young_person=person)
            .select_related("meeting__forum")
            .order_by("meeting__date", "pk")
        ],
        "feedback": [
            {
                "form": r.form.title,
                "submitted_at": r.submitted_at,
                "name_given": r.respondent_name,
                "contact_details": r.contact_details,
                "wanted_to_talk": r.wants_to_talk,
                "answers": by_response.get(r.pk, []),
            }
            for r in responses
        ],
        "safeguarding_alerts": [
            {
                "raised_at": alert.created_at,
                "reason": alert.get_reason_display(),
                "acknowledged_at": alert.acknowledged_at,
                "what_was_done": alert.action_taken,
            }
            for alert in SafeguardingAlert.objects.filter(
                council=council, response__young_person=person
            ).order_by("created_at", "pk")
        ],
        "audit": [
            {"at": event.at, "what": event.verb, "by": "a member of staff", "detail": ""}
            for event in AuditEvent.objects.filter(
                council=council, subject_type=YoungPerson._meta.model_name, subject_id=person.pk
            ).order_by("at", "pk")
        ],
    }


SECTION_TITLES = {
    "record": "Your record",
    "equality": "Equality information",
    "activities": "Activities you took part in",
    "forum_memberships": "Forums you belong or belonged to",
    "forum_attendance": "Forum meetings",
    "feedback": "Feedback you gave with your name",
    "safeguarding_alerts": "Times your feedback made us check you were safe",
    "audit": "When staff changed your record",
}


def pdf_for(*, council: Council, data: dict) -> bytes:
    from reporting.rendering import render_pdf

    sections = []
    for key, title in SECTION_TITLES.items():
        content = data[key]
        items = [content] if isinstance(content, dict) else content
        sections.append({"title": title, "items": [_readable(item) for item in items]})
    html = render_to_string(
        "lifecycle/subject_access_pdf.html", {"council": council, "sections": sections}
    )
    return render_pdf(html)


def _readable(item: dict) -> list[tuple[str, str]]:
    rows = []
    for key, value in item.items():
        if key == "answers":
            for answer in value:
                given = answer["text"] or ", ".join(answer["choices"]) or answer["number"]
                rows.append((answer["question"], "" if given is None else str(given)))
            continue
        if value in (None, "", []):
            value = "none"
        elif value is True:
            value = "yes"
        elif value is False:
            value = "no"
        rows.append((key.replace("_", " ").capitalize(), str(value)))
    return rows
