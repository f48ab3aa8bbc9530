import io

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from feedback import selectors, services
from feedback.forms import (
    FeedbackFormForm,
    TemplateChoiceForm,
)
from feedback.templates_library import TEMPLATES
from feedback.views.common import _confirm, _form_url, _public_url
from participation.forms import apply_errors, posted, search_param
from participation.selectors import paginate
from participation.tenancy import council_view

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
