from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from feedback import selectors as feedback_selectors
from forums import selectors as forum_selectors
from participation.activities import selectors, services
from participation.activities.forms import (
    YoungPersonForm,
)
from participation.activities.models import COHORTS
from participation.audit import record_access
from participation.forms import apply_errors, posted, search_param
from participation.selectors import paginate
from participation.tenancy import council_view

# Young people -------------------------------------------------------------------------------


@council_view("young_people.view")
def young_person_list(request):
    search = search_param(request)
    cohort = request.GET.get("cohort", "")
    cohort = cohort if cohort in dict(COHORTS) else ""
    page = paginate(
        selectors.young_person_list(membership=request.membership, search=search, cohort=cohort),
        page=request.GET.get("page"),
    )
    return render(
        request,
        "activities/young_person_list.html",
        {
            "page": page,
            "search": search,
            "cohort": cohort,
            "cohorts": COHORTS,
            "filtered": bool(search or cohort),
            "quarters": selectors.participation_by_quarter(council=request.council),
        },
    )


TIMELINE_PAGE = 50


@council_view("young_people.view")
def young_person_detail(request, young_person_id):
    person = selectors.access_young_person(membership=request.membership, pk=young_person_id)
    record_access(request=request, verb="viewed", subject=person)
    timeline = selectors.young_person_timeline(young_person=person)
    page = paginate(
        timeline,
        page=request.GET.get("page"),
        per_page=TIMELINE_PAGE,
        counting=selectors.young_person_timeline_count(young_person=person),
    )
    shown = list(page.object_list)
    # The page's date bounds, so forum and feedback entries fall on exactly one page.
    since = shown[-1].activity.starts_on if shown and page.has_next() else None
    before = (
        timeline.values_list("activity__starts_on", flat=True)[page.start_index() - 2]
        if page.has_previous()
        else None
    )
    forums = list(forum_selectors.young_person_forums(young_person=person))
    feedback = list(feedback_selectors.named_responses(young_person=person))
    return render(
        request,
        "activities/young_person_detail.html",
        {
            "person": person,
            "page": page,
            "entries": selectors.record_timeline(
                participations=shown,
                forum_memberships=forums,
                feedback=feedback,
                since=since,
                before=before,
            ),
            "forums": forums,
            "forum_attendance": forum_selectors.young_person_attendance(young_person=person),
            "quarters": selectors.record_by_quarter(council=request.council, young_person=person),
            "today": timezone.localdate(),
            "age": person.age_on(timezone.localdate()),
        },
    )


@council_view("young_people.edit")
@require_http_methods(["GET", "POST"])
def young_person_create(request):
    form = YoungPersonForm(
        posted(request), show_equality=request.membership.can("young_people.equality")
    )
    if request.method == "POST" and form.is_valid():
        try:
            person = services.young_person_create(
                council=request.council, actor=request.user, **form.service_fields()
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{person.preferred_name} added as {person.reference}.")
            return redirect(
                "young_person_detail",
                council_slug=request.council.slug,
                young_person_id=person.pk,
            )
    return render(request, "activities/young_person_form.html", {"form": form, "person": None})


@council_view("young_people.edit")
@require_http_methods(["GET", "POST"])
def young_person_edit(request, young_person_id):
    person = selectors.access_young_person(membership=request.membership, pk=young_person_id)
    form = YoungPersonForm(
        posted(request),
        initial=YoungPersonForm.initial_for(person),
        show_equality=request.membership.can("young_people.equality"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.young_person_update(
                young_person=person, actor=request.user, **form.service_fields()
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Record saved.")
            return redirect(
                "young_person_detail",
                council_slug=request.council.slug,
                young_person_id=person.pk,
            )
    return render(request, "activities/young_person_form.html", {"form": form, "person": person})


@council_view("young_people.delete")
@require_http_methods(["GET", "POST"])
def young_person_delete(request, young_person_id):
    person = selectors.access_young_person(membership=request.membership, pk=young_person_id)
    if request.method == "POST":
        services.young_person_delete(young_person=person, actor=request.user)
        messages.success(request, "The young person's record was deleted.")
        return redirect("young_person_list", council_slug=request.council.slug)
    taken_part = person.participations.count()
    return render(
        request,
        "participation/confirm.html",
        {
            "title": f"Delete {person.preferred_name}'s record?",
            "explanation": (
                f"Their record and their name on {taken_part} "
                f"activit{'y' if taken_part == 1 else 'ies'} will be deleted. The activities "
                "stay. This cannot be undone."
            ),
            "button": "Delete record",
            "warning": True,
            "cancel_url": reverse("young_person_detail", args=[request.council.slug, person.pk]),
        },
    )
