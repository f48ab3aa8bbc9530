"""Demo forum life for the demo councils: a year of meetings with attendance, asks in every
state, requests to consult, work programme items linked to the demo strategies, and terms of
reference. Written through the services, so the demo obeys the same rules as real use."""

import random
from datetime import date, time, timedelta

from django.utils import timezone

from forums import services
from forums.models import Ask, ConsultationRequest, Forum, ForumMember, Meeting
from participation.models import Council, User
from participation.strategy.models import Objective

ASKS = [
    (
        "Free bus passes for care leavers up to 25.",
        "answered",
        "Care leavers travel free from April.",
    ),
    (
        "A quiet room at the youth hub for homework.",
        "partly_done",
        "Room 4 is quiet on weekdays; weekends next.",
    ),
    (
        "Social workers should not change so often.",
        "not_possible",
        "We cannot promise no changes, but you will meet a new worker before the handover.",
    ),
    ("Pocket money should be the same in every foster home.", "open", ""),
    ("Wi-fi in every children's home.", "open", ""),
]
CONSULTATIONS = [
    ("The new placement sufficiency plan", "submitted", ""),
    ("Leaflet for children coming into care", "accepted", ""),
    ("The local offer for care leavers", "scheduled", ""),
    (
        "Contact centre opening hours",
        "declined",
        "The forum gave its views on contact in the spring.",
    ),
    (
        "Recruiting a new Head of Service",
        "done",
        "They want someone who listens and answers emails.",
    ),
]
WORK = [
    ("Mock inspection of the duty team", "in_progress"),
    ("Review the welcome pack for children coming into care", "planned"),
    ("Train new foster carers with young people", "done"),
]


def load(council: Council, members: dict[str, User]) -> None:
    """Idempotent: a forum that already has meetings is left as it is."""
    rng = random.Random(f"forums-{council.slug}")
    officer, manager = members["officer"], members["manager"]
    practitioner = members["practitioner"]
    today = timezone.localdate()
    objectives = list(Objective.objects.filter(council=council).order_by("pk")[:6])
    forums = Forum.objects.filter(council=council, is_archived=False).order_by("name")[:3]
    for f_index, forum in enumerate(forums):
        if Meeting.objects.filter(council=council, forum=forum).exists():
            continue
        services.terms_of_reference_add(
            forum=forum,
            actor=officer,
            text=f"{forum.name} meets monthly. Members agree the agenda and choose a chair.\n\n"
            "Every ask gets an answer within eight weeks.",
            agreed_on=today - timedelta(days=400),
            review_on=today - timedelta(days=35) if f_index == 0 else today + timedelta(days=200),
        )
        meetings = []
        for month in range(12, 0, -1):
            day = today - timedelta(days=30 * month)
            meeting = services.meeting_create(
                forum=forum,
                actor=officer,
                date=day,
                starts_at=time(17, 30),
                ends_at=time(19),
                place="The Youth Hub" if month % 3 else "",
                online=month % 3 == 0,
                agenda="Welcome\n\nWhat we asked for last time\n\nGuests' questions",
                summary="We talked about what we asked for and heard back from the council.",
            )
            expected = services.meeting_expected_members(meeting=meeting)
            statuses = {
                m.young_person_id: rng.choices(
                    ["present", "apologies", "absent"], weights=[7, 2, 1]
                )[0]
                for m in expected
            }
            if statuses:
                services.attendance_save(
                    meeting=meeting, actor=officer, statuses=statuses, version=0
                )
            meetings.append(meeting)
        services.meeting_guest_add(
            meeting=meetings[-1], actor=officer, name="", role="Director of Children's Services"
        )
        services.meeting_create(
            forum=forum,
            actor=officer,
            date=today + timedelta(days=14),
            starts_at=time(17, 30),
            place="The Youth Hub",
        )
        for a_index, (you_said, status, answer) in enumerate(ASKS):
            meeting = meetings[-1 - a_index * 2]
            ask = services.ask_create(
                forum=forum,
                actor=officer,
                you_said=you_said,
                raised_on=meeting.date,
                meeting=meeting,
                addressed_to=manager if a_index % 2 == 0 else None,
                addressed_to_role="" if a_index % 2 == 0 else "Lead Member for Children",
                due_on=meeting.date + timedelta(days=56),
            )
            if status != Ask.Status.OPEN:
                services.ask_answer(ask=ask, actor=manager, status=status, response=answer)
                if status == Ask.Status.ANSWERED:
                    services.ask_to_you_said(ask=ask, actor=officer, publish=False)
        upcoming = Meeting.objects.filter(council=council, forum=forum, date__gt=today).first()
        for topic, status, said in CONSULTATIONS:
            request = services.consultation_request_create(
                forum=forum,
                actor=practitioner,
                topic=topic,
                reason="What young people say will shape it before it is signed off.",
                needed_by=today + timedelta(days=45),
                format=ConsultationRequest.Format.DISCUSSION,
            )
            if status == "accepted" or status == "done":
                services.consultation_decide(request=request, actor=officer, decision="accept")
            elif status == "scheduled":
                services.consultation_decide(
                    request=request, actor=officer, decision="schedule", meeting=upcoming
                )
            elif status == "declined":
                services.consultation_decide(
                    request=request, actor=officer, decision="decline", decline_reason=said
                )
            if status == "done":
                services.consultation_record_outcome(
                    request=request, actor=officer, forum_said=said
                )
        for w_index, (title, status) in enumerate(WORK):
            services.work_item_create(
                forum=forum,
                actor=officer,
                title=title,
                status=status,
                starts_on=today - timedelta(days=60 * (w_index + 1)),
                due_on=today + timedelta(days=90),
                objective=objectives[(f_index + w_index) % len(objectives)] if objectives else None,
            )
        chair = ForumMember.objects.filter(council=council, forum=forum, role="chair").first()
        if chair is None:
            continue
        services.forum_adult_add(
            forum=forum,
            actor=officer,
            name="Dee Mensah",
            organisation="The advocacy service",
            joined_on=date(today.year - 1, 9, 1),
        )
