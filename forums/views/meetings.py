from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from forums import selectors, services
from forums.forms import (
    MeetingForm,
    MeetingGuestForm,
    VisitorForm,
)
from forums.models import Attendance
from participation.activities.selectors import visible_young_people
from participation.forms import apply_errors, posted
from participation.tenancy import council_view

# Meetings ------------------------------------------------------------------------------------


def _meeting_url(request, meeting) -> str:
    return reverse("meeting_detail", args=[request.council.slug, meeting.forum_id, meeting.pk])


@council_view("forums.edit")
@require_http_methods(["GET", "POST"])
def meeting_create(request, forum_id):
    forum = selectors.access_forum(council=request.council, pk=forum_id)
    form = MeetingForm(posted(request), initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(forum=forum, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Meeting recorded, and logged as a participation activity.")
            return redirect(_meeting_url(request, meeting))
    return render(
        request, "forums/meeting_form.html", {"form": form, "forum": forum, "meeting": None}
    )


@council_view("forums.view")
def meeting_detail(request, forum_id, meeting_id):
    forum = selectors.access_forum(council=request.council, pk=forum_id)
    meeting = selectors.access_meeting(forum=forum, pk=meeting_id)
    sees_names = request.membership.can("young_people.view_all")
    return render(
        request,
        "forums/meeting_detail.html",
        {
            "forum": forum,
            "meeting": meeting,
            "counts": selectors.meeting_attendance_counts(meeting=meeting),
            "sheet": selectors.attendance_sheet(meeting=meeting) if sees_names else None,
            "guests": list(meeting.guests.all()),
            "asks": list(selectors.forum_asks(forum=forum).filter(meeting=meeting)),
            "today": timezone.localdate(),
        },
    )


@council_view("forums.edit")
@require_http_methods(["GET", "POST"])
def meeting_edit(request, forum_id, meeting_id):
    forum = selectors.access_forum(council=request.council, pk=forum_id)
    meeting = selectors.access_meeting(forum=forum, pk=meeting_id)
    form = MeetingForm(posted(request), initial=MeetingForm.initial_for(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(meeting=meeting, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Meeting saved.")
            return redirect(_meeting_url(request, meeting))
    return render(
        request, "forums/meeting_form.html", {"form": form, "forum": forum, "meeting": meeting}
    )


@council_view("forums.edit")
@require_http_methods(["GET", "POST"])
def meeting_delete(request, forum_id, meeting_id):
    forum = selectors.access_forum(council=request.council, pk=forum_id)
    meeting = selectors.access_meeting(forum=forum, pk=meeting_id)
    if request.method == "POST":
        services.meeting_delete(meeting=meeting, actor=request.user)
        messages.success(request, "Meeting deleted, with its participation activity.")
        return redirect("forum_detail", council_slug=request.council.slug, forum_id=forum.pk)
    return render(
        request,
        "participation/confirm.html",
        {
            "title": f"Delete the meeting on {meeting.date:%-d %B %Y}?",
            "explanation": (
                "The meeting, its attendance, guests and its participation activity will be "
                "deleted. This cannot be undone."
            ),
            "button": "Delete meeting",
            "warning": True,
            "cancel_url": _meeting_url(request, meeting),
        },
    )


def _posted_statuses(request) -> dict[int, str]:
    statuses = {}
    for key, value in request.POST.items():
        if key.startswith("status-") and key[7:].isdigit():
            statuses[int(key[7:])] = value
    return statuses


@council_view("forums.edit")
@require_http_methods(["GET", "POST"])
def meeting_attendance(request, forum_id, meeting_id):
    """One page, every member, three large choices each: quick to fill in on a tablet."""
    forum = selectors.access_forum(council=request.council, pk=forum_id)
    meeting = selectors.access_meeting(forum=forum, pk=meeting_id)
    error = None
    posted_statuses = {}
    if request.method == "POST":
        posted_statuses = _posted_statuses(request)
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = -1
        try:
            services.attendance_save(
                meeting=meeting, actor=request.user, statuses=posted_statuses, version=version
            )
        except ValidationError as problem:
            error = " ".join(problem.messages)
            meeting.refresh_from_db()
            if "Someone else saved" in error:
                posted_statuses = {}  # show what the other person saved
        else:
            messages.success(request, "Attendance saved.")
            return redirect(_meeting_url(request, meeting))
    sheet = selectors.attendance_sheet(meeting=meeting)
    for line in sheet:
        line.chosen = posted_statuses.get(line.young_person.pk, line.status)
    visitor_form = VisitorForm(
        young_people=visible_young_people(membership=request.membership).exclude(
            pk__in=[line.young_person.pk for line in sheet]
        )
    )
    return render(
        request,
        "forums/meeting_attendance.html",
        {
            "forum": forum,
            "meeting": meeting,
            "sheet": sheet,
            "error": error,
            "statuses": Attendance.Status.choices,
            "visitor_form": visitor_form,
            "is_future": meeting.date > timezone.localdate(),
        },
        status=400 if error else 200,
    )


def _visitor_from_post(request, meeting):
    try:
        return int(request.POST.get("young_person", ""))
    except ValueError:
        return None


VISITOR_WORDS = {
    "add": ("Add {name} as present?", "Add as present"),
    "remove": ("Remove {name} from the list?", "Remove"),
    "join": ("Make {name} a member?", "Make them a member"),
}


def _visitor_confirm(request, meeting, action, attendance_url):
    person = None
    pk = request.GET.get("young_person", "")
    if pk.isdigit():
        person = visible_young_people(membership=request.membership).filter(pk=pk).first()
    title, button = VISITOR_WORDS[action]
    return render(
        request,
        "forums/confirm_post.html",
        {
            "title": title.format(name=person.preferred_name if person else "a young person"),
            "explanation": (
                f"For the meeting on {meeting.date:%-d %B %Y}."
                if person
                else "Choose the young person on the attendance page."
            ),
            "ready": person is not None,
            "hidden": [("young_person", person.pk)] if person else [],
            "button": button,
            "warning": action == "remove",
            "cancel_url": attendance_url,
        },
    )


@council_view("forums.edit")
def attendance_visitor(request, forum_id, meeting_id, action):
    """Add a young person who came but is not a member; remove them; or make them a member."""
    forum = selectors.access_forum(council=request.council, pk=forum_id)
    meeting = selectors.access_meeting(forum=forum, pk=meeting_id)
    attendance_url = reverse(
        "meeting_attendance", args=[request.council.slug, forum.pk, meeting.pk]
    )
    if request.method != "POST":
        # Without JavaScript a link can land here: ask first, never change anything on GET.
        return _visitor_confirm(request, meeting, action, attendance_url)
    young_person_id = _visitor_from_post(request, meeting)
    try:
        if action == "add":
            person = (
                visible_young_people(membership=request.membership)
                .filter(pk=young_person_id)
                .first()
            )
            if person is None:
                raise ValidationError("Choose the young person who came.")
            services.attendance_add_visitor(
                meeting=meeting, actor=request.user, young_person=person
            )
            messages.success(request, f"{person.preferred_name} added as present.")
        elif action == "remove":
            services.attendance_remove_visitor(
                meeting=meeting, actor=request.user, young_person_id=young_person_id
            )
            messages.success(request, "Removed from the list.")
        else:
            member = services.attendance_make_member(
                meeting=meeting, actor=request.user, young_person_id=young_person_id
            )
            messages.success(
                request,
                f"{member.young_person.preferred_name} is now a member of {forum.name}, "
                f"from {meeting.date:%-d %B %Y}.",
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(attendance_url)


@council_view("forums.edit")
@require_http_methods(["GET", "POST"])
def meeting_guest_add(request, forum_id, meeting_id):
    forum = selectors.access_forum(council=request.council, pk=forum_id)
    meeting = selectors.access_meeting(forum=forum, pk=meeting_id)
    form = MeetingGuestForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_guest_add(meeting=meeting, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Guest added.")
            return redirect(_meeting_url(request, meeting))
    return render(
        request, "forums/guest_form.html", {"form": form, "forum": forum, "meeting": meeting}
    )


@council_view("forums.edit")
def meeting_guest_remove(request, forum_id, meeting_id, guest_id):
    forum = selectors.access_forum(council=request.council, pk=forum_id)
    meeting = selectors.access_meeting(forum=forum, pk=meeting_id)
    guest = selectors.access_meeting_guest(meeting=meeting, pk=guest_id)
    if request.method != "POST":
        return render(
            request,
            "forums/confirm_post.html",
            {
                "title": f"Remove {guest} from the guests?",
                "explanation": f"For the meeting on {meeting.date:%-d %B %Y}.",
                "ready": True,
                "hidden": [],
                "button": "Remove guest",
                "warning": True,
                "cancel_url": _meeting_url(request, meeting),
            },
        )
    services.meeting_guest_remove(guest=guest, actor=request.user)
    messages.success(request, "Guest removed.")
    return redirect(_meeting_url(request, meeting))
