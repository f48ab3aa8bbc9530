from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from forums import selectors, services
from forums.forms import (
    AskAnswerForm,
    AskForm,
    ConsultationDecisionForm,
    ConsultationOutcomeForm,
    ConsultationRequestForm,
    ForumAdultForm,
    ForumForm,
    ForumMemberAddForm,
    ForumMemberLeaveForm,
    ForumMemberRoleForm,
    MeetingForm,
    MeetingGuestForm,
    TermsOfReferenceForm,
    VisitorForm,
    WorkItemForm,
)
from forums.models import Attendance, Forum
from participation.activities.selectors import visible_young_people
from participation.forms import apply_errors, posted, search_param
from participation.selectors import paginate
from participation.tenancy import council_view


@council_view("forums.view")
def forum_list(request):
    search = search_param(request)
    audience = request.GET.get("audience", "")
    audience = audience if audience in Forum.Audience.values else ""
    archived = request.GET.get("archived") == "1"
    page = paginate(
        selectors.forum_list(
            council=request.council, search=search, audience=audience, archived=archived
        ),
        page=request.GET.get("page"),
    )
    return render(
        request,
        "forums/forum_list.html",
        {
            "page": page,
            "search": search,
            "audience": audience,
            "archived": archived,
            "audiences": Forum.Audience.choices,
            "filtered": bool(search or audience),
        },
    )


@council_view("forums.view")
def forum_detail(request, forum_id):
    forum = selectors.access_forum(council=request.council, pk=forum_id)
    members = list(selectors.forum_members(forum=forum, membership=request.membership))
    rates = selectors.member_attendance_rates(forum=forum)
    current = [m for m in members if m.left_on is None]
    for member in members:
        member.attendance_rate = rates.get(member.young_person_id)
    return render(
        request,
        "forums/forum_detail.html",
        {
            "forum": forum,
            "attendance_rate": selectors.forum_attendance_rate(forum=forum),
            "eligibility": selectors.eligibility_warnings(forum=forum, members=current),
            "adults": list(selectors.forum_adults(forum=forum)),
            "work": list(selectors.forum_work(forum=forum)),
            "tor": selectors.terms_of_reference_versions(forum=forum).first(),
            "today": timezone.localdate(),
            "next_meeting": selectors.next_meeting(forum=forum),
            "meetings": selectors.forum_meetings(forum=forum)[:12],
            "open_asks": list(selectors.forum_asks(forum=forum, waiting=True)),
            "consultations": selectors.forum_consultations(forum=forum),
            "current_members": [m for m in members if m.left_on is None],
            "past_members": [m for m in members if m.left_on is not None],
            "sees_all_members": request.membership.can("young_people.view_all"),
        },
    )


@council_view("forums.edit")
@require_http_methods(["GET", "POST"])
def forum_create(request):
    form = ForumForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            forum = services.forum_create(
                council=request.council, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{forum.name} added.")
            return redirect("forum_detail", council_slug=request.council.slug, forum_id=forum.pk)
    return render(request, "forums/forum_form.html", {"form": form, "forum": None})


@council_view("forums.edit")
@require_http_methods(["GET", "POST"])
def forum_edit(request, forum_id):
    forum = selectors.access_forum(council=request.council, pk=forum_id)
    form = ForumForm(posted(request), instance=forum)
    if request.method == "POST" and form.is_valid():
        try:
            services.forum_update(forum=forum, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Forum saved.")
            return redirect("forum_detail", council_slug=request.council.slug, forum_id=forum.pk)
    return render(request, "forums/forum_form.html", {"form": form, "forum": forum})


@council_view("forums.edit")
@require_http_methods(["GET", "POST"])
def forum_archive(request, forum_id, archived):
    forum = selectors.access_forum(council=request.council, pk=forum_id)
    detail_url = reverse("forum_detail", args=[request.council.slug, forum.pk])
    if request.method == "POST":
        services.forum_set_archived(forum=forum, actor=request.user, archived=archived)
        if archived:
            messages.success(
                request, f"{forum.name} archived. You can restore it from the archive."
            )
            return redirect("forum_list", council_slug=request.council.slug)
        messages.success(request, f"{forum.name} restored.")
        return redirect(detail_url)
    return render(
        request,
        "participation/confirm.html",
        {
            "title": f"{'Archive' if archived else 'Restore'} {forum.name}?",
            "explanation": (
                "It will leave the list of forums. Nothing is deleted and you can restore it."
                if archived
                else "It will appear in the list of forums again."
            ),
            "button": "Archive" if archived else "Restore",
            "warning": archived,
            "cancel_url": detail_url,
        },
    )


@council_view("forums.edit")
@require_http_methods(["GET", "POST"])
def forum_member_add(request, forum_id):
    forum = selectors.access_forum(council=request.council, pk=forum_id)
    form = ForumMemberAddForm(
        posted(request),
        young_people=visible_young_people(membership=request.membership),
        initial={"joined_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            member = services.forum_member_add(forum=forum, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, f"{member.young_person.preferred_name} added to {forum.name}."
            )
            return redirect("forum_detail", council_slug=request.council.slug, forum_id=forum.pk)
    return render(request, "forums/member_add.html", {"form": form, "forum": forum})


@council_view("forums.edit")
@require_http_methods(["GET", "POST"])
def forum_member_role(request, forum_id, member_id):
    forum = selectors.access_forum(council=request.council, pk=forum_id)
    member = selectors.access_forum_member(forum=forum, pk=member_id)
    form = ForumMemberRoleForm(
        posted(request), initial={"role": member.role, "board": member.board}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.forum_member_change_role(
                member=member, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{member.young_person.preferred_name}'s role saved.")
            return redirect("forum_detail", council_slug=request.council.slug, forum_id=forum.pk)
    return render(
        request, "forums/member_role.html", {"form": form, "forum": forum, "member": member}
    )


@council_view("forums.edit")
@require_http_methods(["GET", "POST"])
def forum_member_leave(request, forum_id, member_id):
    forum = selectors.access_forum(council=request.council, pk=forum_id)
    member = selectors.access_forum_member(forum=forum, pk=member_id)
    form = ForumMemberLeaveForm(posted(request), initial={"left_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.forum_member_leave(
                member=member, actor=request.user, left_on=form.cleaned_data["left_on"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                f"{member.young_person.preferred_name} recorded as having left {forum.name}.",
            )
            return redirect("forum_detail", council_slug=request.council.slug, forum_id=forum.pk)
    return render(
        request, "forums/member_leave.html", {"form": form, "forum": forum, "member": member}
    )


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


# Asks ---------------------------------------------------------------------------------------


def _ask_url(request, ask) -> str:
    return reverse("ask_detail", args=[request.council.slug, ask.forum_id, ask.pk])


def _require_answer(request, ask) -> None:
    if not selectors.can_answer_ask(membership=request.membership, ask=ask):
        raise PermissionDenied


@council_view("forums.edit")
@require_http_methods(["GET", "POST"])
def ask_create(request, forum_id):
    forum = selectors.access_forum(council=request.council, pk=forum_id)
    meetings = selectors.forum_meetings(forum=forum)
    initial = {"raised_on": timezone.localdate()}
    chosen = meetings.filter(pk=request.GET.get("meeting") or None).first()
    if chosen is not None:
        initial.update(meeting=chosen.pk, raised_on=chosen.date)
    form = AskForm(
        posted(request),
        meetings=meetings,
        people=selectors.people_who_can_be_asked(council=request.council),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            ask = services.ask_create(forum=forum, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Ask recorded.")
            return redirect(_ask_url(request, ask))
    return render(request, "forums/ask_form.html", {"form": form, "forum": forum})


@council_view("forums.view")
def ask_detail(request, forum_id, ask_id):
    forum = selectors.access_forum(council=request.council, pk=forum_id)
    ask = selectors.access_ask(forum=forum, pk=ask_id)
    return render(
        request,
        "forums/ask_detail.html",
        {
            "forum": forum,
            "ask": ask,
            "history": list(selectors.ask_history(ask=ask)),
            "can_answer": selectors.can_answer_ask(membership=request.membership, ask=ask),
        },
    )


@council_view("asks.answer")
@require_http_methods(["GET", "POST"])
def ask_answer(request, forum_id, ask_id):
    forum = selectors.access_forum(council=request.council, pk=forum_id)
    ask = selectors.access_ask(forum=forum, pk=ask_id)
    _require_answer(request, ask)
    initial = {"status": ask.status, "response": ask.response} if ask.response else {}
    form = AskAnswerForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            ask = services.ask_answer(ask=ask, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Answer saved.")
            return redirect(_ask_url(request, ask))
    return render(request, "forums/ask_answer.html", {"form": form, "forum": forum, "ask": ask})


@council_view("asks.answer")
def ask_you_said(request, forum_id, ask_id):
    forum = selectors.access_forum(council=request.council, pk=forum_id)
    ask = selectors.access_ask(forum=forum, pk=ask_id)
    _require_answer(request, ask)
    if request.method != "POST":
        return render(
            request,
            "forums/confirm_post.html",
            {
                "title": "Add this ask to 'you said, we did'?",
                "explanation": "The entry is not published yet: tick 'publish' on the ask's "
                "page, or publish it later from 'you said, we did'.",
                "ready": True,
                "hidden": [],
                "button": "Add to 'you said, we did'",
                "cancel_url": _ask_url(request, ask),
            },
        )
    try:
        services.ask_to_you_said(
            ask=ask, actor=request.user, publish=request.POST.get("publish") == "1"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Added to 'you said, we did'.")
    return redirect(_ask_url(request, ask))


@council_view("asks.answer")
def my_asks(request):
    return render(
        request,
        "forums/my_asks.html",
        {
            "waiting": list(selectors.asks_for(membership=request.membership, waiting=True)),
            "answered": list(selectors.asks_for(membership=request.membership, waiting=False)[:50]),
        },
    )


# Requests to consult ------------------------------------------------------------------------


def _consultation_url(request, consultation) -> str:
    return reverse(
        "consultation_detail", args=[request.council.slug, consultation.forum_id, consultation.pk]
    )


@council_view("consultations.request")
@require_http_methods(["GET", "POST"])
def consultation_request_create(request, forum_id):
    forum = selectors.access_forum(council=request.council, pk=forum_id)
    form = ConsultationRequestForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.consultation_request_create(
                forum=forum, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Request sent. The participation officer will let you know.")
            return redirect(_consultation_url(request, consultation))
    return render(request, "forums/consultation_form.html", {"form": form, "forum": forum})


@council_view("consultations.request")
def consultation_detail(request, forum_id, consultation_id):
    forum = selectors.access_forum(council=request.council, pk=forum_id)
    consultation = selectors.access_consultation(forum=forum, pk=consultation_id)
    if not selectors.can_see_consultation(membership=request.membership, request=consultation):
        raise PermissionDenied
    return render(
        request,
        "forums/consultation_detail.html",
        {"forum": forum, "consultation": consultation},
    )


@council_view("forums.edit")
@require_http_methods(["GET", "POST"])
def consultation_decide(request, forum_id, consultation_id):
    forum = selectors.access_forum(council=request.council, pk=forum_id)
    consultation = selectors.access_consultation(forum=forum, pk=consultation_id)
    # Every meeting of the forum is offered; one already held is refused with a reason.
    form = ConsultationDecisionForm(posted(request), meetings=selectors.forum_meetings(forum=forum))
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_decide(
                request=consultation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Decision saved. The person who asked has been told.")
            return redirect(_consultation_url(request, consultation))
    return render(
        request,
        "forums/consultation_decide.html",
        {"form": form, "forum": forum, "consultation": consultation},
    )


@council_view("forums.edit")
@require_http_methods(["GET", "POST"])
def consultation_outcome(request, forum_id, consultation_id):
    forum = selectors.access_forum(council=request.council, pk=forum_id)
    consultation = selectors.access_consultation(forum=forum, pk=consultation_id)
    form = ConsultationOutcomeForm(posted(request), initial={"forum_said": consultation.forum_said})
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_record_outcome(
                request=consultation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Saved and sent back to the person who asked.")
            return redirect(_consultation_url(request, consultation))
    return render(
        request,
        "forums/consultation_outcome.html",
        {"form": form, "forum": forum, "consultation": consultation},
    )


# Adults on a forum ---------------------------------------------------------------------------


@council_view("forums.edit")
@require_http_methods(["GET", "POST"])
def forum_adult_add(request, forum_id):
    from participation.activities.selectors import workers

    forum = selectors.access_forum(council=request.council, pk=forum_id)
    form = ForumAdultForm(
        posted(request),
        staff=workers(council=request.council),
        initial={"joined_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.forum_adult_add(forum=forum, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Adult added to the forum.")
            return redirect("forum_detail", council_slug=request.council.slug, forum_id=forum.pk)
    return render(request, "forums/adult_add.html", {"form": form, "forum": forum})


@council_view("forums.edit")
@require_http_methods(["GET", "POST"])
def forum_adult_leave(request, forum_id, adult_id):
    forum = selectors.access_forum(council=request.council, pk=forum_id)
    adult = selectors.access_forum_adult(forum=forum, pk=adult_id)
    form = ForumMemberLeaveForm(posted(request), initial={"left_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.forum_adult_leave(
                adult=adult, actor=request.user, left_on=form.cleaned_data["left_on"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{adult} recorded as having left {forum.name}.")
            return redirect("forum_detail", council_slug=request.council.slug, forum_id=forum.pk)
    return render(
        request, "forums/adult_leave.html", {"form": form, "forum": forum, "adult": adult}
    )


# Work programme ------------------------------------------------------------------------------


@council_view("forums.edit")
@require_http_methods(["GET", "POST"])
def work_item_edit(request, forum_id, item_id=None):
    forum = selectors.access_forum(council=request.council, pk=forum_id)
    item = selectors.access_work_item(forum=forum, pk=item_id) if item_id else None
    initial = (
        {
            "title": item.title,
            "description": item.description,
            "starts_on": item.starts_on,
            "due_on": item.due_on,
            "status": item.status,
            "objective": item.objective_id,
        }
        if item
        else {}
    )
    form = WorkItemForm(
        posted(request),
        objectives=selectors.objective_choices(council=request.council),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            if item is None:
                services.work_item_create(forum=forum, actor=request.user, **form.cleaned_data)
            else:
                services.work_item_update(item=item, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Work programme saved.")
            return redirect("forum_detail", council_slug=request.council.slug, forum_id=forum.pk)
    return render(
        request, "forums/work_item_form.html", {"form": form, "forum": forum, "item": item}
    )


# Terms of reference -------------------------------------------------------------------------


@council_view("forums.view")
@require_http_methods(["GET", "POST"])
def terms_of_reference(request, forum_id):
    """Every version with its dates; officers add a new one here."""
    forum = selectors.access_forum(council=request.council, pk=forum_id)
    versions = list(selectors.terms_of_reference_versions(forum=forum))
    can_edit = request.membership.can("forums.edit")
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    form = TermsOfReferenceForm(
        posted(request),
        initial={"text": versions[0].text if versions else "", "agreed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = services.terms_of_reference_add(
                forum=forum, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Version {version.version} saved.")
            return redirect(
                "terms_of_reference", council_slug=request.council.slug, forum_id=forum.pk
            )
    return render(
        request,
        "forums/terms_of_reference.html",
        {
            "forum": forum,
            "versions": versions,
            "form": form if can_edit else None,
            "today": timezone.localdate(),
        },
    )


# Calendar feed -------------------------------------------------------------------------------


@council_view("forums.view")
@require_http_methods(["GET", "POST"])
def forum_calendar_link(request, forum_id):
    forum = selectors.access_forum(council=request.council, pk=forum_id)
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_link_revoke(forum=forum, user=request.user)
            messages.success(request, "Calendar link switched off. It no longer works.")
        else:
            services.calendar_link_create(forum=forum, user=request.user)
            messages.success(request, "Your calendar link is ready.")
        return redirect("forum_calendar_link", council_slug=request.council.slug, forum_id=forum.pk)
    link = selectors.live_calendar_link(forum=forum, user=request.user)
    feed_url = (
        request.build_absolute_uri(reverse("forum_calendar_feed", args=[link.token]))
        if link
        else ""
    )
    return render(
        request, "forums/calendar_link.html", {"forum": forum, "link": link, "feed_url": feed_url}
    )


def forum_calendar_feed(request, token):
    """Public by design (calendar apps cannot sign in): the secret link is the key."""
    from django.http import Http404, HttpResponse

    from forums.calendar import forum_calendar

    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    link = selectors.calendar_by_token(token=token)
    if link is None:
        raise Http404("No such calendar.")
    body = forum_calendar(forum=link.forum, meetings=selectors.calendar_meetings(forum=link.forum))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="forum-meetings.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


@council_view("forums.view")
def forum_summary(request, forum_id):
    forum = selectors.access_forum(council=request.council, pk=forum_id)
    try:
        year = int(request.GET["year"]) if request.GET.get("year") else None
    except ValueError:
        year = None
    if year is not None and not 2000 <= year <= timezone.localdate().year + 1:
        year = None
    start, end = selectors.summary_year(year=year)
    return render(
        request,
        "forums/forum_summary.html",
        {
            "forum": forum,
            "summary": selectors.annual_summary(forum=forum, start=start, end=end),
            "previous_year": start.year - 1,
            "next_year": start.year + 1 if end < timezone.localdate() else None,
        },
    )
