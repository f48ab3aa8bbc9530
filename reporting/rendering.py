"""Drawing a report: one template for the HTML preview and the PDF, and the PDF itself.

WeasyPrint is given a fetcher that serves only the app's own static files (found on disk by the
static finders) and the council's logo, and refuses every other address, so a report can never
reach the network or read a file it should not.
"""

import logging
import mimetypes
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.css.counters import CounterStyle
from weasyprint.html import UA, UA_FORM_STYLESHEET, UA_STYLESHEET
from weasyprint.urls import URLFetcher, URLFetcherResponse

from reporting import charts, paged
from reporting.models import ReportRun
from reporting.selectors import SECTIONS

# Never resolvable (.invalid is reserved), so relative addresses resolve to something the fetcher
# recognises and nothing leaves the machine.
BASE_URL = "https://report.invalid/"
STATIC_PREFIX = BASE_URL + settings.STATIC_URL.lstrip("/")
MEDIA_PREFIX = BASE_URL + "media/"

logger = logging.getLogger(__name__)


class RefusedAddress(ValueError):
    pass


class StaticOnlyFetcher(URLFetcher):
    def __init__(self, *, media_names=()):
        super().__init__(allowed_protocols=("https",), fail_on_errors=False)
        self.media_names = frozenset(media_names)

    def fetch(self, url, headers=None):
        if url.startswith(STATIC_PREFIX):
            relative = url.removeprefix(STATIC_PREFIX).split("?")[0].split("#")[0]
            if ".." in Path(relative).parts:
                raise RefusedAddress("Report asked for a file outside the static files.")
            found = finders.find(relative)
            if not found:
                raise RefusedAddress("Report asked for a static file that does not exist.")
            return _response(url, Path(found).read_bytes(), relative)
        if url.startswith(MEDIA_PREFIX):
            name = url.removeprefix(MEDIA_PREFIX)
            if name in self.media_names:
                with default_storage.open(name, "rb") as handle:
                    return _response(url, handle.read(), name)
        raise RefusedAddress("Report asked for an address outside the app's own files.")


def _response(url: str, body: bytes, name: str) -> URLFetcherResponse:
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return URLFetcherResponse(url, body=body, headers={"Content-Type": kind})


def _charts(sections: dict) -> dict:
    """The report's charts, drawn from its figures by the one chart renderer."""
    drawn = {}
    if (activity := sections.get("activity")) and not activity["empty"]:
        drawn["by_kind"] = charts.activities_by_kind_chart(
            [(label, n) for label, n in activity["by_kind"]]
        )
    if (plan := sections.get("action_plan")) and plan["objectives"]:
        drawn["by_objective"] = charts.status_chart(
            [(row["label"], row["counts"]) for row in plan["objectives"]],
            title="Actions by status at the end of the quarter, per objective",
        )
    return drawn


def report_context(*, run: ReportRun, figures: dict, for_pdf: bool) -> dict:
    included = [s for s in SECTIONS if s.key in figures["sections"] and s.key in run.sections]
    council = run.council
    logo_url = ""
    if council.logo:
        logo_url = MEDIA_PREFIX + council.logo.name if for_pdf else council.logo.url
    return {
        "run": run,
        "council": council,
        "figures": figures,
        "quarter": figures["quarter"],
        "made_on": date.fromisoformat(figures["made_on"]),
        "sections": [
            {
                "key": s.key,
                "title": s.title,
                "empty_text": s.empty_text,
                "data": figures["sections"][s.key],
                "narrative": run.narratives.get(s.key, ""),
            }
            for s in included
        ],
        "charts": _charts(figures["sections"]),
        "young": figures["sections"].get("young_people"),
        "logo_url": logo_url,
        "for_pdf": for_pdf,
        "stylesheet": (STATIC_PREFIX if for_pdf else settings.STATIC_URL) + "reporting/report.css",
    }


def report_html(
    *, run: ReportRun, figures: dict, for_pdf: bool = False, csp_nonce: str = ""
) -> str:
    """The report's HTML. The browser's preview passes the response's CSP nonce for the one
    inline <style> (the brand colour); WeasyPrint applies no CSP and needs none."""
    template = (
        "reporting/report_young_people.html"
        if run.audience == ReportRun.Audience.YOUNG_PEOPLE
        else "reporting/report.html"
    )
    context = report_context(run=run, figures=figures, for_pdf=for_pdf)
    context["csp_nonce"] = csp_nonce
    return render_to_string(template, context)


# WeasyPrint's user-agent stylesheet gives *every* element six pseudo-element styles (::marker
# and the footnote and note calls and markers), each a computed style WeasyPrint keeps for the
# whole render: in a long report they were about a third of the peak memory. The report has no
# list items and no footnotes, so the report's copy of that stylesheet keeps the rules but aims
# them only where they can apply: markers on list items (the only list-item elements in HTML's
# own stylesheet) and footnotes or notes on elements of class "report-note" (none yet). Every
# other rule is WeasyPrint's own, byte for byte.
UA_EDITS = (
    ("\n::marker {", "\n:is(li, summary)::marker {"),
    ("\n::footnote-call {", "\n.report-note::footnote-call {"),
    ("\n::footnote-marker {", "\n.report-note::footnote-marker {"),
    ("\n::note-call {", "\n.report-note::note-call {"),
    ("\n::note-marker {", "\n.report-note::note-marker {"),
    ("\n::note-callback {", "\n.report-note::note-callback {"),
)


def report_ua_text(ua: str) -> str | None:
    """The user-agent stylesheet with the edits above, or None if WeasyPrint's has changed (then
    the stock one is used, and tests/reporting/test_rendering.py says so)."""
    for old, new in UA_EDITS:
        if ua.count(old) != 1:
            return None
        ua = ua.replace(old, new)
    return ua


_REPORT_UA_TEXT = report_ua_text(UA)
# Its @counter-style rules are already in WeasyPrint's own counter styles (which every document
# copies); a throwaway set takes them here, as a second registration would be refused and logged.
REPORT_UA_STYLESHEET = (
    CSS(string=_REPORT_UA_TEXT, counter_style=CounterStyle())
    if _REPORT_UA_TEXT is not None
    else UA_STYLESHEET
)


class ReportHTML(HTML):
    def _ua_stylesheets(self, forms=False):
        return [REPORT_UA_STYLESHEET, UA_FORM_STYLESHEET] if forms else [REPORT_UA_STYLESHEET]


def _release_layout_styles(document) -> int:
    """Let the cascade go once the pages are laid out, before they are drawn.

    An inline SVG (the report's charts) keeps WeasyPrint's layout context for drawing its text,
    and that context keeps every element's computed styles, including the six pseudo-element
    styles WeasyPrint's user-agent stylesheet gives every element: about a quarter of the peak
    memory of a long report, held while the PDF is written. Drawing needs only the boxes' own
    styles and the context's fonts, so the context's style table is dropped. Returns how many
    contexts were released (0 for a document without SVG)."""
    released = set()
    for page in document.pages:
        for box in page._page_box.descendants():
            context = getattr(getattr(box, "replacement", None), "_context", None)
            if context is not None and id(context) not in released:
                context.style_for = None
                released.add(id(context))
    return len(released)


def _report_html(html: str, media_names) -> ReportHTML:
    return ReportHTML(
        string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher(media_names=media_names)
    )


def render_pdf_whole(html: str, *, media_names=()) -> bytes:
    """The PDF by WeasyPrint's own write_pdf: every page laid out, then drawn, then written."""
    document = _report_html(html, media_names).render(pdf_variant="pdf/ua-1")
    _release_layout_styles(document)
    return document.write_pdf(pdf_variant="pdf/ua-1")


def render_pdf(html: str, *, media_names=()) -> bytes:
    """Tagged PDF/UA-1: headings, tables and the title and language reach screen readers.

    Drawn one page at a time (reporting/paged.py), so a long report's peak memory is about the
    size of its HTML and styles rather than of all its pages; the same pages and text as the
    whole-document render. A document that needs something only the whole-document path does
    is rendered whole."""
    try:
        return paged.write_pdf(_report_html(html, media_names))
    except paged.CannotDrawByPage as reason:
        logger.info("Report PDF rendered as one document: %s", reason)
        return render_pdf_whole(html, media_names=media_names)


def report_pdf(*, run: ReportRun, figures: dict) -> bytes:
    names = [run.council.logo.name] if run.council.logo else []
    return render_pdf(report_html(run=run, figures=figures, for_pdf=True), media_names=names)
