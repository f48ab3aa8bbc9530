"""Row-level security: PostgreSQL keeps councils apart even when the application forgets to.

The suite runs as the runtime role (tests/conftest.py), so these tests ask the database itself.
"""

import logging
import threading

import pytest
from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, connections, transaction

from feedback.models import FormLink, Theme
from forums.models import ForumMember
from participation import rls
from participation.activities.models import YoungPerson
from participation.celery import app as celery_app
from participation.models import Membership
from tests.conftest import client_for
from tests.factories import CouncilFactory, ForumFactory, MembershipFactory
from tests.feedback.factories import make_answer
from tests.forums.factories import ForumMemberFactory
from tests.participation.activities.factories import YoungPersonFactory


def _rows(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@pytest.mark.django_db
def test_every_council_table_has_row_level_security_forced_with_the_policy():
    tables = [
        t
        for (t,) in _rows(
            "SELECT table_name FROM information_schema.columns"
            " WHERE column_name = 'council_id' AND table_schema = current_schema()"
        )
    ]
    # Every app's tenant tables, not a hand-kept list.
    assert len(tables) >= 40
    assert {"participation_membership", "activities_youngperson", "forums_forummember"} <= set(
        tables
    )
    state = {
        name: (enabled, forced)
        for name, enabled, forced in _rows(
            "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class"
            " WHERE relname = ANY(%s)",
            [tables],
        )
    }
    policies = {
        (t, name): (cmd, qual, check)
        for t, name, cmd, qual, check in _rows(
            "SELECT tablename, policyname, cmd, qual, with_check FROM pg_policies"
            " WHERE schemaname = current_schema()"
        )
    }
    for table in tables:
        assert state[table] == (True, True), f"{table}: row-level security not enabled and forced"
        cmd, qual, check = policies[(table, rls.POLICY)]
        assert cmd == "ALL"
        assert "app.council_id" in qual and "app.council_id" in check, table
    # The other policies: a person's own memberships, read-only, and the links between two
    # council tables that Django makes for a many-to-many field (no council_id of their own).
    extra = {key: value for key, value in policies.items() if key[1] != rls.POLICY}
    assert {key: value[0] for key, value in extra.items()} == {
        ("participation_membership", rls.OWN_ROWS_POLICY): "SELECT",
        ("feedback_answer_themes", rls.LINK_POLICY): "ALL",
    }
    assert set(rls.link_tables()) == {"feedback_answer_themes"}
    ((enabled, forced),) = _rows(
        "SELECT relrowsecurity, relforcerowsecurity FROM pg_class"
        " WHERE relname = 'feedback_answer_themes'"
    )
    assert (enabled, forced) == (True, True)


@pytest.mark.django_db
def test_the_app_connects_as_a_role_that_owns_nothing_and_cannot_bypass():
    ((user, superuser, bypass),) = _rows(
        "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
    )
    assert user == settings.DATABASE_RUNTIME_ROLE
    assert (superuser, bypass) == (False, False)
    assert _rows(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = current_schema() AND pg_has_role(current_user, c.relowner, 'USAGE')"
    ) == [(0,)]
    with pytest.raises(DatabaseError), transaction.atomic():
        _rows("ALTER TABLE activities_youngperson DISABLE ROW LEVEL SECURITY")


@pytest.mark.django_db
def test_with_no_council_set_tenant_tables_are_empty_and_refuse_writes():
    council = CouncilFactory()
    YoungPersonFactory.create_batch(2, council=council)
    assert YoungPerson.objects.count() == 2  # the test acting as the platform
    with rls.no_council():
        assert YoungPerson.objects.count() == 0
        assert Membership.objects.count() == 0
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            YoungPerson.objects.create(council=council, preferred_name="Sam", reference="R1")
    assert YoungPerson.objects.count() == 2


@pytest.mark.django_db
def test_a_council_scope_refuses_another_councils_rows():
    a, b = CouncilFactory(), CouncilFactory()
    YoungPersonFactory(council=b)
    with rls.council_scope(a):
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            YoungPerson.objects.create(council=b, preferred_name="Sam", reference="R1")
        person = YoungPersonFactory(council=a)
        # Moving a row to another council is refused too (WITH CHECK on update).
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            YoungPerson.objects.filter(pk=person.pk).update(council=b)
        # B's rows cannot be changed or removed: they are not there.
        assert YoungPerson.objects.filter(council=b).update(preferred_name="changed") == 0
        assert YoungPerson.objects.filter(council=b).delete()[0] == 0
    assert YoungPerson.objects.filter(council=b).get().preferred_name != "changed"


@pytest.mark.django_db
def test_a_forgotten_filter_inside_a_council_scope_returns_nothing_of_another_council():
    a, b = CouncilFactory(), CouncilFactory()
    mine = YoungPersonFactory(council=a)
    YoungPersonFactory.create_batch(3, council=b)
    with rls.council_scope(a):
        assert list(YoungPerson.objects.all()) == [mine]  # no .filter(council=...) at all
        assert YoungPerson.objects.count() == 1
    # The scope ends with the block: the platform's view of both councils is back.
    assert YoungPerson.objects.count() == 4


@pytest.mark.django_db
def test_a_page_runs_in_its_councils_scope(member_a, council_b):
    """The tenancy decorator sets the scope: a view's unfiltered query would see only A."""
    from django.http import HttpResponse
    from django.test import RequestFactory

    from participation.tenancy import council_view

    YoungPersonFactory.create_batch(2, council=member_a.council)
    YoungPersonFactory.create_batch(3, council=council_b)
    seen = {}

    @council_view()
    def careless(request):
        seen["councils"] = set(YoungPerson.objects.values_list("council_id", flat=True))
        seen["settings"] = rls.current()
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.user = member_a.user
    request.session = {}
    with rls.no_council():
        careless(request, council_slug=member_a.council.slug)
    assert seen["councils"] == {member_a.council_id}
    assert seen["settings"][rls.COUNCIL] == str(member_a.council_id)


@pytest.mark.django_db
def test_scopes_nest_and_restore_what_was_there(council_a, council_b):
    before = rls.current()
    with rls.council_scope(council_a):
        with rls.all_councils("a test"):
            assert rls.current()[rls.ALL] == "on"
        assert rls.current() == {rls.COUNCIL: str(council_a.pk), rls.ALL: "", rls.USER: ""}
        with pytest.raises(ValueError), rls.council_scope(council_b):
            raise ValueError
        assert rls.current()[rls.COUNCIL] == str(council_a.pk)
    assert rls.current() == before


@pytest.mark.django_db
def test_working_across_councils_is_logged_with_its_reason(caplog, council_a):
    with caplog.at_level(logging.INFO, logger="participation.rls"), rls.all_councils("testing"):
        pass
    assert "Working across all councils: testing" in caplog.text


@pytest.mark.django_db
def test_a_person_reads_their_own_memberships_in_every_council_before_the_council_is_known():
    a, b = CouncilFactory(), CouncilFactory()
    mine_a = MembershipFactory(council=a)
    mine_b = MembershipFactory(council=b, user=mine_a.user)
    MembershipFactory(council=a)  # someone else's
    with rls.own_memberships(mine_a.user):
        assert set(Membership.objects.all()) == {mine_a, mine_b}
        # Reading only: it gives no right to write in those councils.
        with pytest.raises(DatabaseError), transaction.atomic():
            Membership.objects.create(council=a, user=mine_a.user, role="manager")


@pytest.mark.django_db
def test_a_secret_link_resolves_its_council_and_only_that_one(council_a, council_b):
    from tests.feedback.factories import make_form

    form = make_form(council_a)
    link = FormLink.objects.create(council=council_a, form=form)
    assert rls.token_council(FormLink, link.token) == council_a.pk
    assert rls.token_council(FormLink, "no-such-token") is None
    assert (
        client_for(MembershipFactory(council=council_b)).get("/f/no-such-token/").status_code == 404
    )


@pytest.mark.django_db
def test_a_forum_member_cannot_point_at_another_councils_young_person(council_a, council_b):
    forum = ForumFactory(council=council_a)
    theirs = YoungPersonFactory(council=council_b)
    with pytest.raises(IntegrityError, match="heard_forums_forummember_same"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # Through the ORM, as the platform (which sees both councils): still refused.
        ForumMemberFactory(council=council_a, forum=forum, young_person=theirs)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    assert not ForumMember.objects.exists()


@pytest.mark.django_db
def test_a_link_between_two_council_rows_follows_both_ends(council_a, council_b):
    _, answer = make_answer(council_a)
    ours = Theme.objects.create(council=council_a, name="School")
    theirs = Theme.objects.create(council=council_b, name="Home")
    with rls.council_scope(council_a):
        answer.themes.add(ours)
        assert answer.themes.count() == 1
    with rls.council_scope(council_b):
        # Council B sees none of A's links, even by a raw query.
        assert _rows("SELECT count(*) FROM feedback_answer_themes") == [(0,)]
    with rls.no_council():
        assert _rows("SELECT count(*) FROM feedback_answer_themes") == [(0,)]
    # Across councils, a link joining A's answer to B's theme is refused by the database.
    with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
        _rows(
            "INSERT INTO feedback_answer_themes (answer_id, theme_id) VALUES (%s, %s)",
            [answer.pk, theirs.pk],
        )
    assert list(answer.themes.all()) == [ours]


@pytest.mark.django_db
def test_every_key_between_council_tables_has_a_same_council_key():
    tenant = {
        t
        for (t,) in _rows(
            "SELECT table_name FROM information_schema.columns"
            " WHERE column_name = 'council_id' AND table_schema = current_schema()"
        )
    }
    single = _rows(
        "SELECT conrelid::regclass::text, a.attname, confrelid::regclass::text"
        " FROM pg_constraint c JOIN pg_attribute a"
        "   ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
        " WHERE contype = 'f' AND cardinality(conkey) = 1"
    )
    composite = {
        (child, parent, cols)
        for child, parent, cols in _rows(
            "SELECT conrelid::regclass::text, confrelid::regclass::text,"
            " (SELECT array_agg(attname ORDER BY attname) FROM pg_attribute"
            "   WHERE attrelid = conrelid AND attnum = ANY(conkey))::text"
            " FROM pg_constraint WHERE contype = 'f' AND cardinality(conkey) = 2"
        )
    }
    needed = [
        (child, column, parent)
        for child, column, parent in single
        if child in tenant and parent in tenant and column != "council_id"
    ]
    assert len(needed) > 40
    for child, column, parent in needed:
        cols = "{" + ",".join(sorted([column, "council_id"])) + "}"
        assert (child, parent, cols) in composite, f"{child}.{column} -> {parent}"


@pytest.mark.django_db
def test_securing_again_changes_nothing():
    def catalogue():
        return _rows(
            "SELECT conname FROM pg_constraint WHERE conname LIKE 'heard_%%' ORDER BY 1"
        ) + _rows("SELECT tablename, policyname FROM pg_policies ORDER BY 1, 2")

    before = catalogue()
    # As the runtime role it may not, and so does nothing.
    assert rls.secure_schema() == {"skipped": "not the owner of the tables"}
    assert catalogue() == before


def _council_rows_seen(errors, councils, people_of, rounds):
    """One thread: alternate councils on this thread's own (reused) connection."""
    try:
        for i in range(rounds):
            council = councils[i % len(councils)]
            with rls.council_scope(council):
                seen = set(YoungPerson.objects.values_list("pk", flat=True))
                if seen != people_of[council]:
                    errors.append(f"in council {council} saw {sorted(seen)}")
            # After the transaction, nothing: the setting did not outlive it.
            if YoungPerson.objects.exists():
                errors.append("rows visible after the scope ended")
    except Exception as error:  # noqa: BLE001 - reported to the main thread
        errors.append(repr(error))
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_threads_alternating_councils_on_reused_connections_never_see_the_wrong_council():
    councils = [CouncilFactory() for _ in range(3)]
    people_of = {
        c.pk: {p.pk for p in YoungPersonFactory.create_batch(i + 1, council=c)}
        for i, c in enumerate(councils)
    }
    order = [c.pk for c in councils]
    errors: list[str] = []
    threads = [
        threading.Thread(
            target=_council_rows_seen,
            args=(errors, order[n % 3 :] + order[: n % 3], people_of, 30),
        )
        for n in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_requests_alternating_councils_in_threads_show_only_their_own_council():
    a, b = CouncilFactory(slug="thread-a"), CouncilFactory(slug="thread-b")
    admin_a = MembershipFactory(council=a, role=Membership.Role.COUNCIL_ADMIN)
    admin_b = MembershipFactory(council=b, role=Membership.Role.COUNCIL_ADMIN)
    YoungPersonFactory(council=a, preferred_name="Alpha-only-name")
    YoungPersonFactory(council=b, preferred_name="Bravo-only-name")
    errors: list[str] = []

    def visit(order):
        try:
            clients = {m.council.slug: client_for(m) for m in (admin_a, admin_b)}
            for i in range(10):
                slug = order[i % 2]
                body = clients[slug].get(f"/c/{slug}/young-people/").content.decode()
                mine, theirs = ("Alpha", "Bravo") if slug == "thread-a" else ("Bravo", "Alpha")
                if f"{mine}-only-name" not in body or f"{theirs}-only-name" in body:
                    errors.append(f"{slug} round {i}")
        except Exception as error:  # noqa: BLE001
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=visit, args=(["thread-a", "thread-b"][:: 1 if n % 2 else -1],))
        for n in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


@pytest.mark.django_db
def test_the_database_check_finds_nothing_wrong_with_the_runtime_role():
    from participation.checks import row_level_security

    assert row_level_security(databases=["default"]) == []


@celery_app.task(name="tests.settings_inside_a_task")
def _settings_inside_a_task():
    return rls.current()


@pytest.mark.django_db
def test_a_task_run_in_process_does_not_inherit_its_callers_council(council_a, council_b):
    """An eager task called from inside A's scope starts with no council, and works in the
    council it is given."""
    from django.core import mail

    from participation.tasks import send_invitation_email
    from tests.factories import InvitationFactory

    invitation = InvitationFactory(council=council_b)
    with rls.council_scope(council_a):
        assert _settings_inside_a_task.apply().get() == {
            rls.COUNCIL: "",
            rls.ALL: "",
            rls.USER: "",
        }
        # Given A's id for B's invitation, the task finds nothing (B's row is not visible).
        send_invitation_email.apply(args=(invitation.pk, council_a.pk))
        assert mail.outbox == []
        send_invitation_email.apply(args=(invitation.pk, council_b.pk))
        assert rls.current()[rls.COUNCIL] == str(council_a.pk)
    assert [m.to for m in mail.outbox] == [[invitation.email]]
