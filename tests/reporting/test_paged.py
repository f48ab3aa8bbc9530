"""The report's PDF drawn page by page is the same document as WeasyPrint's whole render: same
pages, same text on each, "Page N of M" right on every page, the same structure tree, tagged
PDF/UA with its title, language and bookmarks. (Its memory is measured in bench/report.py.)"""

import inspect
import io
import logging
from collections import Counter

import weasyprint
from pypdf import PdfReader
from weasyprint.layout import make_margin_boxes
from weasyprint.layout.page import make_all_pages
from weasyprint.pdf import generate_pdf
from weasyprint.pdf.stream import Stream
from weasyprint.pdf.tags import _build_box_tree

from reporting import charts, paged, rendering, selectors
from tests.reporting.factories import make_draft

RUNNING = "Zzcouncil · Participation report · Q2"


def _report_like(rows: int, extra: str = "") -> str:
    """The report's shape: a cover that sets the running header, sections that start a page, a
    chart, a list, a long table with a repeated header row and cells that wrap."""
    chart = charts.bar_chart([("Zzbar one", 12), ("Zzbar two", 3)], title="Forms")
    body = "".join(
        f"<tr><td>Action {i} {'with a longer title that wraps ' * (i % 3)}</td>"
        f"<td>Owner {i}</td><td>2027-03-31</td><td>On track</td></tr>"
        for i in range(rows)
    )
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Zztitle</title>'
        f'<link rel="stylesheet" href="{rendering.STATIC_PREFIX}reporting/report.css"></head>'
        f'<body><main><section class="cover"><p class="running-source">{RUNNING}</p>'
        '<h1 id="top">Zzreport</h1></section>'
        '<section class="report-section"><h2 id="s1">Activity</h2>'
        f'<figure class="chart">{chart}</figure><ol><li>Zzfirst</li><li>Zzsecond</li></ol>'
        "<p>A paragraph. " + "Words that run on. " * 80 + "</p></section>"
        '<section class="report-section"><h2 id="s2">Actions</h2><table class="figures">'
        "<caption>Every action</caption><thead><tr><th>Action</th><th>Owner</th><th>Due</th>"
        f"<th>Status</th></tr></thead><tbody>{body}</tbody></table></section>{extra}"
        "</main></body></html>"
    )


def _texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _elements(reader) -> Counter:
    """Structure elements by type, walked from the root."""
    found, stack = Counter(), [reader.trailer["/Root"]["/StructTreeRoot"]["/K"][0]]
    while stack:
        element = stack.pop().get_object()
        if element.get("/Type") == "/StructElem":
            found[element["/S"]] += 1
            kids = element.get("/K", [])
            if isinstance(kids, list):
                stack.extend(kid for kid in kids if not isinstance(kid, int))
    return found


def test_pages_text_and_page_numbers_are_the_whole_renders():
    html = _report_like(220)
    texts = _texts(paged.write_pdf(rendering._report_html(html, ())))
    assert len(texts) >= 8
    assert texts == _texts(rendering.render_pdf_whole(html))
    total = len(texts)
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {total}" in text
        # The cover shows its own line and no header (@page :first); every other page the
        # running header, once.
        assert text.count(RUNNING) == 1
    assert "Zzbar one" in texts[1] and "1. " in texts[1]
    # Every page of the long table repeats its header row.
    assert all("Action Owner Due Status" in text for text in texts[2:])


def test_it_is_tagged_pdf_ua_with_the_same_structure_as_the_whole_render():
    html = _report_like(120)
    by_page = PdfReader(io.BytesIO(paged.write_pdf(rendering._report_html(html, ()))))
    whole = PdfReader(io.BytesIO(rendering.render_pdf_whole(html)))
    root = by_page.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert str(root["/Lang"]) == "en-GB"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]) is True
    assert by_page.metadata.title == "Zztitle"
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()
    assert [item.title for item in by_page.outline if not isinstance(item, list)] == [
        item.title for item in whole.outline if not isinstance(item, list)
    ]
    assert by_page.trailer["/Root"]["/Names"]["/Dests"] is not None
    assert _elements(by_page) == _elements(whole)
    assert _elements(by_page)["/Table"] >= 2  # one per page the table is on, as WeasyPrint does
    # The parent tree maps every page's marked content to an element on that page.
    nums = root["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    assert [nums[i] for i in range(0, len(nums), 2)] == list(range(len(by_page.pages)))
    for index in range(1, len(nums), 2):
        parents = nums[index].get_object()
        assert parents and all(p.get_object()["/Type"] == "/StructElem" for p in parents)
    for number, page in enumerate(by_page.pages):
        assert page["/StructParents"] == number
        # The page's content, then its running header and number as an artifact.
        main, margins = page["/Contents"]
        assert margins.get_object().get_data().split()[:2] == [b"/Artifact", b"BMC"]
        assert b"/MCID" in main.get_object().get_data()


def test_a_document_it_cannot_draw_by_page_is_rendered_whole(caplog):
    html = _report_like(5, extra='<p style="position: fixed; top: 0">Zzfixed</p>')
    try:
        paged.write_pdf(rendering._report_html(html, ()))
    except paged.CannotDrawByPage:
        pass
    else:
        raise AssertionError("A fixed box should need the whole-document render.")
    with caplog.at_level(logging.INFO, logger="reporting.rendering"):
        texts = _texts(rendering.render_pdf(html))
    assert texts == _texts(rendering.render_pdf_whole(html))
    assert "Zzfixed" in texts[-1] and "rendered as one document" in caplog.text


def test_the_real_report_drawn_by_page_is_the_whole_render(council_a):
    run = make_draft(council_a)
    figures = selectors.report_figures(
        council=council_a,
        quarter_start=run.quarter_start,
        sections=run.sections,
        audience=run.audience,
    )
    html = rendering.report_html(run=run, figures=figures, for_pdf=True)
    # Drawn by page itself, not by the fallback.
    by_page = _texts(paged.write_pdf(rendering._report_html(html, ())))
    assert by_page == _texts(rendering.render_pdf_whole(html))
    assert f"Page 1 of {len(by_page)}" in by_page[0]


def test_the_weasyprint_internals_it_uses_are_where_they_were():
    # reporting/paged.py calls WeasyPrint's layout, drawing and tagging internals directly and
    # copies the end of generate_pdf. On an upgrade, read paged.py against the new
    # weasyprint/layout/__init__.py (layout_document), pdf/__init__.py (generate_pdf) and
    # pdf/tags.py (add_tags), then move this pin.
    assert weasyprint.__version__ == "70.0"
    signatures = {
        make_all_pages: ["context", "root_box", "html", "pages"],
        make_margin_boxes: ["context", "page", "state"],
        _build_box_tree: ["box", "parent", "pdf", "page_number", "nums", "annotations", "tags"],
        generate_pdf: ["document", "target", "zoom", "options"],
    }
    for function, names in signatures.items():
        assert list(inspect.signature(function).parameters) == names, function.__name__
    assert list(inspect.signature(Stream.__init__).parameters)[1:6] == [
        "fonts",
        "page_rectangle",
        "resources",
        "images",
        "tags",
    ]
