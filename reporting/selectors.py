"""The quarterly report's figures, assembled only from the selectors the pages use.

`report_figures` returns plain JSON-ready data: a draft shows it live, finalising stores it on the
run, and the final PDF is drawn from what was stored. Each section is one entry in SECTIONS;
adding a section (the forums', when forums/selectors.py has its figures) is one more entry.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from feedback import selectors as feedback_selectors
from forums import selectors as forum_selectors
from forums.models import ConsultationRequest
from participation.activities import selectors as activity_selectors
from participation.models import Council, Membership
from participation.quarters import Quarter
from participation.strategy import selectors as strategy_selectors
from participation.strategy.models import COLOUR, Status
from participation.tenancy import get_for_council
from reporting.models import ReportRun

# -- Quarters: every quarter calculation of the report is here, in one place -------------------


def quarter_of(*, council: Council, day: date) -> Quarter:
    return Quarter.containing(day, year_starts=council.year_starts)


def previous_quarter(*, council: Council, quarter: Quarter) -> Quarter:
    return quarter.previous()


def same_quarter_last_year(*, council: Council, quarter: Quarter) -> Quarter:
    return quarter_of(council=council, day=quarter.start.replace(year=quarter.start.year - 1))


def quarter_choices(*, council: Council, today: date, count: int = 6) -> list[Quarter]:
    """This quarter and the ones before it, newest first, for the "new report" form."""
    found = [quarter_of(council=council, day=today)]
    for _ in range(count - 1):
        found.append(found[-1].previous())
    return found


def last_finished_quarter(*, council: Council, today: date) -> Quarter:
    return quarter_of(council=council, day=today).previous()


def _label_of(council: Council, day: date) -> str:
    return quarter_of(council=council, day=day).short_label


# -- Sections --------------------------------------------------------------------------------


def _rows(pairs) -> list[list]:
    return [[label, count] for label, count in pairs]


def _reach_rows(rows) -> list[dict]:
    return [
        {
            "label": row.label,
            "shown": row.shown,
            "cohort_size": row.cohort_size,
            "percent": row.percent,
        }
        for row in rows
    ]


def _reach(council: Council, quarter: Quarter):
    return activity_selectors.reach(council=council, quarter=quarter)


def key_figures(council: Council, quarter: Quarter) -> dict:
    """Headline figures this quarter, the quarter before and the same quarter last year."""
    columns = [
        ("This quarter", quarter),
        ("Previous quarter", previous_quarter(council=council, quarter=quarter)),
        ("Same quarter last year", same_quarter_last_year(council=council, quarter=quarter)),
    ]
    values: dict[str, list[str]] = {}
    for _, q in columns:
        activity = activity_selectors.activity_breakdown(council=council, start=q.start, end=q.end)
        reach = _reach(council, q)
        responses = feedback_selectors.responses_by_form(council=council, start=q.start, end=q.end)
        alerts = feedback_selectors.alert_figures(council=council, start=q.start, end=q.end)
        for label, shown in (
            ("Participation activities done", str(activity.total)),
            ("Times young people with a record took part", reach.total_shown),
            ("Different young people with a record", reach.unique_shown),
            ("Feedback responses", str(sum(row["count"] for row in responses))),
            ("Safeguarding alerts raised", str(alerts["raised"])),
            (
                "Forum meetings held",
                str(forum_selectors.meetings_held(council=council, start=q.start, end=q.end)),
            ),
        ):
            values.setdefault(label, []).append(shown)
    return {
        "columns": [f"{name} ({q.short_label})" for name, q in columns],
        "rows": [[label, *shown] for label, shown in values.items()],
        "empty": False,
    }


def activity(council: Council, quarter: Quarter) -> dict:
    found = activity_selectors.activity_breakdown(
        council=council, start=quarter.start, end=quarter.end
    )
    return {
        "total": found.total,
        "by_kind": _rows(found.by_kind),
        "by_service_area": _rows(found.by_service_area),
        "by_type": _rows(found.by_type),
        "by_rung": _rows(found.by_rung),
        "by_lundy": _rows(found.by_lundy),
        "empty": found.total == 0,
    }


def reach(council: Council, quarter: Quarter) -> dict:
    found = _reach(council, quarter)
    return {
        "unique_shown": found.unique_shown,
        "total_shown": found.total_shown,
        "tables": [
            {
                "caption": "By group, against the council's cohort",
                "heading": "Group",
                "with_cohort": True,
                "rows": _reach_rows(found.by_cohort),
            },
            {
                "caption": "By age at the end of the quarter",
                "heading": "Age",
                "rows": _reach_rows(found.by_age_band),
            },
            {"caption": "By gender", "heading": "Gender", "rows": _reach_rows(found.by_gender)},
            {
                "caption": "By ethnic group",
                "heading": "Ethnic group",
                "rows": _reach_rows(found.by_ethnicity),
            },
            {
                "caption": "By disability",
                "heading": "Considers themselves disabled",
                "rows": _reach_rows(found.by_disability),
            },
        ],
        "empty": found.unique == 0,
    }


def feedback(council: Council, quarter: Quarter) -> dict:
    responses = feedback_selectors.responses_by_form(
        council=council, start=quarter.start, end=quarter.end
    )
    scorecard = feedback_selectors.principles_scorecard(council=council, until=quarter.end)
    return {
        "responses": responses,
        "total": sum(row["count"] for row in responses),
        "scorecard": {
            "quarters": [q.short_label for q in scorecard["quarters"]],
            "tables": [
                {
                    "area": table["area"],
                    "rows": [
                        {
                            "principle": row["principle"],
                            "cells": [cell["average"] for cell in row["cells"]],
                        }
                        for row in table["rows"]
                    ],
                }
                for table in scorecard["tables"]
            ],
        },
        "suppress_below": feedback_selectors.SUPPRESS_BELOW,
        # Only the words and the form's title: a quote never says who gave it.
        "quotes": feedback_selectors.approved_quotes(
            council=council, start=quarter.start, end=quarter.end
        ),
        "empty": not responses and not scorecard["tables"],
    }


def you_said(council: Council, quarter: Quarter) -> dict:
    entries = [
        {"you_said": e.you_said, "we_did": e.we_did, "status": e.get_status_display()}
        for e in feedback_selectors.you_said_in_period(
            council=council, start=quarter.start, end=quarter.end
        )
    ]
    return {"entries": entries, "empty": not entries}


def action_plan(council: Council, quarter: Quarter) -> dict:
    since = previous_quarter(council=council, quarter=quarter).end
    actions = strategy_selectors.plan_at(council=council, day=quarter.end, since=since)
    labels = dict(Status.choices)
    objectives: dict[str, dict] = {}
    rows, moved, overdue = [], [], []
    for action in actions:
        objective = f"{action.objective.code} {action.objective.title}".strip()
        counts = objectives.setdefault(objective, {s: 0 for s in Status.values})
        counts[action.status_on] += 1
        row = {
            "objective": objective,
            "title": action.title,
            "owner": action.owner.user.full_name if action.owner_id else action.owner_name,
            "due": action.due_date.isoformat() if action.due_date else "",
            "status": labels[action.status_on],
            "status_key": action.status_on,
            "before": labels.get(action.status_before, ""),
            "commentary": action.commentary_then or "",
        }
        rows.append(row)
        if action.status_before and action.status_before != action.status_on:
            moved.append(row)
        if action.status_on == Status.OVERDUE:
            overdue.append(row)
    indicators = []
    for indicator in strategy_selectors.indicators_with_values(council=council):
        value = next(
            (v.value for v in indicator.quarter_values if v.quarter_end == quarter.end), None
        )
        indicators.append(
            {
                "title": indicator.title,
                "unit": indicator.unit,
                "target": _decimal(indicator.target),
                "value": _decimal(value) if value is not None else None,
                "met": None
                if value is None
                else (value >= indicator.target)
                if indicator.higher_is_better
                else (value <= indicator.target),
            }
        )
    return {
        "objectives": [
            {"label": label, "counts": counts, "total": sum(counts.values())}
            for label, counts in objectives.items()
        ],
        "statuses": [[s, labels[s], COLOUR[s]] for s in Status.values],
        "actions": rows,
        "moved": moved,
        "overdue": overdue,
        "indicators": indicators,
        "since_label": _label_of(council, since),
        "empty": not rows and not indicators,
    }


def safeguarding(council: Council, quarter: Quarter) -> dict:
    figures = feedback_selectors.alert_figures(
        council=council, start=quarter.start, end=quarter.end
    )
    return {**figures, "empty": figures["raised"] == 0}


def _attendance_shown(rate: int | None, marked: int) -> str:
    """A rate is a percentage of members, so it is withheld when fewer than SMALL_NUMBER members
    were marked, as reach withholds small counts of young people."""
    if rate is None:
        return "none recorded"
    if marked < activity_selectors.SMALL_NUMBER:
        return f"withheld (fewer than {activity_selectors.SMALL_NUMBER} members marked)"
    return f"{rate}%"


def _forum_figures(figures: dict) -> dict:
    """The report's cells from one forum's (or the council's) period figures."""
    consultations = figures["consultations"]
    return {
        "meetings_held": figures["meetings_held"],
        "attendance": _attendance_shown(figures["attendance_rate"], figures["members_marked"]),
        "asks_raised": figures["asks_raised"],
        "asks_answered": figures["asks_answered"],
        "consultations": consultations,
        # In the order of consultation_statuses, for the table (templates cannot look keys up).
        "consultation_cells": [consultations[value] for value in ConsultationRequest.Status.values],
    }


def forums(council: Council, quarter: Quarter) -> dict:
    """Counts of meetings, asks and requests (not of children), so only the attendance rate is
    withheld for small numbers. The total is the council's, archived forums included. One
    grouped selector gives every forum's row and the total, so the rows and the total are the
    same counting and the report's queries do not grow with the number of forums."""
    period = forum_selectors.period_figures_by_forum(
        council=council, start=quarter.start, end=quarter.end
    )
    blank = forum_selectors.blank_period_figures()
    rows = [
        {"forum": forum.name, **_forum_figures(period["by_forum"].get(forum.pk, blank))}
        for forum in forum_selectors.forum_list(council=council)
    ]
    total = _forum_figures(period["total"])
    counted = ("meetings_held", "asks_raised")
    return {
        "forums": rows,
        "total": total,
        "consultation_statuses": [list(choice) for choice in ConsultationRequest.Status.choices],
        "includes_archived": any(sum(row[key] for row in rows) != total[key] for key in counted)
        or sum(row["asks_answered"]["total"] for row in rows) != total["asks_answered"]["total"]
        or sum(row["consultations"]["requested"] for row in rows)
        != total["consultations"]["requested"],
        "empty": not (
            total["meetings_held"]
            or total["asks_raised"]
            or total["asks_answered"]["total"]
            or total["consultations"]["requested"]
        ),
    }


def _decimal(value) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    build: Callable[[Council, Quarter], dict]
    # Said plainly in the report when the section has nothing for the quarter.
    empty_text: str


SECTIONS: list[Section] = [
    Section("key_figures", "Key figures", key_figures, ""),
    Section(
        "activity",
        "Participation activity",
        activity,
        "No participation activities were recorded as done in this quarter.",
    ),
    Section(
        "reach",
        "Who took part",
        reach,
        "No young people with a record took part in done activities in this quarter.",
    ),
    Section(
        "feedback",
        "Feedback from children and young people",
        feedback,
        "No feedback was received in this quarter.",
    ),
    Section(
        "you_said",
        "You said, we did",
        you_said,
        "No \u201cyou said, we did\u201d entries were dated in this quarter.",
    ),
    Section(
        "forums",
        "Forums",
        forums,
        "No forum meetings, asks or consultations were recorded in this quarter.",
    ),
    Section(
        "action_plan",
        "The action plan",
        action_plan,
        "There were no actions in an active plan at the end of this quarter.",
    ),
    Section(
        "safeguarding",
        "Safeguarding alerts",
        safeguarding,
        "No safeguarding alerts were raised from feedback in this quarter.",
    ),
]
SECTION_KEYS = [section.key for section in SECTIONS]


def young_people(council: Council, quarter: Quarter) -> dict:
    """The young people's version of the quarter, "What you told us and what we did": only what
    may be shown on the public page. Published "you said, we did" entries, forums' asks that were
    answered (the forum's name, never who asked or answered), approved quotes, and headline counts
    with every count under 5 shown as "fewer than 5", as the pages show them."""
    period = {"council": council, "start": quarter.start, "end": quarter.end}
    entries = [
        {"you_said": e.you_said, "we_did": e.we_did}
        for e in feedback_selectors.you_said_in_period(**period, published_only=True)
    ]
    asks = [
        {
            "forum": ask.forum.name,
            "you_said": ask.you_said,
            "answer": ask.response,
            "status": ask.get_status_display(),
        }
        for ask in forum_selectors.asks_answered_between(**period)
    ]
    quotes = feedback_selectors.approved_quotes(**period)
    suppress = activity_selectors.suppress
    done = activity_selectors.activity_breakdown(**period).total
    responses = sum(row["count"] for row in feedback_selectors.responses_by_form(**period))
    headlines = [
        ["Activities where young people had their say", suppress(done)],
        ["Different young people who took part", _reach(council, quarter).unique_shown],
        ["Answers to our feedback forms", suppress(responses)],
        ["Forum meetings", suppress(forum_selectors.meetings_held(**period))],
    ]
    return {
        "headlines": headlines,
        "entries": entries,
        "asks": asks,
        "quotes": quotes,
        "small_number": activity_selectors.SMALL_NUMBER,
        "empty": False,
    }


YOUNG_PEOPLE_SECTION = Section("young_people", "What you told us and what we did", young_people, "")
SECTIONS_BY_KEY = {section.key: section for section in SECTIONS}


def report_figures(
    *, council: Council, quarter_start: date, sections=None, audience: str = ""
) -> dict:
    """Every included section's figures for one council and quarter, as JSON-ready data. The
    young people's version has one part of its own instead of the officers' sections."""
    quarter = quarter_of(council=council, day=quarter_start)
    if audience == ReportRun.Audience.YOUNG_PEOPLE:
        built = {YOUNG_PEOPLE_SECTION.key: YOUNG_PEOPLE_SECTION.build(council, quarter)}
    else:
        wanted = [key for key in SECTION_KEYS if sections is None or key in sections]
        built = {key: SECTIONS_BY_KEY[key].build(council, quarter) for key in wanted}
    return {
        "quarter": {
            "start": quarter.start.isoformat(),
            "end": quarter.end.isoformat(),
            "label": quarter.short_label,
        },
        "made_on": timezone.localdate().isoformat(),
        "sections": built,
    }


# -- Runs ------------------------------------------------------------------------------------


def run_list(*, council: Council) -> QuerySet[ReportRun]:
    return ReportRun.objects.filter(council=council).select_related("requested_by")


def access_run(*, council: Council, pk) -> ReportRun:
    return get_for_council(ReportRun.objects.select_related("council"), council=council, pk=pk)


def access_run_file(*, membership: Membership, pk) -> ReportRun:
    run = access_run(council=membership.council, pk=pk)
    if not run.is_ready:
        raise Http404("No such page.")
    return run


def versions_of(*, run: ReportRun) -> QuerySet[ReportRun]:
    return ReportRun.objects.filter(
        council=run.council_id, quarter_start=run.quarter_start, audience=run.audience
    ).order_by("-version")


def officer_emails(*, council: Council) -> list[str]:
    """Who is told that a quarter's drafts are ready: the council's active officers and admins."""
    return list(
        Membership.objects.filter(
            council=council,
            is_active=True,
            user__is_active=True,
            role__in=[Membership.Role.PARTICIPATION_OFFICER, Membership.Role.COUNCIL_ADMIN],
        )
        .order_by("pk")
        .values_list("user__email", flat=True)
    )
