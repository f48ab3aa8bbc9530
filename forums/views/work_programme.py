from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from forums import selectors, services
from forums.forms import (
    WorkItemForm,
)
from participation.forms import apply_errors, posted
from participation.tenancy import council_view

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
