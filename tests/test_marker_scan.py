"""Council B's words never reach council A's people: the marker scan.

Council B gets one or more of every kind of record, and every free-text field of every one of its
rows (and its people's names and emails, and its own name) holds a unique marker. Then each of
council A's roles fetches every page the URL configuration has, for council A's own records: lists,
details, searches, filters given B's ids, exports (CSV, spreadsheets unzipped, PDFs read with
pypdf), charts, QR codes, calendar feeds, the report, public pages. No marker may appear anywhere.

Routes come from the URL configuration, so a new page is fetched without being listed here; one
that takes an id needs its builder in tests/probes.py (the cross-council probe asks for it), and
one outside /c/<council>/ that takes a token or an id needs a row in OUTSIDE_COUNCIL below, or the
first test fails naming it.
"""

import io
import re
import time
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from participation.models import Membership
from tests import richcouncil
from tests.factories import InvitationFactory, MembershipFactory
from tests.probes import PROBES
from tests.test_id_mixing import BODY_PROBES, NESTED
from tests.urlwalk import COUNCIL_PREFIX, all_patterns

# A marker is the prefix and a number: the bare prefix is what the searches send, and pages may
# repeat a search back.
MARKER_RE = re.compile(rf"{richcouncil.MARKER}\d+")

OWN_MARKER = "zzamk"
OWN_RE = re.compile(rf"{OWN_MARKER}\d+")
ADMIN = Membership.Role.COUNCIL_ADMIN

# What must show somewhere for the scan to mean anything: the control seeds council A's own words
# and fails unless each of these is read back from some page or export.
ESSENTIAL_FIELDS = {
    "activities.YoungPerson.preferred_name",
    "activities.Activity.title",
    "activities.Activity.what_young_people_said",
    "forums.Forum.name",
    "forums.Meeting.minutes",
    "forums.Ask.you_said",
    "strategy.Action.title",
    "strategy.StatusUpdate.commentary",
    "feedback.FeedbackForm.title",
    "feedback.Answer.text",
    "feedback.YouSaidWeDid.you_said",
    "User.full_name",
    "Council.name",
}

# Filled in by the scan and printed at the end of the run by tests/conftest.py.
FIGURES: dict[str, str] = {}

ROLES = [
    Membership.Role.PRACTITIONER,
    Membership.Role.PARTICIPATION_OFFICER,
    Membership.Role.MANAGER,
    Membership.Role.COUNCIL_ADMIN,
]

# Pages the scan does not fetch, and why. Keep it short: each is a page no council data reaches.
LEFT_OUT = {
    "logout": "signing out: POST only, shows nothing",
    "password_reset_confirm": "a reset link for one person; shows a password form only",
    "council_logo": "an image file, council A's own logo",
}

# Answers that are the page's meaning, not a failure: the health check says 503 while no Celery
# worker or beat has reported, as in the tests. Its body is scanned all the same.
MEANT = {"health": {503}}

# Outside /c/<council>/, routes that take a token or an id: how to make council A's one.
# A new one (helper F's REST API under /api/v1/ for example) must get a row here, or, for a route
# that takes only the council, nothing: it is fetched as it is.
OUTSIDE_COUNCIL = {
    "invitation_accept": lambda a: {"token": a["invitation_token"]},
    "public_form": lambda a: {"token": a["extras"]["form_token"]},
    "forum_calendar_feed": lambda a: {"token": a["extras"]["calendar_token"]},
    # The API (/api/v1/c/<council>/...): council A's own records, by id.
    "api_activity_detail": lambda a: {"activity_id": a["extras"]["activity"].pk},
    "api_young_person_detail": lambda a: {"young_person_id": _first(a, "activities.YoungPerson")},
    "api_forum_detail": lambda a: {"forum_id": a["extras"]["forum"].pk},
    "api_forum_member_list": lambda a: {"forum_id": a["extras"]["forum"].pk},
    "api_forum_member_detail": lambda a: {
        "forum_id": _first_of(a, "forums.ForumMember", "forum_id"),
        "member_id": _first(a, "forums.ForumMember"),
    },
    "api_meeting_list": lambda a: {"forum_id": a["extras"]["forum"].pk},
    "api_meeting_detail": lambda a: {
        "forum_id": a["extras"]["forum"].pk,
        "meeting_id": a["extras"]["meeting"].pk,
    },
    "api_meeting_attendance": lambda a: {
        "forum_id": a["extras"]["forum"].pk,
        "meeting_id": a["extras"]["meeting"].pk,
    },
    "api_meeting_visitors": lambda a: {
        "forum_id": a["extras"]["forum"].pk,
        "meeting_id": a["extras"]["meeting"].pk,
    },
    "api_meeting_visitor": lambda a: {
        "forum_id": a["extras"]["forum"].pk,
        "meeting_id": a["extras"]["meeting"].pk,
        "young_person_id": _visitor(a),
    },
    "api_ask_list": lambda a: {"forum_id": a["extras"]["forum"].pk},
    "api_ask_answer_list": lambda a: {
        "forum_id": _first_of(a, "forums.Ask", "forum_id"),
        "ask_id": _first(a, "forums.Ask"),
    },
    "api_consultation_list": lambda a: {"forum_id": a["extras"]["forum"].pk},
    "api_consultation_detail": lambda a: {
        "forum_id": _first_of(a, "forums.ConsultationRequest", "forum_id"),
        "consultation_id": _first(a, "forums.ConsultationRequest"),
    },
    "api_feedback_form_detail": lambda a: {"form_id": a["extras"]["form"].pk},
    "api_feedback_response_list": lambda a: {"form_id": a["extras"]["form"].pk},
    "api_strategy_detail": lambda a: {"strategy_id": _first(a, "strategy.Strategy")},
    "api_objective_list": lambda a: {"strategy_id": _first(a, "strategy.Strategy")},
    "api_action_detail": lambda a: {"action_id": _first(a, "strategy.Action")},
    "api_status_update_list": lambda a: {"action_id": _first(a, "strategy.Action")},
    "api_report_download": lambda a: {"run_id": a["report_run_id"]},
}


def _visitor(records) -> int:
    from forums.models import Attendance

    return Attendance.objects.get(
        meeting=records["extras"]["meeting"], is_member=False
    ).young_person_id


def _first(records, label: str) -> int:
    return _first_of(records, label, "pk")


def _first_of(records, label: str, field: str) -> int:
    """`field` of the council's first record of a kind (its id, or the id it belongs to)."""
    from django.apps import apps

    model = apps.get_model(label)
    return (
        model.objects.filter(council=records["council"])
        .order_by("pk")
        .values_list(field, flat=True)[0]
    )


# API routes (helper F's /api/v1/) must be scanned like pages: the walker picks them up by their
# prefix, and a route with ids is built from OUTSIDE_COUNCIL or, under /c/<council>/, from
# tests/probes.py. API_PREFIXES only says which routes count as API in the figures.
API_PREFIXES = ("api/", COUNCIL_PREFIX + "api/")

# Query strings tried on top of the plain page, by route name. Searches look for B's marker (a
# search that reached B's rows would show them); filters and choices are given B's ids (a view that
# took them would show B's names).
EXTRA_QUERIES = {
    "activity_list": lambda b: [
        f"q={richcouncil.MARKER}",
        f"kind={b['kind_id']}&service_area={b['area_id']}&worker={b['user_id']}",
    ],
    "activity_export": lambda b: [
        "format=xlsx",
        f"format=xlsx&kind={b['kind_id']}&service_area={b['area_id']}&worker={b['user_id']}",
    ],
    "action_export": lambda b: ["format=xlsx"],
    "young_person_list": lambda b: [f"q={richcouncil.MARKER}", "cohort=cla"],
    "people": lambda b: [f"q={richcouncil.MARKER}"],
    "forum_list": lambda b: [f"q={richcouncil.MARKER}", "archived=1"],
    "strategy_list": lambda b: ["archived=1"],
    "action_list": lambda b: [f"q={richcouncil.MARKER}"],
    "feedback_form_list": lambda b: [f"q={richcouncil.MARKER}"],
    "feedback_results": lambda b: [f"version={b['version_id']}"],
    "feedback_text_answers": lambda b: [f"q={richcouncil.MARKER}"],
    "ask_create": lambda b: [f"meeting={b['meeting_id']}"],
    "attendance_visitor_add": lambda b: [f"young_person={b['young_person_id']}"],
    "attendance_visitor_remove": lambda b: [f"young_person={b['young_person_id']}"],
    "attendance_visitor_join": lambda b: [f"young_person={b['young_person_id']}"],
    "council_switch": lambda b: [f"council={b['slug']}"],
    "reach": lambda b: ["quarter=2026-04-01"],
}


def scanned_routes() -> list[tuple[str, str]]:
    """Every named route but Django's admin (platform staff only, not a council's people)."""
    return [
        (name, route)
        for name, route in all_patterns()
        if not route.startswith("admin/") and name not in LEFT_OUT
    ]


def _needs_kwargs(route: str) -> list[str]:
    return [p.split(":")[-1] for p in re.findall(r"<([^>]+)>", route)]


def test_every_route_is_scanned_or_left_out_with_a_reason():
    unbuildable = []
    for name, route in scanned_routes():
        params = [p for p in _needs_kwargs(route) if p != "council_slug"]
        if not params:
            continue
        if route.startswith(COUNCIL_PREFIX):
            if name not in PROBES:
                unbuildable.append(f"{name} (add it to tests/probes.py)")
        elif name not in OUTSIDE_COUNCIL:
            unbuildable.append(f"{name} (add it to OUTSIDE_COUNCIL in tests/test_marker_scan.py)")
    assert not unbuildable, f"the marker scan cannot build these routes: {unbuildable}"
    assert set(LEFT_OUT) <= {name for name, _ in all_patterns()}, "LEFT_OUT names a lost route"
    assert set(EXTRA_QUERIES) <= {name for name, _ in scanned_routes()}


def test_the_marker_survives_every_way_out():
    """The scan's readers find a marker in CSV, spreadsheets and PDFs (a reader that lost it
    would make the scan pass without looking)."""
    import openpyxl

    from reporting.rendering import render_pdf

    book = openpyxl.Workbook()
    book.active["A1"] = "zzbmk42"
    xlsx = io.BytesIO()
    book.save(xlsx)
    assert richcouncil.MARKER in _readable(xlsx.getvalue(), "application/vnd.openxmlformats")
    pdf = render_pdf("<html><body><p>Said: zzbmk42</p></body></html>")
    assert richcouncil.MARKER in _readable(pdf, "application/pdf")
    assert richcouncil.MARKER in _readable(b"a,ZZBMK42\n", "text/csv")


def _readable(content: bytes, content_type: str) -> str:
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            text = "\n".join(
                archive.read(name).decode("utf-8", "replace")
                for name in archive.namelist()
                if name.endswith((".xml", ".rels", ".txt", ".csv"))
            )
    elif content[:5] == b"%PDF-":
        from pypdf import PdfReader

        try:
            reader = PdfReader(io.BytesIO(content))
            text = "\n".join(page.extract_text() or "" for page in reader.pages)
        except Exception:  # a probe's placeholder file, not a real PDF
            text = content.decode("latin-1")
    else:
        text = content.decode("utf-8", "replace")
    return text.lower()


def _response_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    headers = "\n".join(f"{key}: {value}" for key, value in response.items())
    return headers.lower() + "\n" + _readable(content, response.get("Content-Type", ""))


def _fetch_all(client, urls, headers, errors, who):
    for name, url in urls:
        response = client.get(url, **headers)
        if response.status_code >= 500 and response.status_code not in MEANT.get(name, ()):
            errors.append(f"{who} GET {url}: {response.status_code}")
            continue
        yield name, url, _response_text(response), response.status_code


def _council_a_records(council_a) -> dict:
    from reporting import services as reporting_services
    from tests.reporting.factories import make_draft

    records = richcouncil.build(council_a)
    records["invitation_token"] = InvitationFactory(council=council_a).token
    # A real PDF of council A's report, made from all of A's records, to read back.
    draft = make_draft(council_a)
    actor = MembershipFactory(council=council_a, role=Membership.Role.PARTICIPATION_OFFICER).user
    run = reporting_services.report_finalise(run=draft, actor=actor)
    assert reporting_services.report_render(run_id=run.pk, council_id=council_a.pk) is not None
    records["report_run_id"] = run.pk
    records["council"] = council_a
    return records


def _council_b_ids(council_b, records_b) -> dict:
    from feedback.models import FormVersion
    from participation.activities.models import ActivityKind, ServiceArea, YoungPerson

    return {
        "kind_id": ActivityKind.objects.filter(council=council_b).values_list("pk", flat=True)[0],
        "area_id": ServiceArea.objects.filter(council=council_b).values_list("pk", flat=True)[0],
        "user_id": Membership.objects.filter(council=council_b).values_list("user_id", flat=True)[
            0
        ],
        "version_id": FormVersion.objects.filter(council=council_b).values_list("pk", flat=True)[0],
        "meeting_id": records_b["extras"]["meeting"].pk,
        "young_person_id": YoungPerson.objects.filter(council=council_b).values_list(
            "pk", flat=True
        )[0],
        "slug": council_b.slug,
    }


def _urls_for_council_a(council_a, records_a, b_ids) -> list[tuple[str, str]]:
    """(route name, URL) for every scanned route, with council A's records in it."""
    urls = []
    for name, route in scanned_routes():
        params = [p for p in _needs_kwargs(route) if p != "council_slug"]
        kwargs = {"council_slug": council_a.slug} if "council_slug>" in route else {}
        if params and route.startswith(COUNCIL_PREFIX):
            kwargs.update(records_a["kwargs"][PROBES[name]])
        elif params:
            kwargs.update(OUTSIDE_COUNCIL[name](records_a))
        url = reverse(name, kwargs=kwargs)
        urls.append((name, url))
        for query in EXTRA_QUERIES.get(name, lambda b: [])(b_ids):
            urls.append((name, f"{url}?{query}"))
    # The real report PDF and its pages (the probes' run has a placeholder file).
    for name in ("report_detail", "report_preview", "report_download"):
        urls.append(
            (
                name,
                reverse(
                    name,
                    kwargs={"council_slug": council_a.slug, "run_id": records_a["report_run_id"]},
                ),
            )
        )
    return urls


@pytest.mark.slow
def test_no_page_of_council_a_shows_council_b_words(council_a, council_b):
    started = time.monotonic()
    records_b = richcouncil.build(council_b)
    missing = richcouncil.missing_tables(council_b)
    assert not missing, f"add builders to tests/richcouncil.py for these tables: {missing}"
    records_a = _council_a_records(council_a)
    b_ids = _council_b_ids(council_b, records_b)
    where = richcouncil.seed_markers(council_b)
    council_b.refresh_from_db()
    assert len(where) > 100, "the marker seeding reached too few fields"

    urls = _urls_for_council_a(council_a, records_a, b_ids)
    people = {role: MembershipFactory(council=council_a, role=role) for role in ROLES}
    clients = {"signed out": Client()}
    for role, membership in people.items():
        clients[role] = Client()
        clients[role].force_login(membership.user)

    # Every visitor reads every page; council A's admin, who sees most, also as HTMX asks for it
    # (some views answer a fragment then).
    visits = [(who, client, {}) for who, client in clients.items()]
    visits.append(("council_admin (htmx)", clients[ADMIN], {"HTTP_HX_REQUEST": "true"}))
    leaks, errors, fetched_routes, statuses = [], [], set(), {}
    for who, client, headers in visits:
        for name, url, text, status in _fetch_all(client, urls, headers, errors, who):
            statuses.setdefault(name, set()).add(status)
            if status < 400 or status in MEANT.get(name, ()):
                fetched_routes.add(name)
            for marker in set(MARKER_RE.findall(text)):
                leaks.append(f"{who} GET {url}: {where.get(marker, marker)}")

    # The control: the same pages show council A's own words, field by field. A page that showed
    # nothing would pass the scan without proving anything.
    own = richcouncil.seed_markers(council_a, prefix=OWN_MARKER)
    seen = set()
    for _, _, text, _ in _fetch_all(clients[ADMIN], urls, {}, errors, "control"):
        seen.update(own[m].split(" #")[0] for m in OWN_RE.findall(text) if m in own)
    fields = {label.split(" #")[0] for label in own.values()}
    unseen_essentials = sorted(ESSENTIAL_FIELDS - seen)

    total = {name for name, route in all_patterns() if not route.startswith("admin/")}
    api = [name for name, route in scanned_routes() if route.startswith(API_PREFIXES)]
    FIGURES.update(
        {
            "routes covered": f"{len(fetched_routes)}/{len(total)}"
            f" ({len(LEFT_OUT)} left out on purpose: {', '.join(sorted(LEFT_OUT))})",
            "API routes covered": f"{len(set(api) & fetched_routes)}/{len(api)}",
            "requests": f"{len(visits) * len(urls)} ({len(visits)} visitors x {len(urls)} URLs)",
            "council A's own fields seen (control)": f"{len(seen)}/{len(fields)}",
            "fields no page shows": ", ".join(sorted(fields - seen)),
            "probes": f"{len(BODY_PROBES)} id fields in bodies, {len(NESTED)} URLs with mixed"
            f" inner ids, {len(PROBES)} council URLs asked by council B",
            "markers seeded": str(len(where)),
            "leaks": str(len(leaks)),
            "seconds": f"{time.monotonic() - started:.0f}",
        }
    )
    assert not errors, errors[:20]
    # One line per page, so a leak on many pages still shows every page it is on.
    by_page = sorted({leak.split(": ")[0].split(" GET ")[1] for leak in leaks})
    assert not leaks, f"{len(leaks)} leaks on {len(by_page)} pages: {by_page[:40]}; {leaks[:10]}"
    assert not unseen_essentials, f"the control saw none of these on any page: {unseen_essentials}"
    unread = {n: statuses.get(n) for n, _ in scanned_routes() if n not in fetched_routes}
    assert not unread, f"no visitor could open these (status codes seen): {unread}"
