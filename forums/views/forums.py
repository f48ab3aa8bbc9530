from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from forums import selectors, services
from forums.forms import (
    ForumForm,
    ForumMemberAddForm,
    ForumMemberLeaveForm,
    ForumMemberRoleForm,
)
from forums.models import Forum
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
    attendance_rate, rates = selectors.forum_attendance(forum=forum)
    meetings, upcoming = selectors.latest_and_next_meetings(forum=forum)
    current = [m for m in members if m.left_on is None]
    for member in members:
        member.attendance_rate = rates.get(member.young_person_id)
    return render(
        request,
        "forums/forum_detail.html",
        {
            "forum": forum,
            "attendance_rate": attendance_rate,
            "eligibility": selectors.eligibility_warnings(forum=forum, members=current),
            "adults": list(selectors.forum_adults(forum=forum)),
            "work": list(selectors.forum_work(forum=forum)),
            "tor": selectors.terms_of_reference_versions(forum=forum).first(),
            "today": timezone.localdate(),
            "next_meeting": upcoming,
            "meetings": meetings,
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
