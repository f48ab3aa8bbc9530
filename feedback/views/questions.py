from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from feedback import selectors, services
from feedback.forms import (
    QuestionForm,
)
from feedback.views.common import _confirm, _form_url
from participation.forms import apply_errors, posted
from participation.tenancy import council_view

# Questions ----------------------------------------------------------------------------------


@council_view("feedback.build")
@require_http_methods(["GET", "POST"])
def question_add(request, form_id):
    feedback_form = selectors.access_form(council=request.council, pk=form_id)
    form = QuestionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.question_add(form=feedback_form, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Question added.")
            return redirect(_form_url(request, feedback_form))
    return render(
        request,
        "feedback/question_form.html",
        {"form": form, "feedback_form": feedback_form, "question": None},
    )


@council_view("feedback.build")
@require_http_methods(["GET", "POST"])
def question_edit(request, form_id, question_id):
    feedback_form = selectors.access_form(council=request.council, pk=form_id)
    question = selectors.access_question(
        council=request.council, form=feedback_form, pk=question_id
    )
    form = QuestionForm(posted(request), instance=question)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(question=question, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Question saved.")
            return redirect(_form_url(request, feedback_form))
    return render(
        request,
        "feedback/question_form.html",
        {"form": form, "feedback_form": feedback_form, "question": question},
    )


@council_view("feedback.build")
@require_http_methods(["GET", "POST"])
def question_move(request, form_id, question_id):
    feedback_form = selectors.access_form(council=request.council, pk=form_id)
    question = selectors.access_question(
        council=request.council, form=feedback_form, pk=question_id
    )
    if request.method == "POST" and request.POST.get("direction") in ("up", "down"):
        services.question_move(
            question=question, actor=request.user, up=request.POST["direction"] == "up"
        )
        return redirect(_form_url(request, feedback_form) + "#questions")
    return render(
        request,
        "feedback/question_move.html",
        {"feedback_form": feedback_form, "question": question},
    )


@council_view("feedback.build")
@require_http_methods(["GET", "POST"])
def question_delete(request, form_id, question_id):
    feedback_form = selectors.access_form(council=request.council, pk=form_id)
    question = selectors.access_question(
        council=request.council, form=feedback_form, pk=question_id
    )
    if request.method == "POST":
        services.question_delete(question=question, actor=request.user)
        messages.success(request, "Question removed.")
        return redirect(_form_url(request, feedback_form))
    return _confirm(
        request,
        title="Remove this question?",
        explanation=f"“{question.text}” will leave the form. "
        "Answers already given to it are kept with their version.",
        button="Remove",
        warning=True,
        cancel_url=_form_url(request, feedback_form),
    )
