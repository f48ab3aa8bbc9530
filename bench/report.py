"""Time and peak memory of the quarterly report PDF against the issue's budget.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/heard_bench .venv/bin/python bench/report.py

Creates a throwaway database, loads the demo data, and renders with the report's own template
and stylesheet: (1) a one-page document, (2) the largest demo council's report for last quarter,
(3) that report with its action list lengthened to about 10 and 40 pages, all by render_pdf
(drawn page by page), and (4) for comparison, the one page and ~40 pages by WeasyPrint's own
whole-document write_pdf (render_pdf_whole). Budget: an N-page
report in at most N times the one-page time; peak memory at 40 pages at most 5 times the one-page
document's. Memory is tracemalloc's peak of Python allocations (WeasyPrint's own work is Python;
the C libraries it calls are not counted).
"""

import io
import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "participation.settings")
os.environ.setdefault("HEARD_TESTING", "true")

import django  # noqa: E402

django.setup()

import copy  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from participation.activities.models import Activity  # noqa: E402
from participation.models import Council  # noqa: E402
from reporting import rendering, selectors  # noqa: E402
from reporting.models import ReportRun  # noqa: E402

# A full page of the report's kind of content (a heading and a table), not an empty page: 27 rows
# fill one A4 page with the report's stylesheet (28 spilled one row onto a second page).
ONE_PAGE = (
    """<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">
<title>One page</title><link rel="stylesheet" href="{css}"></head><body><main>
<h1>One page</h1><p class="running-source">Bench</p><table class="figures"><caption>Rows</caption>
<thead><tr><th>Action</th><th>Owner</th><th>Due</th><th>Status</th></tr></thead><tbody>
"""
    + "".join(
        f"<tr><td>Action {i}</td><td>An owner</td><td>2027-03-31</td><td>On track</td></tr>"
        for i in range(27)
    )
    + "</tbody></table></main></body></html>"
)


def measure(html: str, render=rendering.render_pdf) -> tuple[float, float, int]:
    """Best of three timings without tracemalloc (it slows the run), then one traced run."""
    seconds = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        pdf = render(html)
        seconds = min(seconds, time.perf_counter() - started)
    tracemalloc.start()
    render(html)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 2**20, len(PdfReader(io.BytesIO(pdf)).pages)


def lengthened(run, figures, rows: int) -> str:
    figures = copy.deepcopy(figures)
    plan = figures["sections"]["action_plan"]
    source = plan["actions"] or [
        {
            "objective": "SP1 Bench",
            "title": "An action",
            "owner": "",
            "due": "2027-03-31",
            "status": "On track",
            "status_key": "on_track",
            "before": "",
            "commentary": "",
        }
    ]
    plan["actions"] = [
        dict(source[i % len(source)], objective=f"Objective {i // 25 + 1}") for i in range(rows)
    ]
    plan["empty"] = False
    return rendering.report_html(run=run, figures=figures, for_pdf=True)


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        call_command("demo_data", force=True, stdout=io.StringIO())
        council = max(
            Council.objects.all(),
            key=lambda c: Activity.objects.filter(council=c).count(),
        )
        run = ReportRun.objects.filter(council=council, state=ReportRun.State.FINAL).first()
        quarter = selectors.last_finished_quarter(council=council, today=timezone.localdate())
        started = time.perf_counter()
        figures = selectors.report_figures(council=council, quarter_start=quarter.start)
        figure_seconds = time.perf_counter() - started
        run.sections = list(selectors.SECTION_KEYS)

        one_page = ONE_PAGE.format(css=rendering.STATIC_PREFIX + "reporting/report.css")
        rendering.render_pdf(one_page)
        one = measure(one_page)
        if one[2] != 1:
            raise SystemExit(f"The one-page document is {one[2]} pages: fix ONE_PAGE.")
        real = measure(rendering.report_html(run=run, figures=figures, for_pdf=True))
        results = {"one page": one, f"{council.name} report": real}
        for target in (10, 40):
            rows = 10
            while True:
                html = lengthened(run, figures, rows)
                result = measure(html)
                if result[2] >= target:
                    break
                rows = int(rows * max(1.2, target / max(result[2], 1)))
            results[f"~{target} pages"] = result
        # For comparison, not for the budget: WeasyPrint's own whole-document write_pdf, which
        # render_pdf falls back to (reporting/paged.py draws one page at a time).
        whole = {
            "one page, whole document": measure(one_page, rendering.render_pdf_whole),
            "~40 pages, whole document": measure(html, rendering.render_pdf_whole),
        }
        print(f"Figures for {council.name}, {quarter.label}: {figure_seconds * 1000:.0f} ms")
        print(f"{'document':<40}{'pages':>6}{'seconds':>9}{'peak MiB':>10}{'x time/page':>13}")
        for name, (seconds, peak, pages) in {**results, **whole}.items():
            ratio = seconds / (one[0] * pages)
            print(f"{name:<40}{pages:>6}{seconds:>9.2f}{peak:>10.1f}{ratio:>13.2f}")
        forty = results["~40 pages"]
        print(
            f"Budget: N-page time <= N x one-page: "
            f"{all(s <= p * one[0] for s, _, p in results.values())}; "
            f"40-page peak {forty[1] / one[1]:.1f}x the one-page peak (budget 5x)"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
