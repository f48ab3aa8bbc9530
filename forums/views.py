from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from forums import selectors, services
from forums.forms import ForumForm
from forums.models import Forum
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
    return render(request, "forums/forum_detail.html", {"forum": forum})


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
