from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from forums import selectors, services
from forums.forms import (
    ForumAdultForm,
    ForumMemberLeaveForm,
)
from participation.forms import apply_errors, posted
from participation.tenancy import council_view

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
