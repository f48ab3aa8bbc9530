from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from feedback import selectors, services
from feedback.forms import (
    ThemesForm,
)
from feedback.views.common import _confirm
from participation import spreadsheets
from participation.audit import record_access
from participation.forms import apply_errors, posted, search_param
from participation.selectors import paginate
from participation.tenancy import council_view
from reporting import charts

# Results ------------------------------------------------------------------------------------


def _chosen_version(request, feedback_form, versions):
    wanted = request.GET.get("version", "")
    for version in versions:
        if str(version.number) == wanted:
            return version
    return versions[-1]


@council_view("feedback.results")
def form_results(request, form_id):
    feedback_form = selectors.access_form(council=request.council, pk=form_id)
    versions = selectors.versions(form=feedback_form)
    version = _chosen_version(request, feedback_form, versions)
    results = selectors.results(form=feedback_form, version=version)
    record_access(
        request=request,
        verb="viewed results",
        subject=feedback_form,
        detail=f"version {version.number}",
    )
    for item in results["questions"]:
        if item.get("rows"):
            item["chart"] = charts.answers_chart(item["rows"], question=item["question"].text)
    weekly_chart = charts.weekly_responses_chart(results["weekly"])
    return render(
        request,
        "feedback/results.html",
        {
            "feedback_form": feedback_form,
            "versions": versions,
            "version": version,
            "results": results,
            "weekly_chart": weekly_chart,
            "suppress_below": selectors.SUPPRESS_BELOW,
        },
    )


@council_view("feedback.results")
def scorecard(request):
    return render(
        request,
        "feedback/scorecard.html",
        {
            "scorecard": selectors.principles_scorecard(council=request.council),
            "suppress_below": selectors.SUPPRESS_BELOW,
        },
    )


def _results_file(request, form_id, *, xlsx: bool):
    feedback_form = selectors.access_form(council=request.council, pk=form_id)
    versions = selectors.versions(form=feedback_form)
    version = _chosen_version(request, feedback_form, versions)
    rows = selectors.export_rows(form=feedback_form, version=version)
    headings = next(rows)
    record_access(
        request=request,
        verb="exported answers",
        subject=feedback_form,
        detail=f"version {version.number}, {'XLSX' if xlsx else 'CSV'}",
    )
    return spreadsheets.response(
        headings,
        rows,
        filename_stem=f"feedback-form-{feedback_form.pk}-v{version.number}",
        xlsx=xlsx,
        sheet_title=f"Version {version.number}",
    )


@council_view("feedback.results")
def form_results_xlsx(request, form_id):
    return _results_file(request, form_id, xlsx=True)


@council_view("feedback.results")
def form_results_csv(request, form_id):
    return _results_file(request, form_id, xlsx=False)


@council_view("feedback.results")
def text_answers(request, form_id):
    feedback_form = selectors.access_form(council=request.council, pk=form_id)
    versions = selectors.versions(form=feedback_form)
    version = _chosen_version(request, feedback_form, versions)
    theme = search_param(request, "theme", 80)
    search = search_param(request)
    record_access(
        request=request,
        verb="viewed answers",
        subject=feedback_form,
        detail=f"version {version.number}",
    )
    page = paginate(
        selectors.text_answers(form=feedback_form, version=version, theme=theme, search=search),
        page=request.GET.get("page"),
        counting=None
        if theme or search
        else selectors.text_answer_count(form=feedback_form, version=version),
    )
    return render(
        request,
        "feedback/text_answers.html",
        {
            "feedback_form": feedback_form,
            "versions": versions,
            "version": version,
            "page": page,
            "theme": theme,
            "search": search,
            "themes": selectors.themes(council=request.council),
            "filtered": bool(theme or search),
        },
    )


@council_view("feedback.build")
@require_http_methods(["GET", "POST"])
def answer_themes(request, form_id, answer_id):
    feedback_form = selectors.access_form(council=request.council, pk=form_id)
    answer = selectors.access_answer(council=request.council, form=feedback_form, pk=answer_id)
    initial = ", ".join(answer.themes.order_by("name").values_list("name", flat=True))
    form = ThemesForm(posted(request), initial={"themes": initial})
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_set_themes(answer=answer, actor=request.user, names=form.names())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Themes saved.")
            return redirect(
                reverse("feedback_text_answers", args=[request.council.slug, feedback_form.pk])
                + f"?version={answer.question.version.number}"
            )
    return render(
        request,
        "feedback/answer_themes.html",
        {"form": form, "feedback_form": feedback_form, "answer": answer},
    )


@council_view("feedback.build")
@require_http_methods(["GET", "POST"])
def answer_quote(request, form_id, answer_id):
    # The answer is found (or 404) before anything else; only a POST writes, and a GET (a
    # bookmarked or pasted address) asks to confirm, like every other action.
    feedback_form = selectors.access_form(council=request.council, pk=form_id)
    answer = selectors.access_answer(council=request.council, form=feedback_form, pk=answer_id)
    answers_url = reverse("feedback_text_answers", args=[request.council.slug, feedback_form.pk])
    if request.method == "GET":
        approved = answer.quote_approved_at is not None
        return _confirm(
            request,
            title="Withdraw this answer from reports?" if approved else "Approve for reports?",
            explanation=(
                "It will no longer be quoted in new drafts of the quarterly report."
                if approved
                else "The answer's words may be quoted in the quarterly report, without a name."
            ),
            button="Withdraw from reports" if approved else "Approve for reports",
            cancel_url=f"{answers_url}?version={answer.question.version.number}",
            hidden=[("approved", "no" if approved else "yes")],
        )
    if request.method == "POST":
        approved = request.POST.get("approved") == "yes"
        try:
            services.answer_approve_quote(answer=answer, actor=request.user, approved=approved)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                "Answer approved for reports." if approved else "Answer withdrawn from reports.",
            )
    back = f"?version={answer.question.version.number}"
    page = request.POST.get("page", "")
    if page.isdigit():
        back += f"&page={page}"
    return redirect(answers_url + back)
