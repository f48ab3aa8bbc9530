"""A council's data out and back in: export the demo council, import it under a new address, and
its pages and figures are the same. Bad archives are refused with nothing written."""

import io
import json
import re
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from lifecycle.council_archive import ArchiveError, _council_models, export_council, import_council
from participation.models import Council, Membership, User
from reporting import selectors as report_selectors
from reporting.models import ReportRun


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("demo_data")
    return Council.objects.get(slug="northbrook")


def _counts(council):
    counts = {}
    for model in _council_models():
        if model._meta.auto_created:
            left = next(f for f in model._meta.concrete_fields if f.is_relation)
            queryset = model._base_manager.filter(**{f"{left.name}__council": council})
        else:
            queryset = model._base_manager.filter(council=council)
        counts[model._meta.label] = queryset.count()
    return counts


def _everything():
    return {model._meta.label: model._base_manager.count() for model in _council_models()} | {
        "councils": Council.objects.count(),
        "users": User.objects.count(),
    }


PAGES = [
    "council_home",
    "strategy_dashboard",
    "reach",
    "forum_list",
    "activity_list",
    "young_person_list",
    "feedback_form_list",
    "report_list",
]


def _page(client, name, council):
    html = client.get(reverse(name, args=[council.slug])).content.decode()
    html = html.replace(f"/c/{council.slug}/", "/c/SLUG/")
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'nonce="[^"]+"', "", html)  # a new one on every response
    # Ids are renumbered on import; everything else on the page must be the same.
    html = re.sub(r"\d+", "N", html)
    # The council switcher marks the council in view.
    return re.sub(r'<option value="[^"]*"[^>]*>[^<]*</option>', "", html)


def test_round_trip_keeps_every_row_page_and_figure(demo, tmp_path):
    archive = tmp_path / "northbrook.zip"
    call_command("export_council", "northbrook", str(archive))
    call_command("import_council", str(archive), "--slug", "northbrook-copy")
    copy = Council.objects.get(slug="northbrook-copy")
    assert _counts(copy) == _counts(demo)
    assert sum(_counts(copy).values()) > 200

    # The key figures of every quarter offered, as the report draws them.
    draft = ReportRun.objects.filter(council=demo, state="draft").first()
    for council_start in report_selectors.quarter_choices(council=demo, today=draft.quarter_end):
        args = {"quarter_start": council_start.start, "sections": draft.sections}
        assert report_selectors.report_figures(
            council=copy, audience=draft.audience, **args
        ) == report_selectors.report_figures(council=demo, audience=draft.audience, **args)
    # Final reports keep their frozen figures and their PDF.
    final = ReportRun.objects.get(council=copy, state="final")
    original = ReportRun.objects.get(council=demo, state="final")
    assert final.figures == original.figures and final.file.read() == original.file.read()
    assert final.file.name != original.file.name or final.pk != original.pk

    admin = Membership.objects.get(council=demo, role="council_admin").user
    assert Membership.objects.filter(council=copy, user=admin, role="council_admin").exists()
    client = Client()
    client.force_login(admin)
    for name in PAGES:
        assert _page(client, name, copy) == _page(client, name, demo), name


def _tampered(data: bytes, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            if name == "manifest.json":
                manifest = json.loads(content)
                change(manifest)
                content = json.dumps(manifest).encode()
            target.writestr(name, content)
    return out.getvalue()


@pytest.fixture
def small(council_a, admin_a):
    from tests.lifecycle.factories import named_everywhere

    named_everywhere(council_a, name="Avery")
    return export_council(council=council_a)


@pytest.mark.parametrize(
    "spoil, message",
    [
        (lambda data: data[: len(data) // 2], "damaged or incomplete"),
        (
            lambda data: _tampered(data, lambda m: m.update(format_version=99)),
            "different version of Heard",
        ),
        (
            lambda data: _tampered(
                data, lambda m: m["migrations"]["feedback"].append("0099_from_the_future")
            ),
            "different version of Heard",
        ),
        (
            lambda data: _tampered(data, lambda m: m["checksums"].update({"users.json": "0" * 64})),
            "do not match its manifest",
        ),
    ],
)
def test_bad_archives_are_refused_and_nothing_is_written(small, spoil, message):
    before = _everything()
    with pytest.raises(ArchiveError, match=message):
        import_council(archive_bytes=spoil(small), slug="somewhere-new")
    assert _everything() == before


def test_a_slug_already_used_is_refused(small, council_a, tmp_path):
    before = _everything()
    archive = tmp_path / "a.zip"
    archive.write_bytes(small)
    with pytest.raises(CommandError, match="already exists"):
        call_command("import_council", str(archive))
    assert _everything() == before
    call_command("import_council", str(archive), "--slug", "council-a-again")
    assert _counts(Council.objects.get(slug="council-a-again")) == _counts(council_a)


def test_platform_staff_export_from_the_admin(council_a, small):
    staff = User.objects.create_user("staff@heard.example", "x", full_name="Staff", is_staff=True)
    staff.is_superuser = True
    staff.save()
    client = Client()
    client.force_login(staff)
    response = client.post(
        reverse("admin:participation_council_changelist"),
        {"action": "export_data", "_selected_action": [council_a.pk]},
    )
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "manifest.json" in names and "tables/activities.YoungPerson.json" in names
