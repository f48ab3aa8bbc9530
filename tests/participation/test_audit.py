"""The audit trail: database capture of changes, append-only tables, security and access events,
refused pages, and the admins' page."""

import csv
import io
import logging
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from participation.audit import acting_as, record_security_event
from participation.audit.capture import EXCLUDED_TABLES, install, tracked_tables
from participation.audit.events import keyed_hash
from participation.models import AuditEvent, DataChange, Invitation, SecurityEvent
from tests.conftest import client_for
from tests.factories import PASSWORD, ForumFactory, MembershipFactory, UserFactory
from tests.feedback.factories import make_alert, make_form, submit
from tests.participation.activities.factories import YoungPersonFactory
from tests.participation.activities.test_imports_exports import import_file
from tests.querycount import assert_constant_queries
from tests.reporting.factories import make_final_run

YOUNG_PEOPLE = "activities_youngperson"


def changes(table, **filters):
    return list(DataChange.objects.filter(table_name=table, **filters).order_by("id"))


# Capture in the database ---------------------------------------------------------------------


def test_every_council_table_has_the_capture_trigger_except_the_audit_and_bookkeeping_ones(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
            "WHERE a.attname = 'council_id' AND c.relkind = 'r' AND c.relnamespace = "
            "current_schema()::regnamespace"
        )
        council_tables = {name for (name,) in cursor.fetchall()}
        cursor.execute(
            "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = 'heard_audit_capture'"
        )
        triggered = {name for (name,) in cursor.fetchall()}
    assert council_tables - set(EXCLUDED_TABLES) <= triggered
    assert "participation_council" in triggered
    assert not triggered & set(EXCLUDED_TABLES)
    assert set(tracked_tables()) == triggered


def test_a_table_added_later_is_covered_by_the_installer(as_owner):
    # A schema change, so as the tables' owner (as a migration would run).
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE later_feature (id bigserial PRIMARY KEY, council_id bigint, note text)"
        )
    try:
        assert install() == ["later_feature"]
        assert install() == []  # idempotent
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO later_feature (council_id, note) VALUES (7, 'hello')")
        (change,) = changes("later_feature")
        assert (change.council_id, change.operation, change.after["note"]) == (7, "insert", "hello")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE later_feature")


def test_create_update_delete_are_captured_with_before_after_and_actor(council_a, admin_a):
    with acting_as(admin_a.user.pk):
        person = YoungPersonFactory(council=council_a, preferred_name="Kai")
        person.preferred_name = "Kai B"
        person.save()
        person.save()  # nothing changed: not a change
        pk = person.pk
        person.delete()
    created, updated, deleted = changes(YOUNG_PEOPLE, row_id=str(pk))
    assert created.operation == "insert" and created.before is None
    assert created.after["preferred_name"] == "Kai"
    assert updated.operation == "update"
    # "updated at" changes on every save; a save that changes nothing else leaves no entry.
    assert updated.changed_columns == ["preferred_name", "updated_at"]
    assert (updated.before["preferred_name"], updated.after["preferred_name"]) == ("Kai", "Kai B")
    assert deleted.operation == "delete" and deleted.after is None
    assert {c.actor_id for c in (created, updated, deleted)} == {admin_a.user.pk}
    assert {c.council_id for c in (created, updated, deleted)} == {council_a.pk}
    assert len({c.request_id for c in (created, updated, deleted)}) == 1


def test_secret_columns_are_not_copied_into_the_trail(council_a, admin_a):
    invitation = Invitation.objects.create(council=council_a, email="x@example.org", role="manager")
    (change,) = changes("participation_invitation")
    assert change.after["token"] == "(hidden)"
    assert invitation.token not in str(change.after)


def test_a_request_records_its_person_and_the_next_request_on_the_connection_does_not(
    council_a, admin_a
):
    client = client_for(admin_a)
    response = client.post(
        reverse("council_settings", args=[council_a.slug]),
        {
            "name": "Council A renamed",
            "brand_colour": council_a.brand_colour or "#1d70b8",
            "year_starts": council_a.year_starts,
        },
    )
    assert response.status_code == 302
    (change,) = changes("participation_council", row_id=str(council_a.pk), operation="update")
    assert change.actor_id == admin_a.user.pk
    assert change.before["name"] == "Council A" and change.after["name"] == "Council A renamed"

    # A child's answers arrive on the same connection with nobody signed in.
    from tests.feedback.test_public import answer

    form = make_form(council_a)
    assert answer(Client(), form).status_code in (200, 302)
    answers = changes("feedback_response")
    assert answers and {c.actor_id for c in answers} == {None}


def test_a_write_in_the_django_admin_is_captured(council_a, django_capture_on_commit_callbacks):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/participation/invitation/add/",
            {"council": council_a.pk, "email": "first.admin@example.org", "role": "council_admin"},
        )
    assert response.status_code == 302
    # Then the invitation email task marks it sent (run here after the request has ended).
    change, *_ = changes("participation_invitation")
    assert (change.operation, change.actor_id, change.council_id) == (
        "insert",
        staff.pk,
        council_a.pk,
    )


def test_a_bulk_import_is_captured_row_by_row(council_a, officer_a):
    client = client_for(officer_a)
    sample = client.get(reverse("activity_import_sample", args=[council_a.slug]))
    import_file(client, council_a, sample.content, "sample.csv")
    (activity,) = changes("activities_activity", operation="insert")
    assert activity.actor_id == officer_a.user.pk
    assert changes("activities_activityservicearea", operation="insert")


def test_bulk_update_and_raw_sql_are_captured(council_a, admin_a):
    YoungPersonFactory.create_batch(3, council=council_a)
    from participation.activities.models import YoungPerson

    with acting_as(admin_a.user.pk):
        YoungPerson.objects.filter(council=council_a).update(preferred_name="moved")
    assert len(changes(YOUNG_PEOPLE, operation="update", actor_id=admin_a.user.pk)) == 3
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM activities_youngperson WHERE council_id = %s", [council_a.pk])
    assert len(changes(YOUNG_PEOPLE, operation="delete", actor_id=None)) == 3


# Append-only -----------------------------------------------------------------------------------


@contextmanager
def as_app_role():
    """The suite already runs as the runtime role (tests/conftest.py): not the tables' owner, so
    both walls stand between it and the audit rows: no UPDATE/DELETE grant (participation/rls.py,
    `append_only`) and the append-only trigger (which also refuses TRUNCATE, granted in tests for
    flushing)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableowner <> current_user FROM pg_tables"
            " WHERE tablename = 'participation_auditevent'"
        )
        assert cursor.fetchone()[0], "the tests must not run as the tables' owner"
    yield


def _refused(sql, params=()):
    with (
        pytest.raises(DatabaseError, match="append-only|permission denied"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


@pytest.mark.parametrize("table", ["participation_datachange", "participation_auditevent"])
def test_the_app_role_cannot_update_or_delete_audit_rows(council_a, admin_a, table):
    YoungPersonFactory(council=council_a)
    AuditEvent.objects.create(
        council=council_a, verb="tested", subject_type="council", subject_id=1
    )
    before = list(
        DataChange.objects.values() if table.endswith("datachange") else AuditEvent.objects.values()
    )
    with as_app_role():
        _refused(f"UPDATE {table} SET request_id = 'forged'")
        _refused(f"DELETE FROM {table}")
        _refused(f"TRUNCATE {table}")
        # It can still write new entries: the trail grows, by capture or by hand.
        YoungPersonFactory(council=council_a)
    after = (
        DataChange.objects.values() if table.endswith("datachange") else AuditEvent.objects.values()
    )
    assert [row for row in after if row["id"] in {r["id"] for r in before}] == before
    assert DataChange.objects.filter(table_name=YOUNG_PEOPLE).count() == 2


def test_the_retention_function_deletes_one_councils_old_entries_only(council_a, council_b):
    old = timezone.now() - timedelta(days=800)
    for council in (council_a, council_b):
        AuditEvent.objects.create(
            council=council, verb="old", subject_type="council", subject_id=1, at=old
        )
        AuditEvent.objects.create(council=council, verb="new", subject_type="council", subject_id=1)
        DataChange.objects.create(
            council=council, table_name="x", row_id="1", operation="insert", at=old
        )
    cutoff = timezone.now() - timedelta(days=365)
    with as_app_role(), connection.cursor() as cursor:
        cursor.execute("SELECT heard_audit_delete_before(%s, %s)", [council_a.pk, cutoff])
        assert cursor.fetchone()[0] == 2
    assert set(AuditEvent.objects.filter(council=council_a).values_list("verb", flat=True)) == {
        "new"
    }
    assert not DataChange.objects.filter(council=council_a, table_name="x").exists()
    assert AuditEvent.objects.filter(council=council_b).count() == 2
    assert DataChange.objects.filter(council=council_b, table_name="x").count() == 1


# Security events -------------------------------------------------------------------------------


def _sign_in(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


def _reset_link(user):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("password_reset_confirm", args=[uid, token])


def _do_reset(client, user):
    page = client.get(_reset_link(user), follow=True)
    client.post(
        page.request["PATH_INFO"],
        {"new_password1": "a new long phrase 42", "new_password2": "a new long phrase 42"},
    )


SECURITY_ACTIONS = {
    "signed_in": lambda c, u: _sign_in(c, u.email, PASSWORD),
    "signed_out": lambda c, u: (c.force_login(u), c.post(reverse("logout"))),
    "sign_in_failed": lambda c, u: _sign_in(c, u.email, "wrong"),
    "locked_out": lambda c, u: [_sign_in(c, u.email, "wrong") for _ in range(5)],
    "password_changed": lambda c, u: (
        c.force_login(u),
        c.post(
            reverse("password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "a new long phrase 42",
                "new_password2": "a new long phrase 42",
            },
        ),
    ),
    "password_reset_requested": lambda c, u: c.post(reverse("password_reset"), {"email": u.email}),
    "password_reset": _do_reset,
    "two_factor_added": lambda c, u: record_security_event("two_factor_added", user=u),
}


@pytest.mark.parametrize("kind", sorted(SECURITY_ACTIONS))
def test_each_security_action_leaves_its_entry(member_a, kind):
    user = member_a.user
    SECURITY_ACTIONS[kind](Client(), user)
    assert SecurityEvent.objects.filter(kind=kind, user=user).exists(), list(
        SecurityEvent.objects.values_list("kind", flat=True)
    )


def test_a_failed_sign_in_for_no_account_keeps_a_hash_not_the_email(db, caplog):
    caplog.set_level(logging.DEBUG)
    _sign_in(Client(), "Nobody.Here@example.org", "wrong")
    (event,) = SecurityEvent.objects.filter(kind="sign_in_failed")
    assert event.user_id is None
    assert event.email_hash == keyed_hash("nobody.here@example.org")
    assert "nobody.here" not in str(SecurityEvent.objects.values().get()).lower()
    assert "nobody.here" not in caplog.text.lower()


def test_an_unknown_security_kind_is_a_programming_error(db):
    with pytest.raises(ValueError, match="Unknown security event"):
        record_security_event("signed_in_somehow")


# Views, exports and downloads --------------------------------------------------------------


def _young_person(council):
    return reverse(
        "young_person_detail", args=[council.slug, YoungPersonFactory(council=council).pk]
    )


def _form_url(name, suffix=""):
    def build(council):
        form = make_form(council)
        submit(form, {0: "3", 3: "Things at school are hard"})
        return reverse(name, args=[council.slug, form.pk]) + suffix

    return build


ACCESS = {
    "young person record": (_young_person, "viewed", "youngperson"),
    "activities CSV": (lambda c: reverse("activity_export", args=[c.slug]), "exported", "activity"),
    "activities XLSX": (
        lambda c: reverse("activity_export", args=[c.slug]) + "?format=xlsx",
        "exported",
        "activity",
    ),
    "action plan export": (lambda c: reverse("action_export", args=[c.slug]), "exported", "action"),
    "feedback results": (_form_url("feedback_results"), "viewed results", "feedbackform"),
    "feedback CSV": (_form_url("feedback_results_csv"), "exported answers", "feedbackform"),
    "feedback XLSX": (_form_url("feedback_results_xlsx"), "exported answers", "feedbackform"),
    "text answers": (_form_url("feedback_text_answers"), "viewed answers", "feedbackform"),
    "safeguarding alert": (
        lambda c: reverse("alert_detail", args=[c.slug, make_alert(c).pk]),
        "viewed",
        "safeguardingalert",
    ),
    "report download": (
        lambda c: reverse("report_download", args=[c.slug, make_final_run(c).pk]),
        "downloaded",
        "reportrun",
    ),
}


@pytest.mark.parametrize("what", sorted(ACCESS))
def test_each_view_or_download_leaves_its_entry_with_ids_only(council_a, admin_a, what):
    build, verb, subject_type = ACCESS[what]
    url = build(council_a)
    # The trail is append-only even for the test: only entries after this one are this request's.
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client_for(admin_a).get(url)
    assert response.status_code == 200, url
    (event,) = AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCESS, pk__gt=before)
    assert (event.council, event.actor_id, event.verb, event.subject_type) == (
        council_a,
        admin_a.user.pk,
        verb,
        subject_type,
    )
    assert event.request_id
    assert "school" not in event.detail


# Refused pages -----------------------------------------------------------------------------


def test_403_and_404_on_council_pages_are_recorded_for_a_real_council(
    council_a, member_a, member_b
):
    client_for(member_a).get(reverse("council_settings", args=[council_a.slug]))
    client_for(member_b).get(reverse("forum_detail", args=[council_a.slug, 123]))
    client_for(member_b).get("/c/no-such-council/forums/")
    refused = AuditEvent.objects.filter(kind=AuditEvent.Kind.REFUSED).order_by("id")
    assert [(e.council_id, e.actor_id, e.verb, e.detail) for e in refused] == [
        (council_a.pk, member_a.user.pk, "refused (403)", "council_settings"),
        (council_a.pk, member_b.user.pk, "not found (404)", "forum_detail forum_id=123"),
    ]


# The page ------------------------------------------------------------------------------------


def trail_url(council, **query):
    url = reverse("audit_trail", args=[council.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_only_the_councils_admins_see_the_audit_trail(member_a, admin_a, member_b):
    council = admin_a.council
    for name in ("audit_trail", "audit_trail_export"):
        url = reverse(name, args=[council.slug])
        assert client_for(member_a).get(url).status_code == 403
        assert client_for(member_b).get(url).status_code == 404
        assert client_for(admin_a).get(url).status_code == 200


def test_the_page_shows_a_change_before_and_after_and_filters(council_a, admin_a, member_a):
    with acting_as(member_a.user.pk):
        person = YoungPersonFactory(council=council_a, preferred_name="Kai")
        person.preferred_name = "Remi"
        person.save()
    ForumFactory(council=council_a, name="Youth Council")
    client = client_for(admin_a)
    page = client.get(trail_url(council_a, record_type="youngperson", record_id=person.pk))
    html = page.content.decode()
    assert f"Changed young person #{person.pk}" in html
    assert "<del>Kai</del>" in html and "<ins>Remi</ins>" in html
    assert member_a.user.full_name in html
    assert "Youth Council" not in html
    # Newest first: the change comes before the creation.
    assert html.index(f"Changed young person #{person.pk}") < html.index(
        f"Created young person #{person.pk}"
    )
    by_person = client.get(trail_url(council_a, person=admin_a.user.pk, kind="change")).content
    assert b"young person #" not in by_person
    assert b"No entries match these filters" in by_person


def test_the_page_says_when_nothing_is_recorded(council_a, admin_a):
    client = client_for(admin_a)
    # Cleared the only way the app's role may: the owner's retention function, then the
    # security events (not council-owned).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT heard_audit_delete_before(%s, %s)",
            [council_a.pk, timezone.now() + timedelta(seconds=1)],
        )
    SecurityEvent.objects.all().delete()
    html = client.get(trail_url(council_a)).content.decode()
    assert "Nothing has been recorded yet" in html


def test_the_page_shows_the_councils_people_sign_ins_not_other_councils(admin_a, member_b):
    client = client_for(admin_a)  # signs admin_a in: one entry
    record_security_event("signed_in", user=member_b.user)
    html = client.get(trail_url(admin_a.council, kind="security")).content.decode()
    assert html.count("Signed in") == 1
    assert admin_a.user.full_name in html and member_b.user.full_name not in html


def test_a_bad_date_range_is_explained(admin_a):
    html = (
        client_for(admin_a)
        .get(trail_url(admin_a.council, start="2026-05-01", end="2026-04-01"))
        .content.decode()
    )
    assert "The end date must be the same as or after the start date." in html


def test_the_export_holds_the_entries_and_is_itself_recorded(council_a, admin_a):
    with acting_as(admin_a.user.pk):
        person = YoungPersonFactory(council=council_a, preferred_name="Kai")
    response = client_for(admin_a).get(
        reverse("audit_trail_export", args=[council_a.slug]) + "?record_type=youngperson"
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["When", "Who", "Person id"]
    (row,) = rows[1:]
    assert row[1:3] == [admin_a.user.full_name, str(admin_a.user.pk)]
    assert row[5] == str(person.pk)
    assert "Kai" in row[7]
    export = AuditEvent.objects.get(verb="exported", subject_type="audit trail")
    assert (export.actor_id, export.detail) == (admin_a.user.pk, "youngperson")


def test_the_page_query_count_does_not_grow(council_a, admin_a, member_a):
    client = client_for(admin_a)

    def grow(n):
        # Interleaved, so every page holds all three kinds of entry.
        for _ in range(n):
            with acting_as(member_a.user.pk):
                person = YoungPersonFactory(council=council_a)
                person.preferred_name = "changed"
                person.save()
            AuditEvent.objects.create(
                council=council_a,
                actor=member_a.user,
                verb="tested",
                subject_type="council",
                subject_id=council_a.pk,
            )
            record_security_event("signed_in", user=member_a.user)

    count = assert_constant_queries(
        lambda: client.get(trail_url(council_a)), grow=grow, sizes=(5, 60)
    )
    assert count <= 12


def test_a_new_membership_in_another_council_does_not_show_there(admin_a, admin_b):
    """A person who belongs to two councils: each council's admins see only their own records."""
    both = MembershipFactory(council=admin_b.council).user
    MembershipFactory(council=admin_a.council, user=both)
    with acting_as(both.pk):
        YoungPersonFactory(council=admin_b.council, preferred_name="Only in B")
    html = client_for(admin_a).get(trail_url(admin_a.council)).content.decode()
    assert "Only in B" not in html
