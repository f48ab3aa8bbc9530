"""The PDF renderer's memory measures keep what the PDF shows and how it is tagged."""

import io

from pypdf import PdfReader
from weasyprint import HTML

from reporting import charts, rendering


def _html(body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Charts</title>'
        f'<link rel="stylesheet" href="{rendering.STATIC_PREFIX}reporting/report.css"></head>'
        f"<body><main><h1>Charts</h1>{body}</main></body></html>"
    )


def test_a_chart_is_still_drawn_after_the_layout_styles_are_released():
    chart = charts.bar_chart([("Zzlabel one", 12), ("Zzlabel two", 3)], title="Forms")
    html = _html(f'<figure class="chart">{chart}</figure>')
    document = HTML(
        string=html, base_url=rendering.BASE_URL, url_fetcher=rendering.StaticOnlyFetcher()
    ).render(pdf_variant="pdf/ua-1")
    # WeasyPrint's internals this relies on are still where they were: one chart, one context.
    assert rendering._release_layout_styles(document) == 1
    text = PdfReader(io.BytesIO(document.write_pdf(pdf_variant="pdf/ua-1"))).pages[0]
    assert "Zzlabel one" in text.extract_text()

    reader = PdfReader(io.BytesIO(rendering.render_pdf(html)))
    assert "Zzlabel two" in reader.pages[0].extract_text()
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def test_the_report_user_agent_stylesheet_aims_the_pseudo_element_rules():
    # If WeasyPrint's stylesheet changes, the edits no longer apply and the stock one is used:
    # this fails so the edits are looked at again rather than the memory saving lost silently.
    text = rendering.report_ua_text(rendering.UA)
    assert text is not None
    assert rendering.REPORT_UA_STYLESHEET is not rendering.UA_STYLESHEET
    assert "\n::marker" not in text and ":is(li, summary)::marker {" in text
    # Nothing else changed.
    assert len(text) - len(rendering.UA) == sum(
        len(new) - len(old) for old, new in rendering.UA_EDITS
    )


def test_list_markers_are_drawn_as_with_the_stock_stylesheet():
    html = _html("<ol><li>Zzfirst</li><li>Zzsecond</li></ol><ul><li>Zzbullet</li></ul>")
    stock = HTML(
        string=html, base_url=rendering.BASE_URL, url_fetcher=rendering.StaticOnlyFetcher()
    ).write_pdf(pdf_variant="pdf/ua-1")
    text = PdfReader(io.BytesIO(rendering.render_pdf(html))).pages[0].extract_text()
    assert "1. " in text and "2. " in text and "• " in text
    assert text == PdfReader(io.BytesIO(stock)).pages[0].extract_text()
