"""Logos are re-drawn on upload (metadata gone, PNG/JPEG only, size capped) and served only for
active councils; QR codes and emailed links are built from SITE_URL, never the Host header."""

import io

import pytest
import segno
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from forums.models import CalendarLink
from participation.models import Council, Membership
from participation.services import invitation_create
from tests.conftest import client_for
from tests.factories import ForumFactory, UserFactory
from tests.feedback.factories import make_form

pytestmark = pytest.mark.django_db

SITE = "https://heard.example.gov.uk"
FORGED = "attacker.example"


def _jpeg_with_exif(size=(60, 30)) -> bytes:
    image = Image.new("RGB", size, "#1d70b8")
    exif = Image.Exif()
    exif[0x010F] = "Sam's phone"  # Make
    exif[0x0132] = "2026:01:02 03:04:05"  # DateTime
    exif[0x0112] = 6  # Orientation: turned a quarter
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes(), comment=b"secret comment")
    return buffer.getvalue()


def _upload(client, name, data, content_type):
    return client.post(
        "/c/council-a/settings/",
        {
            "name": "Council A",
            "brand_colour": "#1d70b8",
            "year_starts": "4",
            "logo": SimpleUploadedFile(name, data, content_type=content_type),
        },
    )


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_an_uploaded_logo_is_redrawn_without_its_metadata(council_a, admin_a, media):
    original = _jpeg_with_exif()
    assert b"Sam's phone" in original and b"secret comment" in original
    assert _upload(client_for(admin_a), "logo.jpg", original, "image/jpeg").status_code == 302
    council = Council.objects.get(pk=council_a.pk)
    stored = (media / council.logo.name).read_bytes()
    assert b"Sam's phone" not in stored and b"secret comment" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert image.size == (30, 60)  # turned the right way up, as the phone meant
    # The stored name is Heard's own, not the uploader's.
    assert "logo" not in council.logo.name.rsplit("/", 1)[1]


def test_a_big_logo_is_scaled_down_and_keeps_its_transparency(council_a, admin_a, media):
    buffer = io.BytesIO()
    Image.new("RGBA", (3000, 1500), (0, 0, 0, 0)).save(buffer, format="PNG")
    assert (
        _upload(client_for(admin_a), "big.png", buffer.getvalue(), "image/png").status_code == 302
    )
    council = Council.objects.get(pk=council_a.pk)
    with Image.open(media / council.logo.name) as image:
        assert image.format == "PNG" and image.size == (1000, 500) and image.mode == "RGBA"


@pytest.mark.parametrize(
    ("name", "kind"),
    [("logo.gif", "GIF"), ("logo.webp", "WEBP"), ("logo.bmp", "BMP")],
)
def test_other_image_kinds_are_refused_with_a_clear_error(council_a, admin_a, media, name, kind):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "#000000").save(buffer, format=kind)
    response = _upload(client_for(admin_a), name, buffer.getvalue(), "image/" + kind.lower())
    assert response.status_code == 200
    assert "The logo must be a PNG or JPEG image." in response.content.decode()
    council_a.refresh_from_db()
    assert not council_a.logo
    assert not list(media.rglob("*.*"))


def test_a_file_that_is_not_an_image_is_refused(council_a, admin_a, media):
    response = _upload(client_for(admin_a), "logo.png", b"<script>alert(1)</script>", "image/png")
    assert response.status_code == 200
    assert "Error:" in response.content.decode()
    council_a.refresh_from_db()
    assert not council_a.logo


def test_platform_staff_uploads_are_redrawn_too(media):
    staff = Client()
    staff.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = staff.post(
        "/admin/participation/council/add/",
        {
            "name": "Council C",
            "slug": "council-c",
            "brand_colour": "#1d70b8",
            "year_starts": "4",
            "is_active": "on",
            "logo": SimpleUploadedFile("c.jpg", _jpeg_with_exif(), content_type="image/jpeg"),
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    council = Council.objects.get(slug="council-c")
    assert b"Sam's phone" not in (media / council.logo.name).read_bytes()


def test_logos_are_served_only_for_active_councils_and_only_the_current_one(
    council_a, admin_a, media
):
    client = client_for(admin_a)
    assert _upload(client, "logo.jpg", _jpeg_with_exif(), "image/jpeg").status_code == 302
    first = Council.objects.get(pk=council_a.pk).logo
    assert Client().get(first.url).status_code == 200
    # Replaced: the old file is no longer served.
    assert _upload(client, "logo.jpg", _jpeg_with_exif((80, 40)), "image/jpeg").status_code == 302
    current = Council.objects.get(pk=council_a.pk).logo
    assert Client().get(first.url).status_code == 404
    assert Client().get(current.url).status_code == 200
    # A council switched off: its logo is gone too.
    Council.objects.filter(pk=council_a.pk).update(is_active=False)
    assert Client().get(current.url).status_code == 404
    # Nothing else in the folder, named or guessed.
    (media / "council-logos" / "other.png").write_bytes(b"x")
    assert Client().get("/media/council-logos/other.png").status_code == 404


# Links that leave the app ----------------------------------------------------------------------


def test_qr_codes_and_the_form_page_use_site_url_not_the_host_header(council_a, member_a, settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["testserver", FORGED]
    form = make_form(council_a)
    token = form.links.get(revoked_at=None).token
    expected = SITE + reverse("public_form", args=[token])
    client = client_for(member_a)
    page = client.get(
        reverse("feedback_form_detail", args=[council_a.slug, form.pk]), HTTP_HOST=FORGED
    )
    assert expected in page.content.decode() and FORGED not in page.content.decode()
    svg = client.get(
        reverse("feedback_qr_svg", args=[council_a.slug, form.pk]), HTTP_HOST=FORGED
    ).content
    buffer = io.BytesIO()
    segno.make(expected, error="m").save(buffer, kind="svg", scale=10, title=form.title)
    assert svg == buffer.getvalue()


def test_calendar_links_use_site_url(council_a, member_a, settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["testserver", FORGED]
    forum = ForumFactory(council=council_a)
    client = client_for(member_a)
    client.post(f"/c/council-a/forums/{forum.pk}/calendar/", HTTP_HOST=FORGED)
    link = CalendarLink.objects.get(forum=forum, revoked_at__isnull=True)
    html = client.get(f"/c/council-a/forums/{forum.pk}/calendar/", HTTP_HOST=FORGED).content
    assert (SITE + f"/calendar/{link.token}.ics").encode() in html
    assert FORGED.encode() not in html


def test_password_reset_and_invitation_emails_use_site_url(
    council_a, admin_a, member_a, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["testserver", FORGED]
    Client().post("/account/password/reset/", {"email": member_a.user.email}, HTTP_HOST=FORGED)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(
            council=council_a,
            invited_by=admin_a.user,
            email="new@example.org",
            role=Membership.Role.PRACTITIONER,
        )
    reset, invite = mail.outbox
    assert SITE + "/account/password/reset/" in reset.body and FORGED not in reset.body
    assert SITE + "/invitations/" in invite.body
