from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from feedback import selectors as feedback_selectors
from forums import selectors as forum_selectors
from participation import selectors as core_selectors
from participation import services as core_services
from participation import spreadsheets
from participation.activities import exports, imports, selectors, services
from participation.activities.forms import (
    ActivityFilterForm,
    ActivityForm,
    CohortSizeForm,
    KindAddForm,
    RecognitionForm,
    ServiceAreaAddForm,
    YoungPersonForm,
)
from participation.activities.models import COHORTS, Activity, ActivityKind
from participation.forms import ColumnMappingForm, apply_errors, posted, search_param
from participation.models import ImportKind
from participation.quarters import Quarter, current_quarter
from participation.selectors import paginate
from participation.tenancy import council_view

# Activities ---------------------------------------------------------------------------------


def _query(request):
    """The query string without NUL characters, which PostgreSQL refuses (as search_param does)."""
    query = request.GET.copy()
    for key in query:
        query.setlist(key, [value.replace("\x00", "") for value in query.getlist(key)])
    return query


@council_view("activities.view")
def activity_list(request):
    filter_form = ActivityFilterForm(_query(request), council=request.council)
    filters = filter_form.filters()
    page = paginate(
        selectors.activity_list(council=request.council, filters=filters),
        page=request.GET.get("page"),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "activities/activity_list.html",
        {
            "page": page,
            "filter_form": filter_form,
            "filtered": filters.active,
            "query": query.urlencode(),
        },
    )


def _require_edit(request, activity: Activity) -> None:
    if not selectors.can_edit_activity(membership=request.membership, activity=activity):
        raise PermissionDenied


@council_view("activities.view")
def activity_detail(request, activity_id):
    activity = selectors.access_activity(council=request.council, pk=activity_id)
    meeting = forum_selectors.meeting_for_activity(activity=activity)
    # A forum meeting's activity is changed through its meeting, so it counts once.
    can_edit = meeting is None and selectors.can_edit_activity(
        membership=request.membership, activity=activity
    )
    # Names are for those who may see young people: officers, and the activity's own workers.
    show_people = request.membership.can("young_people.view_all") or can_edit
    participations = selectors.activity_participations(activity=activity)
    return render(
        request,
        "activities/activity_detail.html",
        {
            "activity": activity,
            "service_areas": selectors.activity_service_areas(activity=activity),
            "participations": participations if show_people else None,
            "named_count": participations.count(),
            "can_edit": can_edit,
            "forum_meeting": meeting,
            "you_said_entries": feedback_selectors.you_said_for_activity(
                council=request.council, activity=activity
            ),
        },
    )


def _activity_form_page(request, *, form, activity, heading, submit, cancel_url):
    return render(
        request,
        "activities/activity_form.html",
        {
            "form": form,
            "activity": activity,
            "heading": heading,
            "submit": submit,
            "cancel_url": cancel_url,
        },
    )


@council_view("activities.log")
@require_http_methods(["GET", "POST"])
def activity_create(request):
    form = ActivityForm(
        posted(request),
        council=request.council,
        membership=request.membership,
        initial={
            "status": Activity.Status.DONE,
            "starts_on": timezone.localdate(),
            "lead_worker": request.user.pk,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(
                council=request.council, actor=request.user, **form.service_fields()
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Activity logged.")
            return redirect(
                "activity_detail", council_slug=request.council.slug, activity_id=activity.pk
            )
    return _activity_form_page(
        request,
        form=form,
        activity=None,
        heading="Log an activity",
        submit="Log activity",
        cancel_url=reverse("activity_list", args=[request.council.slug]),
    )


@council_view("activities.log")
@require_http_methods(["GET", "POST"])
def activity_edit(request, activity_id):
    activity = selectors.access_activity(council=request.council, pk=activity_id)
    _require_edit(request, activity)
    initial = ActivityForm.initial_for(
        activity,
        service_areas=selectors.activity_service_areas(activity=activity),
        young_people=[p.young_person for p in selectors.activity_participations(activity=activity)],
    )
    form = ActivityForm(
        posted(request),
        council=request.council,
        membership=request.membership,
        activity=activity,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(activity=activity, actor=request.user, **form.service_fields())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Activity saved.")
            return redirect(
                "activity_detail", council_slug=request.council.slug, activity_id=activity.pk
            )
    return _activity_form_page(
        request,
        form=form,
        activity=activity,
        heading=f"Edit {activity.title}",
        submit="Save changes",
        cancel_url=reverse("activity_detail", args=[request.council.slug, activity.pk]),
    )


@council_view("activities.log")
@require_http_methods(["GET", "POST"])
def activity_duplicate(request, activity_id):
    """Start a new activity from an earlier one: the next session of a group, say."""
    source = selectors.access_activity(council=request.council, pk=activity_id)
    _require_edit(request, source)
    initial = ActivityForm.initial_for(
        source,
        service_areas=selectors.activity_service_areas(activity=source),
        young_people=[p.young_person for p in selectors.activity_participations(activity=source)],
    )
    # What happened belongs to the earlier activity; the new one starts from today.
    initial.update(
        starts_on=timezone.localdate(),
        ends_on=None,
        what_young_people_said="",
        what_changed="",
        feedback_given=False,
        feedback_given_on=None,
        lead_worker=request.user.pk,
    )
    form = ActivityForm(
        posted(request),
        council=request.council,
        membership=request.membership,
        activity=source,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(
                council=request.council, actor=request.user, **form.service_fields()
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Activity logged.")
            return redirect(
                "activity_detail", council_slug=request.council.slug, activity_id=activity.pk
            )
    return _activity_form_page(
        request,
        form=form,
        activity=None,
        heading=f"Log another {source.title}",
        submit="Log activity",
        cancel_url=reverse("activity_detail", args=[request.council.slug, source.pk]),
    )


@council_view("activities.log")
@require_http_methods(["GET", "POST"])
def activity_delete(request, activity_id):
    activity = selectors.access_activity(council=request.council, pk=activity_id)
    _require_edit(request, activity)
    if request.method == "POST":
        try:
            services.activity_delete(activity=activity, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(
                "activity_detail", council_slug=request.council.slug, activity_id=activity.pk
            )
        messages.success(request, "Activity deleted.")
        return redirect("activity_list", council_slug=request.council.slug)
    return render(
        request,
        "participation/confirm.html",
        {
            "title": f"Delete {activity.title}?",
            "explanation": (
                "The activity and the record of who took part in it will be deleted. "
                "This cannot be undone."
            ),
            "button": "Delete activity",
            "warning": True,
            "cancel_url": reverse("activity_detail", args=[request.council.slug, activity.pk]),
        },
    )


@council_view("activities.log")
@require_http_methods(["GET", "POST"])
def participation_edit(request, activity_id, participation_id):
    activity = selectors.access_activity(council=request.council, pk=activity_id)
    _require_edit(request, activity)
    participation = selectors.access_participation(
        council=request.council, activity=activity, pk=participation_id
    )
    form = RecognitionForm(
        posted(request),
        initial={
            "hours": participation.hours,
            "voucher_amount": participation.voucher_amount,
            "accreditation": participation.accreditation,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.participation_update(
                participation=participation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Recognition saved.")
            return redirect(
                "activity_detail", council_slug=request.council.slug, activity_id=activity.pk
            )
    return render(
        request,
        "activities/recognition_form.html",
        {"form": form, "activity": activity, "participation": participation},
    )


@council_view("activities.export")
def activity_export(request):
    filters = ActivityFilterForm(_query(request), council=request.council).filters()
    rows = selectors.activity_export_rows(council=request.council, filters=filters)
    if request.GET.get("format") == "xlsx":
        return exports.xlsx_response(rows, council=request.council)
    return exports.csv_response(rows, council=request.council)


@council_view("activities.import")
def activity_import_sample(request):
    """An example activity in the columns the import reads, written by the shared writer."""
    return spreadsheets.response(
        exports.COLUMNS,
        exports.sample_rows(council=request.council),
        filename_stem="heard-activities-sample",
        xlsx=request.GET.get("format") == "xlsx",
        sheet_title="Activities",
    )


IMPORT_SESSION_KEY = "activities_import"
IMPORT_KIND = ImportKind.ACTIVITIES


def _show_errors(form, errors) -> None:
    for error in errors[:50]:
        form.add_error(None, error)
    if len(errors) > 50:
        form.add_error(None, f"And {len(errors) - 50} more problems.")


def _import(request, form, rows):
    try:
        created = len(
            services.activities_import(council=request.council, actor=request.user, rows=rows)
        )
    except ValidationError as error:
        apply_errors(form, error)
        return None
    messages.success(request, f"{created} activit{'y' if created == 1 else 'ies'} imported.")
    return redirect("activity_list", council_slug=request.council.slug)


@council_view("activities.import")
@require_http_methods(["GET", "POST"])
def activity_import(request):
    form = imports.ImportForm(posted(request), posted(request, files=True))
    preview = None
    if request.method == "POST" and form.is_valid():
        remembered = core_selectors.column_choices(council=request.council, kind=IMPORT_KIND)
        if form.cleaned_data.get("file"):
            # A new file whose headings are not all known goes to choosing its columns.
            try:
                sheet = spreadsheets.read(
                    data=form.file_bytes(), filename=form.filename(), max_rows=imports.MAX_ROWS
                )
            except spreadsheets.SpreadsheetError:
                sheet = None  # read() below reports it
            if sheet is not None:
                found, unknown = imports.column_map(sheet.headings, remembered)
                if unknown or imports.missing_columns(found):
                    pending = core_services.pending_import_create(
                        council=request.council,
                        actor=request.user,
                        kind=IMPORT_KIND,
                        filename=form.filename(),
                        data=form.file_bytes(),
                        options={},
                    )
                    request.session[IMPORT_SESSION_KEY] = pending.pk
                    return redirect("activity_import_columns", council_slug=request.council.slug)
        preview = imports.read(
            council=request.council,
            data=form.file_bytes(),
            filename=form.filename(),
            remembered=remembered,
        )
        if preview.errors:
            _show_errors(form, preview.errors)
        elif request.POST.get("confirm") == "yes":
            done = _import(request, form, preview.rows)
            if done:
                return done
    return render(
        request,
        "activities/activity_import.html",
        {"form": form, "preview": preview, "columns": imports.COLUMNS},
    )


def _pending(request):
    return core_selectors.access_pending_import(
        council=request.council,
        user=request.user,
        kind=IMPORT_KIND,
        pk=request.session.get(IMPORT_SESSION_KEY),
    )


@council_view("activities.import")
@require_http_methods(["GET", "POST"])
def activity_import_columns(request):
    """Which column of the council's own file fills which of Heard's columns; remembered."""
    pending = _pending(request)
    if pending is None:
        return render(request, "activities/activity_import_none.html")
    try:
        sheet = spreadsheets.read(
            data=bytes(pending.data), filename=pending.filename, max_rows=imports.MAX_ROWS
        )
    except spreadsheets.SpreadsheetError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("activity_import", council_slug=request.council.slug)
    remembered = core_selectors.column_choices(council=request.council, kind=IMPORT_KIND)
    found, _ = imports.column_map(sheet.headings, remembered)
    form = ColumnMappingForm(
        posted(request),
        table=sheet,
        fields=[(column, column) for column in imports.COLUMNS],
        mapping=found,
    )
    if request.method == "POST" and form.is_valid():
        missing = imports.missing_columns(form.mapping())
        if missing:
            form.add_error(
                None,
                "Choose the columns that hold " + ", ".join(f"“{c}”" for c in missing) + ".",
            )
        else:
            core_services.column_choices_remember(
                council=request.council,
                actor=request.user,
                kind=IMPORT_KIND,
                choices=form.choices_by_heading(imports.normal_heading),
            )
            core_services.pending_import_set_options(pending=pending, mapping=form.mapping())
            return redirect("activity_import_checked", council_slug=request.council.slug)
    return render(
        request,
        "activities/activity_import_columns.html",
        {
            "form": form,
            "filename": pending.filename,
            "row_count": len(sheet.rows),
            "missing": imports.missing_columns(found),
        },
    )


@council_view("activities.import")
@require_http_methods(["GET", "POST"])
def activity_import_checked(request):
    """The preview of a file whose columns were chosen; POST imports it, all or nothing."""
    pending = _pending(request)
    if pending is None or "mapping" not in pending.options:
        return render(request, "activities/activity_import_none.html")
    form = imports.ImportForm()
    mapping = {column: int(index) for column, index in pending.options["mapping"].items()}
    preview = imports.read(
        council=request.council,
        data=bytes(pending.data),
        filename=pending.filename,
        mapping=mapping,
    )
    if preview.errors:
        _show_errors(form, preview.errors)
    elif request.method == "POST":
        done = _import(request, form, preview.rows)
        if done:
            core_services.pending_import_delete(pending=pending)
            request.session.pop(IMPORT_SESSION_KEY, None)
            return done
    sheet = spreadsheets.read(
        data=bytes(pending.data), filename=pending.filename, max_rows=imports.MAX_ROWS
    )
    used = set(mapping.values())
    not_imported = [
        heading or f"Column {sheet.column_letter(index)}"
        for index, heading in enumerate(sheet.headings)
        if index not in used and heading
    ]
    return render(
        request,
        "activities/activity_import.html",
        {
            "form": form,
            "preview": preview,
            "columns": imports.COLUMNS,
            "pending": True,
            "not_imported": not_imported,
        },
    )


# The council's own lists ----------------------------------------------------------------------


@council_view("activities.configure")
@require_http_methods(["GET", "POST"])
def council_lists(request):
    """Kinds of activity and service areas: the council's own lists, seeded with the usual ones."""
    adding = request.POST.get("add") if request.method == "POST" else None
    kind_form = KindAddForm(posted(request) if adding == "kind" else None, prefix="kind")
    area_form = ServiceAreaAddForm(posted(request) if adding == "area" else None, prefix="area")
    form = {"kind": kind_form, "area": area_form}.get(adding)
    if form is not None and form.is_valid():
        try:
            if adding == "kind":
                item = services.activity_kind_add(
                    council=request.council, actor=request.user, **form.cleaned_data
                )
            else:
                item = services.service_area_add(
                    council=request.council, actor=request.user, **form.cleaned_data
                )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{item.name} added.")
            return redirect("council_lists", council_slug=request.council.slug)
    return render(
        request,
        "activities/council_lists.html",
        {
            "kinds": ActivityKind.objects.filter(council=request.council),
            "areas": selectors.service_areas(council=request.council, everything=True),
            "kind_form": kind_form,
            "area_form": area_form,
        },
    )


def _list_item_toggle(request, item, *, active: bool):
    back = reverse("council_lists", args=[request.council.slug])
    if request.method == "POST":
        services.council_list_item_set_active(item=item, actor=request.user, active=active)
        messages.success(request, f"{item.name} {'brought back' if active else 'retired'}.")
        return redirect(back)
    return render(
        request,
        "participation/confirm.html",
        {
            "title": f"{'Bring back' if active else 'Retire'} {item.name}?",
            "explanation": (
                "It will be offered again when people log activities."
                if active
                else "It will no longer be offered when people log activities. Activities that "
                "already use it keep it, and you can bring it back."
            ),
            "button": "Bring back" if active else "Retire",
            "warning": not active,
            "cancel_url": back,
        },
    )


@council_view("activities.configure")
@require_http_methods(["GET", "POST"])
def kind_toggle(request, kind_id, active):
    kind = selectors.access_kind(council=request.council, pk=kind_id)
    return _list_item_toggle(request, kind, active=active)


@council_view("activities.configure")
@require_http_methods(["GET", "POST"])
def service_area_toggle(request, area_id, active):
    area = selectors.access_service_area(council=request.council, pk=area_id)
    return _list_item_toggle(request, area, active=active)


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
    timeline = selectors.young_person_timeline(young_person=person)
    page = paginate(timeline, page=request.GET.get("page"), per_page=TIMELINE_PAGE)
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


# Reach --------------------------------------------------------------------------------------


def _quarter(request) -> Quarter:
    return Quarter.parse(
        request.GET.get("quarter", ""),
        default=current_quarter(council=request.council, today=timezone.localdate()),
    )


@council_view("reach.view")
def reach(request):
    quarter = _quarter(request)
    return render(
        request,
        "activities/reach.html",
        {
            "reach": selectors.reach(council=request.council, quarter=quarter),
            "quarter": quarter,
        },
    )


@council_view("reach.cohorts")
@require_http_methods(["GET", "POST"])
def cohort_sizes(request):
    quarter = _quarter(request)
    form = CohortSizeForm(
        posted(request),
        initial=selectors.cohort_sizes(council=request.council, quarter=quarter),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.cohort_sizes_set(
                council=request.council,
                actor=request.user,
                quarter=quarter,
                sizes=form.cleaned_data,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Cohort sizes for {quarter.short_label} saved.")
            return redirect(f"{reverse('reach', args=[request.council.slug])}?quarter={quarter}")
    return render(request, "activities/cohort_sizes.html", {"form": form, "quarter": quarter})
