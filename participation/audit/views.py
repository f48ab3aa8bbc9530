from django.shortcuts import render
from django.utils import timezone

from participation import spreadsheets
from participation.audit import selectors
from participation.audit.events import record_access
from participation.audit.forms import TrailFilterForm
from participation.selectors import paginate
from participation.tenancy import council_view

PER_PAGE = 50
# The export is for an investigation, not a backup: the newest rows matching the filters.
EXPORT_LIMIT = 10_000
EXPORT_BATCH = 500


def _form(request):
    return TrailFilterForm(request.GET or None, people=selectors.people(council=request.council))


@council_view("audit.view")
def audit_trail(request):
    form = _form(request)
    filters = form.filters()
    page = paginate(
        selectors.trail(council=request.council, filters=filters),
        page=request.GET.get("page"),
        per_page=PER_PAGE,
    )
    return render(
        request,
        "participation/audit_trail.html",
        {
            "form": form,
            "page": page,
            "entries": selectors.entries(page.object_list),
            "filtered": filters.any,
            "export_limit": EXPORT_LIMIT,
        },
    )


def _export_rows(rows):
    for start in range(0, len(rows), EXPORT_BATCH):
        for entry in selectors.entries(rows[start : start + EXPORT_BATCH]):
            yield [
                timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                entry.who,
                entry.who_id or "",
                entry.kind,
                entry.record_type,
                entry.record_id,
                entry.what,
                "; ".join(
                    f"{c.field}: {c.before or '-'} -> {c.after or '-'}" for c in entry.changes
                ),
                entry.request_id,
            ]


@council_view("audit.view")
def audit_trail_export(request):
    filters = _form(request).filters()
    rows = list(selectors.trail(council=request.council, filters=filters)[:EXPORT_LIMIT])
    # The export is itself in the trail, with the filters' ids (no names).
    record_access(
        request=request, verb="exported", subject="audit trail", detail=_describe(filters)
    )
    return spreadsheets.response(
        [
            "When",
            "Who",
            "Person id",
            "Kind",
            "Record type",
            "Record id",
            "What",
            "Changes",
            "Request",
        ],
        _export_rows(rows),
        filename_stem=f"audit-trail-{timezone.localdate():%Y-%m-%d}",
        xlsx=False,
    )


def _describe(filters) -> str:
    parts = [
        f"from {filters.start}" if filters.start else "",
        f"to {filters.end}" if filters.end else "",
        f"person #{filters.person}" if filters.person else "",
        filters.kind,
        filters.record_type,
        f"id {filters.record_id}" if filters.record_id else "",
    ]
    return ", ".join(p for p in parts if p) or "everything"
