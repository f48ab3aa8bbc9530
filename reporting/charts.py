"""The one chart renderer: plain SVG strings that serve the dashboards and the PDF alike.

Charts carry role="img", a <title> and a <desc> that states every figure, so a screen reader hears
the numbers. Pages should still show the figures in a table next to a chart. No JavaScript and no
external fonts, so WeasyPrint draws exactly what the browser draws.
"""

import hashlib
import math
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
TEXT = "#0b0c0c"
GRID = "#b1b4b6"
DEFAULT_COLOUR = "#1d70b8"


@dataclass(frozen=True)
class Segment:
    """One kind of thing in a stacked bar (e.g. a status), with its colour and text colour."""

    key: str
    label: str
    colour: str
    text_colour: str = "#ffffff"
    # A white segment (e.g. "Not started") needs an outline to be seen at all.
    outline: bool = False


def _svg(width: int, height: int, title: str, desc: str, body: list[str]) -> SafeString:
    # Ids must be unique on a page that shows several charts; the same chart gets the same id.
    uid = (
        "chart-" + hashlib.sha1(f"{title}|{desc}".encode(), usedforsecurity=False).hexdigest()[:10]
    )
    # Every piece of text passes through escape(); the result is safe to put in a template.
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{uid}-title {uid}-desc" '
        f'font-family="{escape(FONT)}" font-size="{FONT_SIZE}">',
        f'<title id="{uid}-title">{escape(title)}</title>',
        f'<desc id="{uid}-desc">{escape(desc)}</desc>',
        *body,
        "</svg>",
    ]
    return mark_safe("".join(parts))  # noqa: S308 - all text above is escaped


FONT_SIZE = 14
# SVG text cannot be measured on the server, so widths are estimated from the character count.
# 0.65 em a character is wider than the average of every font in FONT, including DejaVu Sans (the
# widest, and what WeasyPrint falls back to): labels get room to spare rather than cut off.
EM_PER_CHARACTER = 0.65
BOLD_EM_PER_CHARACTER = 0.72
LABEL_GAP = 8


def text_width(text: str, *, font_size: int = FONT_SIZE, bold: bool = False) -> int:
    """A generous estimate of how wide `text` is drawn, in SVG units."""
    per = BOLD_EM_PER_CHARACTER if bold else EM_PER_CHARACTER
    return math.ceil(len(text) * font_size * per)


def _fit(label: str, room: int) -> str:
    """The label, shortened with an ellipsis only if even the widest label space cannot hold it
    (the chart's <desc> and the table beside it keep the full text)."""
    if text_width(label) <= room:
        return label
    keep = max(1, int(room / (FONT_SIZE * EM_PER_CHARACTER)) - 1)
    return label[:keep].rstrip() + "…"


def _label_space(labels: list[str], width: int) -> int:
    """Room left of the bars: the longest label plus a gap, at most half the chart."""
    widest = max((text_width(label) for label in labels), default=0)
    return min(width // 2, max(40, widest + 2 * LABEL_GAP))


def bar_chart(
    bars: list[tuple[str, float]],
    *,
    title: str,
    unit: str = "",
    colour: str = DEFAULT_COLOUR,
    width: int = 640,
) -> SafeString:
    """Horizontal bars, one per (label, value); the value is written at the end of each bar."""
    labels = [label for label, _ in bars]
    left = _label_space(labels, width)
    values = [f"{_number(value)}{unit}" for _, value in bars]
    right = max((text_width(v) for v in values), default=0) + 2 * LABEL_GAP
    row = 28
    height = max(row, row * len(bars)) + 10
    top = max((value for _, value in bars), default=0) or 1
    span = width - left - right
    body = []
    for i, (label, value) in enumerate(bars):
        y = 5 + i * row
        bar = round(span * value / top, 1)
        body.append(
            f'<text x="{left - LABEL_GAP}" y="{y + 18}" text-anchor="end" fill="{TEXT}">'
            f"{escape(_fit(label, left - LABEL_GAP))}</text>"
            f'<rect x="{left}" y="{y + 4}" width="{bar}" height="{row - 8}" '
            f'fill="{escape(colour)}"/>'
            f'<text x="{left + bar + 6}" y="{y + 18}" fill="{TEXT}">'
            f"{escape(_number(value))}{escape(unit)}</text>"
        )
    desc = "; ".join(f"{label}: {_number(value)}{unit}" for label, value in bars) or "No data."
    return _svg(width, height, title, desc, body)


def stacked_bar_chart(
    rows: list[tuple[str, dict[str, int]]],
    *,
    segments: list[Segment],
    title: str,
    width: int = 640,
) -> SafeString:
    """One horizontal bar per row, split into segments (e.g. actions by status per objective).

    A segment wide enough shows its count inside; a legend below names each segment.
    """
    labels = [label for label, _ in rows]
    left = _label_space(labels, width)
    totals = [str(sum(counts.values())) for _, counts in rows]
    right = max((text_width(t) for t in totals), default=0) + 2 * LABEL_GAP
    row = 32
    legend_top = 10 + row * len(rows)
    span = width - left - right
    top = max((sum(counts.values()) for _, counts in rows), default=0) or 1
    body = []
    for i, (label, counts) in enumerate(rows):
        y = 5 + i * row
        x = float(left)
        body.append(
            f'<text x="{left - LABEL_GAP}" y="{y + 20}" text-anchor="end" fill="{TEXT}">'
            f"{escape(_fit(label, left - LABEL_GAP))}</text>"
        )
        for seg in segments:
            count = counts.get(seg.key, 0)
            if not count:
                continue
            w = round(span * count / top, 1)
            stroke = f' stroke="{GRID}"' if seg.outline else ""
            body.append(
                f'<rect x="{x}" y="{y + 4}" width="{w}" height="{row - 8}" '
                f'fill="{escape(seg.colour)}"{stroke}><title>{escape(seg.label)}: {count}</title>'
                "</rect>"
            )
            if w >= text_width(str(count), bold=True) + 6:
                body.append(
                    f'<text x="{x + w / 2}" y="{y + 21}" text-anchor="middle" '
                    f'fill="{escape(seg.text_colour)}" font-weight="bold">{count}</text>'
                )
            x += w
        total = sum(counts.values())
        body.append(f'<text x="{x + 6}" y="{y + 21}" fill="{TEXT}">{total}</text>')
    # The legend wraps onto more lines when the segments' names do not fit on one.
    x, y = 0, legend_top
    for seg in segments:
        item = 20 + text_width(seg.label) + 14
        if x and x + item > width:
            x, y = 0, y + 24
        stroke = f' stroke="{GRID}"' if seg.outline else ""
        body.append(
            f'<rect x="{x}" y="{y + 6}" width="14" height="14" '
            f'fill="{escape(seg.colour)}"{stroke}/>'
            f'<text x="{x + 20}" y="{y + 18}" fill="{TEXT}">{escape(seg.label)}</text>'
        )
        x += item
    height = y + 30
    desc = (
        "; ".join(
            f"{label}: " + ", ".join(f"{seg.label} {counts.get(seg.key, 0)}" for seg in segments)
            for label, counts in rows
        )
        or "No data."
    )
    return _svg(width, height, title, desc, body)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


# Faces for the five-point scale, drawn here rather than as emoji: an emoji depends on the phone's
# or the PDF renderer's font and shows as an empty box where there is none. The mouth's curve goes
# from a deep frown (1) through a straight line (3) to a wide smile (5).
FACE_MOUTHS = {
    1: "M10.5 23.5 Q16 16.5 21.5 23.5",
    2: "M11 22.5 Q16 19 21 22.5",
    3: "M11 21.5 L21 21.5",
    4: "M11 20.5 Q16 24.5 21 20.5",
    5: "M10 19.5 Q16 27.5 22 19.5 Z",
}
FACE_FILL = "#ffdd00"


def face(level: int, *, size: int = 32) -> SafeString:
    """A simple face for `level` 1 (very sad) to 5 (very happy). Decorative: the words always go
    beside it, so it is hidden from screen readers."""
    level = int(level)
    if level not in FACE_MOUTHS:
        raise ValueError(f"a face level is 1 to 5, not {level}")
    mouth_fill = TEXT if level == 5 else "none"
    return mark_safe(  # noqa: S308 - no outside text in it
        f'<svg class="heard-face" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" '
        f'width="{int(size)}" height="{int(size)}" aria-hidden="true" focusable="false">'
        f'<circle cx="16" cy="16" r="14.5" fill="{FACE_FILL}" stroke="{TEXT}" stroke-width="1.5"/>'
        f'<circle cx="11" cy="12.5" r="1.9" fill="{TEXT}"/>'
        f'<circle cx="21" cy="12.5" r="1.9" fill="{TEXT}"/>'
        f'<path d="{FACE_MOUTHS[level]}" fill="{mouth_fill}" stroke="{TEXT}" stroke-width="2" '
        'stroke-linecap="round" stroke-linejoin="round"/>'
        "</svg>"
    )


# -- Heard's charts: built here from what selectors return, so a page and the report that show
# the same figures draw the same chart. Views and the report call these; none draws its own.


def _status_segments() -> list[Segment]:
    # The Sandwell key's colours; text on amber and white is dark so the counts can be read.
    from participation.strategy.models import Status

    return [
        Segment(Status.NOT_STARTED, "Not started", "#ffffff", "#0b0c0c", outline=True),
        Segment(Status.ON_TRACK, "On track", "#00703c"),
        Segment(Status.OFF_TRACK, "Off track", "#f47738", "#0b0c0c"),
        Segment(Status.OVERDUE, "Overdue", "#d4351c"),
        Segment(Status.COMPLETED, "Completed", "#1d70b8"),
    ]


def status_chart(rows: list[tuple[str, dict[str, int]]], *, title: str) -> SafeString | None:
    """Actions by status (the BRAG key), one bar per row: objectives, strategies, priorities."""
    return stacked_bar_chart(rows, segments=_status_segments(), title=title) if rows else None


def indicator_chart(bars: list[tuple[str, float]], *, title: str, target, unit: str):
    """An indicator's value at each quarter's end, with its target as the last bar."""
    if not bars:
        return None
    return bar_chart(
        [*bars, ("Target", float(target))],
        title=f"{title}: value at each quarter's end against the target",
        unit="%" if unit == "%" else "",
    )


def answers_chart(rows: list[dict], *, question: str) -> SafeString:
    """How many chose each answer to one question (the results page's rows)."""
    return bar_chart(
        [(row["label"], row["count"]) for row in rows], title=f"Answers to: {question}"
    )


def weekly_responses_chart(weeks: list[dict]) -> SafeString:
    return bar_chart(
        [(week["week"].strftime("%-d %b %Y"), week["count"]) for week in weeks],
        title="Responses each week",
    )


def activities_by_kind_chart(rows: list[tuple[str, int]]) -> SafeString:
    return bar_chart(rows, title="Participation activities done, by kind")
