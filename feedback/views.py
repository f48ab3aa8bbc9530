import io

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from feedback import public_views, selectors, services
from feedback.forms import (
    ActionForm,
    AttachEvidenceForm,
    ContactForm,
    FeedbackFormForm,
    QuestionForm,
    SafeguardingSettingsForm,
    TemplateChoiceForm,
    ThemesForm,
    YouSaidWeDidForm,
)
from feedback.models import SafeguardingContact
from feedback.templates_library import TEMPLATES
from participation import spreadsheets
from participation.activities.selectors import visible_young_people
from participation.forms import apply_errors, posted, search_param
from participation.selectors import paginate
from participation.strategy import selectors as strategy_selectors
from participation.strategy import services as strategy_services
from participation.tenancy import council_view, get_for_council
from reporting import charts


def _form_url(request, form) -> str:
    return reverse("feedback_form_detail", args=[request.council.slug, form.pk])


def _public_url(request, link) -> str:
    return request.build_absolute_uri(reverse("public_form", args=[link.token])) if link else ""


def _confirm(request, *, title, explanation, button, cancel_url, warning=False):
    return render(
        request,
        "participation/confirm.html",
        {
            "title": title,
            "explanation": explanation,
            "button": button,
            "warning": warning,
            "cancel_url": cancel_url,
        },
    )


# Forms --------------------------------------------------------------------------------------


@council_view("feedback.view")
def form_list(request):
    search = search_param(request)
    status = request.GET.get("status", "")
    status = status if status in ("draft", "live", "closed") else ""
    page = paginate(
        selectors.form_list(council=request.council, search=search, status=status),
        page=request.GET.get("page"),
    )
    return render(
        request,
        "feedback/form_list.html",
        {
            "page": page,
            "search": search,
            "status": status,
            "filtered": bool(search or status),
            "alerts": selectors.alert_counts(council=request.council)
            if selectors.can_see_alerts(request.membership)
            else None,
        },
    )


@council_view("feedback.build")
@require_http_methods(["GET", "POST"])
def form_create(request):
    form = FeedbackFormForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            created = services.form_create(
                council=request.council, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{created.title} created. Now add its questions.")
            return redirect(_form_url(request, created))
    return render(request, "feedback/form_form.html", {"form": form, "feedback_form": None})


@council_view("feedback.build")
@require_http_methods(["GET", "POST"])
def form_from_template(request):
    choices = [(key, spec["title"]) for key, spec in TEMPLATES.items()]
    form = TemplateChoiceForm(posted(request), choices=choices)
    if request.method == "POST" and form.is_valid():
        created = services.form_create_from_template(
            council=request.council, actor=request.user, template_key=form.cleaned_data["template"]
        )
        messages.success(
            request, f"{created.title} created from the template. Check it, then publish it."
        )
        return redirect(_form_url(request, created))
    return render(request, "feedback/template_choose.html", {"form": form, "templates": TEMPLATES})


@council_view("feedback.view")
def form_detail(request, form_id):
    feedback_form = selectors.access_form(council=request.council, pk=form_id)
    version = services.latest_version(feedback_form)
    link = selectors.current_link(form=feedback_form)
    return render(
        request,
        "feedback/form_detail.html",
        {
            "feedback_form": feedback_form,
            "version": version,
            "questions": selectors.questions_of(version),
            "versions": selectors.versions(form=feedback_form),
            "link": link,
            "public_url": _public_url(request, link),
            "qr_svg": segno.make(_public_url(request, link), error="m").svg_inline(
                scale=4, title="QR code for the form"
            )
            if link
            else "",
        },
    )


@council_view("feedback.build")
@require_http_methods(["GET", "POST"])
def form_edit(request, form_id):
    feedback_form = selectors.access_form(council=request.council, pk=form_id)
    form = FeedbackFormForm(posted(request), instance=feedback_form)
    if request.method == "POST" and form.is_valid():
        try:
            services.form_update(form=feedback_form, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Form saved.")
            return redirect(_form_url(request, feedback_form))
    return render(
        request, "feedback/form_form.html", {"form": form, "feedback_form": feedback_form}
    )


@council_view("feedback.build")
@require_http_methods(["GET", "POST"])
def form_publish(request, form_id):
    feedback_form = selectors.access_form(council=request.council, pk=form_id)
    if request.method == "POST":
        try:
            version = services.form_publish(form=feedback_form, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                f"Version {version.number} is published. Young people can use the link now.",
            )
        return redirect(_form_url(request, feedback_form))
    return _confirm(
        request,
        title=f"Publish {feedback_form.title}?",
        explanation="Young people with the link will see these questions. Once someone has "
        "answered, changing a question makes a new version; earlier answers keep theirs.",
        button="Publish",
        cancel_url=_form_url(request, feedback_form),
    )


@council_view("feedback.build")
@require_http_methods(["GET", "POST"])
def form_set_closed(request, form_id, closed):
    feedback_form = selectors.access_form(council=request.council, pk=form_id)
    if request.method == "POST":
        services.form_set_closed(form=feedback_form, actor=request.user, closed=closed)
        messages.success(request, f"{feedback_form.title} {'closed' if closed else 'reopened'}.")
        return redirect(_form_url(request, feedback_form))
    return _confirm(
        request,
        title=f"{'Close' if closed else 'Reopen'} {feedback_form.title}?",
        explanation="The link will show a kind 'this form is closed' page. "
        "Answers already sent are kept."
        if closed
        else "Young people with the link can fill it in again.",
        button="Close the form" if closed else "Reopen the form",
        warning=closed,
        cancel_url=_form_url(request, feedback_form),
    )


@council_view("feedback.build")
@require_http_methods(["GET", "POST"])
def link_replace(request, form_id):
    feedback_form = selectors.access_form(council=request.council, pk=form_id)
    if request.method == "POST":
        services.link_replace(form=feedback_form, actor=request.user)
        messages.success(request, "The old link no longer works. Share the new link or QR code.")
        return redirect(_form_url(request, feedback_form))
    return _confirm(
        request,
        title="Stop the current link working?",
        explanation="Anyone with the old link or QR code will be told it no longer works. "
        "You will get a new link and QR code to share.",
        button="Make a new link",
        warning=True,
        cancel_url=_form_url(request, feedback_form),
    )


@council_view("feedback.view")
def form_qr(request, form_id, kind):
    feedback_form = selectors.access_form(council=request.council, pk=form_id)
    link = selectors.current_link(form=feedback_form)
    if link is None:
        raise Http404("No link.")
    qr = segno.make(_public_url(request, link), error="m")
    buffer = io.BytesIO()
    if kind == "svg":
        qr.save(buffer, kind="svg", scale=10, title=feedback_form.title)
        content_type = "image/svg+xml"
    else:
        qr.save(buffer, kind="png", scale=10)
        content_type = "image/png"
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="feedback-form-{feedback_form.pk}-qr.{kind}"'
    )
    return response


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


# Assisted mode ------------------------------------------------------------------------------


@council_view("feedback.assist")
@require_http_methods(["GET", "POST"])
def form_assist(request, form_id):
    """A practitioner hands a tablet to a young person; the response is recorded as assisted."""
    feedback_form = selectors.access_form(council=request.council, pk=form_id)
    young_people = None
    if not feedback_form.is_anonymous:
        young_people = visible_young_people(membership=request.membership)
    extra = {
        "assisted": True,
        "young_people": list(young_people.order_by("preferred_name", "reference", "pk"))
        if young_people is not None
        else [],
    }
    if not feedback_form.is_open:
        return render(request, "feedback/assist_closed.html", {"feedback_form": feedback_form})
    if request.method == "POST":
        return public_views.submit(
            request,
            form=feedback_form,
            council=request.council,
            assisted_by=request.user,
            template="feedback/assist.html",
            extra=extra,
            young_people=young_people,
        )
    return public_views.render_form(
        request,
        form=feedback_form,
        version=feedback_form.live_version,
        council=request.council,
        template="feedback/assist.html",
        extra=extra,
    )


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


# Safeguarding -------------------------------------------------------------------------------


def _require_alert_access(request):
    if not selectors.can_see_alerts(request.membership):
        raise PermissionDenied


@council_view("feedback.alerts_queue")
def alert_list(request):
    _require_alert_access(request)
    status = request.GET.get("status", "waiting")
    status = status if status in ("waiting", "acknowledged", "all") else "waiting"
    page = paginate(
        selectors.alert_list(council=request.council, status=status), page=request.GET.get("page")
    )
    return render(
        request,
        "feedback/alert_list.html",
        {"page": page, "status": status, "counts": selectors.alert_counts(council=request.council)},
    )


@council_view("feedback.alerts_queue")
@require_http_methods(["GET", "POST"])
def alert_detail(request, alert_id):
    _require_alert_access(request)
    alert = selectors.access_alert(council=request.council, pk=alert_id)
    form = ActionForm(posted(request), initial={"action_taken": alert.action_taken})
    if request.method == "POST":
        if request.POST.get("do") == "acknowledge":
            try:
                services.alert_acknowledge(alert=alert, actor=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, "Alert acknowledged. Record what was done when you can.")
            return redirect("alert_detail", council_slug=request.council.slug, alert_id=alert.pk)
        if form.is_valid():
            try:
                services.alert_record_action(
                    alert=alert, actor=request.user, action_taken=form.cleaned_data["action_taken"]
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "What was done is recorded.")
                return redirect(
                    "alert_detail", council_slug=request.council.slug, alert_id=alert.pk
                )
    return render(
        request,
        "feedback/alert_detail.html",
        {"alert": alert, "answers": selectors.response_answers(alert.response), "form": form},
    )


@council_view("feedback.alerts")
@require_http_methods(["GET", "POST"])
def safeguarding_settings(request):
    found = services.safeguarding_settings(council=request.council)
    posted = request.POST if request.method == "POST" else None
    which = request.POST.get("form") if posted else None
    settings_form = SafeguardingSettingsForm(
        posted if which == "settings" else None, instance=found
    )
    contact_form = ContactForm(posted if which == "contact" else None, council=request.council)
    if which == "settings" and settings_form.is_valid():
        try:
            services.safeguarding_settings_update(
                council=request.council, actor=request.user, **settings_form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(settings_form, error)
        else:
            messages.success(request, "Safeguarding settings saved.")
            return redirect("safeguarding_settings", council_slug=request.council.slug)
    if which == "contact" and contact_form.is_valid():
        try:
            services.contact_add(
                council=request.council,
                actor=request.user,
                membership=contact_form.cleaned_data["membership"],
            )
        except ValidationError as error:
            apply_errors(contact_form, error)
        else:
            messages.success(request, "Safeguarding contact added.")
            return redirect("safeguarding_settings", council_slug=request.council.slug)
    return render(
        request,
        "feedback/safeguarding_settings.html",
        {
            "settings_form": settings_form,
            "contact_form": contact_form,
            "contacts": selectors.contacts(council=request.council),
        },
    )


@council_view("feedback.alerts")
@require_http_methods(["GET", "POST"])
def contact_remove(request, contact_id):
    contact = get_for_council(
        SafeguardingContact.objects.select_related("membership__user"),
        council=request.council,
        pk=contact_id,
    )
    back = reverse("safeguarding_settings", args=[request.council.slug])
    if request.method == "POST":
        services.contact_remove(contact=contact, actor=request.user)
        messages.success(
            request, f"{contact.membership.user.full_name} is no longer a safeguarding contact."
        )
        return redirect(back)
    return _confirm(
        request,
        title=f"Remove {contact.membership.user.full_name} as a safeguarding contact?",
        explanation="They will stop getting alert emails.",
        button="Remove",
        warning=True,
        cancel_url=back,
    )


# You said, we did ---------------------------------------------------------------------------


@council_view("feedback.results")
def you_said_list(request):
    page = paginate(selectors.you_said_list(council=request.council), page=request.GET.get("page"))
    return render(request, "feedback/you_said_list.html", {"page": page})


@council_view("feedback.build")
@require_http_methods(["GET", "POST"])
def you_said_edit(request, entry_id=None):
    entry = selectors.access_you_said(council=request.council, pk=entry_id) if entry_id else None
    if request.method == "POST" and "find_activities" in request.POST:
        # "Search activities": the form again with what was typed and new choices; nothing saved.
        post = request.POST
        initial = {
            key: post.getlist(key) if key == "activities" else post.get(key)
            for key in post
            if key not in ("csrfmiddlewaretoken", "find_activities")
        }
        initial["is_published"] = "is_published" in request.POST
        initial.setdefault("activities", [])
        form = YouSaidWeDidForm(initial=initial, instance=entry, council=request.council)
        return render(request, "feedback/you_said_form.html", {"form": form, "entry": entry})
    form = YouSaidWeDidForm(posted(request), instance=entry, council=request.council)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        fields.pop("activity_search", None)
        try:
            if entry is None:
                entry = services.you_said_create(
                    council=request.council, actor=request.user, **fields
                )
            else:
                services.you_said_update(entry=entry, actor=request.user, **fields)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Saved.")
            return redirect("you_said_detail", request.council.slug, entry.pk)
    return render(request, "feedback/you_said_form.html", {"form": form, "entry": entry})


@council_view("feedback.results")
def you_said_detail(request, entry_id):
    entry = selectors.access_you_said(council=request.council, pk=entry_id)
    evidence = strategy_selectors.evidence_for_record(council=request.council, record=entry)
    return render(
        request,
        "feedback/you_said_detail.html",
        {
            "entry": entry,
            "activities": selectors.you_said_activities(entry=entry),
            "evidence": evidence,
        },
    )


@council_view("strategy.edit")
@require_http_methods(["GET", "POST"])
def you_said_attach(request, entry_id):
    """Attach an entry to a strategy action as evidence (for those who may edit actions)."""
    entry = selectors.access_you_said(council=request.council, pk=entry_id)
    form = AttachEvidenceForm(
        posted(request),
        council=request.council,
        initial={"description": f"You said, we did: {entry}"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            strategy_services.evidence_add(
                action=form.cleaned_data["action"],
                actor=request.user,
                description=form.cleaned_data["description"],
                record=entry,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Attached to the action as evidence.")
            return redirect("you_said_detail", request.council.slug, entry.pk)
    return render(request, "feedback/you_said_attach.html", {"form": form, "entry": entry})
