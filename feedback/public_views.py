"""The pages young people see, with no account: /f/<token>/ and the "you said, we did" page.

These pages never answer with a server error a child could see: every input is checked, floods
get a kind "try again later" page, and closed or revoked links say so in plain words.
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from feedback import selectors, services
from feedback.models import FormLink, FormVersion
from participation import ratelimit, rls
from participation.models import Council

logger = logging.getLogger(__name__)

HONEYPOT = "website"


RATE_PREFIX = "feedback-rate"


def client_address(request) -> str:
    """The young person's address. Behind N trusted reverse proxies (FEEDBACK_TRUSTED_PROXY_HOPS),
    it is the Nth address from the right of X-Forwarded-For; anything further left could be made
    up by the client, so it is never used."""
    hops = settings.FEEDBACK_TRUSTED_PROXY_HOPS
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if hops > 0 and len(forwarded) >= hops:
        return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")


def _rate_limited(request, link) -> bool:
    """Every post counts against the sender's address (floods from one place); a link is full
    once it has taken its number of accepted submissions in the window, so steps of a
    one-question-per-screen form, mistakes and bots caught by the honeypot do not use it up."""
    window = settings.FEEDBACK_RATE_WINDOW_SECONDS
    by_ip = ratelimit.hit(RATE_PREFIX, f"ip:{client_address(request)}", window=window)
    by_link = ratelimit.seen(RATE_PREFIX, f"link:{link.pk}", window=window)
    return by_ip > settings.FEEDBACK_RATE_PER_IP or by_link >= settings.FEEDBACK_RATE_PER_LINK


def _count_accepted(link) -> None:
    ratelimit.hit(RATE_PREFIX, f"link:{link.pk}", window=settings.FEEDBACK_RATE_WINDOW_SECONDS)


def _too_big(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > settings.FEEDBACK_MAX_BODY_BYTES


def options_for(question) -> list[dict]:
    """Each choice: its value, its words and, on a face scale, which face to draw (1 to 5)."""
    values = question.choice_list()
    if question.kind == question.Kind.FACES:
        return [
            {"value": v, "face": int(v), "label": selectors.FACE_LABELS[int(v)]} for v in values
        ]
    return [{"value": v, "face": None, "label": v} for v in values]


def question_rows(questions, data=None, errors=None) -> list[dict]:
    """What the template needs to draw each question with the answer given so far."""
    data = data or {}
    errors = errors or {}
    rows = []
    for question in questions:
        name = services.field_name(question)
        picked = list(data.getlist(name)) if hasattr(data, "getlist") else []
        rows.append(
            {
                "question": question,
                "name": name,
                "options": options_for(question),
                "picked": picked,
                "value": picked[0] if picked else "",
                "error": errors.get(name),
            }
        )
    return rows


def render_form(
    request,
    *,
    form,
    version,
    council,
    data=None,
    errors=None,
    key=None,
    status=200,
    template="feedback/public_form.html",
    extra=None,
    step=None,
):
    """Draw the form. With one question per screen, `step` is the question shown (0-based); the
    step after the last question is the screen with the talk choice and the Send button; answers
    already given travel in hidden fields, so nothing needs a session or JavaScript."""
    errors = errors or {}
    questions = selectors.questions_of(version)
    if form.one_per_screen and step is None:
        step = 0
    if step is not None:
        step = max(0, min(step, len(questions)))
        here = (
            {services.field_name(questions[step])}
            if step < len(questions)
            else {"name", "contact", "key", "young_person"}
        )
        errors = {k: v for k, v in errors.items() if k in here}
    error_list = [
        {"href": "#answers" if name == "key" else f"#{name}", "text": message}
        for name, message in errors.items()
    ]
    context = {
        "form": form,
        "council": council,
        "rows": question_rows(questions, data, errors),
        "errors": errors,
        "error_list": error_list,
        "key": key or services.new_submission_key(form, version),
        "data": data or {},
        "honeypot": HONEYPOT,
        "contact": selectors.safeguarding_settings(council=council).contact_text,
        "step": step,
        "last_step": len(questions),
        **(extra or {}),
    }
    return render(request, template, context, status=status)


def _step(data) -> int:
    try:
        return int(data.get("step", "0"))
    except (TypeError, ValueError):
        return 0


def render_thanks(request, *, form, council, wants_to_talk: bool, reachable: bool = False):
    return render(
        request,
        "feedback/public_thanks.html",
        {
            "form": form,
            "council": council,
            "wants_to_talk": wants_to_talk,
            # Only promise contact when there is a way to make it.
            "reachable": reachable,
            "contact": selectors.safeguarding_settings(council=council).contact_text,
        },
    )


# No CSRF cookie: a young person has no session or account here, so a forged post could do nothing
# a direct post cannot, and the page works with cookies blocked. The signed one-time key in the
# page stands in for the token. Assisted mode, which runs signed in, keeps CSRF protection.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
@rls.scoped_by_token(FormLink)
def public_form(request, token):
    link = selectors.link_by_token(token)
    if link is None:
        raise Http404("No such form.")
    form = link.form
    council = form.council
    if link.revoked_at is not None:
        return render(request, "feedback/public_gone.html", {"council": council}, status=410)
    if not form.is_open:
        not_open_yet = form.status in ("Draft", "Not open yet")
        context = {"council": council, "form": form, "not_open_yet": not_open_yet}
        return render(request, "feedback/public_closed.html", context)
    if request.method == "GET":
        return render_form(request, form=form, version=form.live_version, council=council)

    if _rate_limited(request, link):
        logger.info("feedback form %s: post refused by rate limit", form.pk)
        return render(request, "feedback/public_busy.html", {"council": council}, status=429)
    if _too_big(request):
        return render(request, "feedback/public_too_big.html", {"council": council}, status=413)
    return submit(
        request,
        form=form,
        council=council,
        assisted_by=None,
        on_accepted=lambda: _count_accepted(link),
    )


def _named_young_person(form, data, young_people):
    """The young person a worker chose in assisted mode: (person or None, error or None)."""
    raw = (data.get("young_person") or "").strip()
    if young_people is None or form.is_anonymous or not raw:
        return None, None
    person = young_people.filter(pk=raw).first() if raw.isdigit() else None
    if person is None:
        return None, "Choose a young person from the list, or leave it empty."
    return person, None


def submit(
    request,
    *,
    form,
    council,
    assisted_by,
    template="feedback/public_form.html",
    extra=None,
    young_people=None,
    on_accepted=None,
):
    data = request.POST
    if data.get(HONEYPOT):
        # Only a program fills a field nobody can see or hear. Look like success, keep nothing.
        logger.info("feedback form %s: post dropped by honeypot", form.pk)
        return render_thanks(request, form=form, council=council, wants_to_talk=False)
    signed = data.get("key", "")
    key = services.read_submission_key(form, signed)
    version = None
    if key is not None:
        version = (
            FormVersion.objects.filter(council=form.council_id, form=form, pk=key[1])
            .exclude(published_at=None)
            .first()
        )
    if key is None or version is None:
        # A page from an old link or a hand-made post: show the answers again with a fresh key.
        return render_form(
            request,
            form=form,
            version=form.live_version,
            council=council,
            data=data,
            errors={
                "key": "Sorry, we could not send that. Check your answers and press Send again."
            },
            status=400,
            template=template,
            extra=extra,
            step=10**6 if form.one_per_screen else None,  # the Send screen
        )
    action = data.get("action", "send")
    common = {
        "form": form,
        "version": version,
        "council": council,
        "data": data,
        "key": signed,
        "template": template,
        "extra": extra,
    }
    if form.one_per_screen and action in ("next", "back"):
        questions = selectors.questions_of(version)
        step = max(0, min(_step(data), len(questions)))
        if action == "back":
            return render_form(request, step=step - 1, **common)
        _, errors = services.clean_answers(questions[step : step + 1], data)
        if errors:
            return render_form(request, step=step, errors=errors, status=400, **common)
        return render_form(request, step=step + 1, **common)
    if action == "talk":
        # The "I want to talk to someone" button on a one-question screen sends at once.
        data = data.copy()
        data["talk"] = "yes"
        common["data"] = data
    young_person, person_error = _named_young_person(form, data, young_people)
    try:
        if person_error:
            raise ValidationError({"young_person": person_error})
        response, created = services.response_submit(
            form=form,
            version=version,
            data=data,
            submission_key=key[0],
            assisted_by=assisted_by,
            young_person=young_person,
        )
    except ValidationError as error:
        errors = {k: v[0] for k, v in error.message_dict.items()}
        step = None
        if form.one_per_screen:
            names = [services.field_name(q) for q in selectors.questions_of(version)]
            step = next((i for i, n in enumerate(names) if n in errors), len(names))
        return render_form(request, errors=errors, status=400, step=step, **common)
    if created and on_accepted is not None:
        on_accepted()
    return render_thanks(
        request,
        form=form,
        council=council,
        wants_to_talk=response.wants_to_talk,
        reachable=bool(
            response.contact_details or response.respondent_name or response.is_assisted
        ),
    )


def you_said_we_did(request, council_slug):
    council = Council.objects.filter(slug=council_slug, is_active=True).first()
    if council is None:
        raise Http404("No such page.")
    # Public by design, and one council's page: its database scope is that council's.
    with rls.council_scope(council):
        entries = selectors.you_said_list(council=council, published_only=True)
        return render(
            request,
            "feedback/you_said_we_did.html",
            {"council": council, "entries": entries, "public": True},
        )
