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
    RecognitionForm,
)
from participation.activities.models import Activity
from participation.audit import record_access
from participation.forms import ColumnMappingForm, apply_errors, posted
from participation.models import ImportKind
from participation.selectors import paginate
from participation.tenancy import council_view

# Activities ---------------------------------------------------------------------------------

SEARCH_COUNT_LIMIT = 1000


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
        # A text search reads every activity's words: counted up to this many only.
        count_limit=SEARCH_COUNT_LIMIT if filters.search else None,
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
    xlsx = request.GET.get("format") == "xlsx"
    record_access(
        request=request, verb="exported", subject="activity", detail="XLSX" if xlsx else "CSV"
    )
    if xlsx:
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
