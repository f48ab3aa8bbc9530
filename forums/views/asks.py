from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from forums import selectors, services
from forums.forms import (
    AskAnswerForm,
    AskForm,
)
from participation.forms import apply_errors, posted
from participation.tenancy import council_view

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
