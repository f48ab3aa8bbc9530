"""Staff pages: who may do what, the builder, assisted mode, alerts, results and exports."""

import csv
import io
import re

import pytest
from django.test import Client
from django.urls import reverse

from feedback import services
from feedback.models import (
    FeedbackForm,
    Question,
    Response,
    SafeguardingAlert,
    SafeguardingContact,
    YouSaidWeDid,
)
from feedback.templates_library import TEMPLATES
from participation.models import AuditEvent
from tests.conftest import client_for
from tests.factories import CouncilFactory
from tests.feedback.factories import K, make_alert, make_form, make_you_said, officer, submit
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def url(name, council, *args):
    return reverse(name, args=[council.slug, *args])


# Who may do what ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["feedback_form_create", "feedback_form_from_template", "safeguarding_settings"]
)
def test_practitioner_and_manager_cannot_build(name, council_a, member_a, manager_a):
    for membership in (member_a, manager_a):
        client = client_for(membership)
        assert client.get(url(name, council_a)).status_code == 403
        assert (
            client.post(url(name, council_a), {"title": "x", "template": "iro"}).status_code == 403
        )
    assert not FeedbackForm.objects.exists()


def test_practitioner_cannot_change_a_form(council_a, member_a):
    form = make_form(council_a)
    client = client_for(member_a)
    question = form.live_version.questions.first()
    for name, args in [
        ("feedback_form_edit", [form.pk]),
        ("feedback_form_close", [form.pk]),
        ("feedback_link_replace", [form.pk]),
        ("feedback_question_delete", [form.pk, question.pk]),
    ]:
        assert client.post(url(name, council_a, *args), {"title": "x"}).status_code == 403
    form.refresh_from_db()
    assert not form.is_closed
    assert form.links.filter(revoked_at=None).count() == 1
    assert Question.objects.filter(pk=question.pk).exists()


def test_results_are_for_officers_admins_and_managers(council_a, member_a, manager_a, admin_a):
    form = make_form(council_a)
    assert client_for(member_a).get(url("feedback_results", council_a, form.pk)).status_code == 403
    assert (
        client_for(member_a).get(url("feedback_results_csv", council_a, form.pk)).status_code == 403
    )
    assert client_for(manager_a).get(url("feedback_results", council_a, form.pk)).status_code == 200
    assert client_for(admin_a).get(url("feedback_results", council_a, form.pk)).status_code == 200


def test_practitioner_sees_alerts_only_when_named_a_contact(council_a, member_a, manager_a):
    alert = make_alert(council_a)
    client = client_for(member_a)
    assert client.get(url("alert_list", council_a)).status_code == 403
    assert client.get(url("alert_detail", council_a, alert.pk)).status_code == 403
    assert (
        client.post(url("alert_detail", council_a, alert.pk), {"do": "acknowledge"}).status_code
        == 403
    )
    alert.refresh_from_db()
    assert alert.acknowledged_at is None
    assert client_for(manager_a).get(url("alert_list", council_a)).status_code == 403

    SafeguardingContact.objects.create(council=council_a, membership=member_a)
    assert client.get(url("alert_list", council_a)).status_code == 200
    assert client.get(url("alert_detail", council_a, alert.pk)).status_code == 200


def test_member_of_b_cannot_see_a_alerts_or_forms(council_a, member_b):
    alert = make_alert(council_a)
    client = client_for(member_b)
    assert client.get(url("alert_detail", council_a, alert.pk)).status_code == 404
    assert client.get(url("alert_list", council_a)).status_code == 404


# Building a form ----------------------------------------------------------------------------


def test_officer_builds_and_publishes_a_form(council_a, officer_a):
    client = client_for(officer_a)
    response = client.post(
        url("feedback_form_create", council_a),
        {
            "title": "Youth club survey",
            "audience": "young_people",
            "service_area": "youth",
            "is_anonymous": "on",
        },
    )
    form = FeedbackForm.objects.get()
    assert response.status_code == 302
    add = url("feedback_question_add", council_a, form.pk)
    client.post(add, {"text": "Do you like the youth club?", "kind": "yes_no", "required": "on"})
    client.post(add, {"text": "What should we add?", "kind": "short_text"})
    page = client.get(url("feedback_form_detail", council_a, form.pk)).content.decode()
    assert page.index("Do you like the youth club?") < page.index("What should we add?")

    second = form.versions.get().questions.get(text="What should we add?")
    client.post(url("feedback_question_move", council_a, form.pk, second.pk), {"direction": "up"})
    page = client.get(url("feedback_form_detail", council_a, form.pk)).content.decode()
    assert page.index("What should we add?") < page.index("Do you like the youth club?")

    client.post(url("feedback_form_publish", council_a, form.pk))
    form.refresh_from_db()
    assert form.status == "Open"
    public = Client().get(reverse("public_form", args=[form.links.get().token]))
    assert "Do you like the youth club?" in public.content.decode()


def test_form_with_bad_dates_shows_an_error_and_saves_nothing(council_a, officer_a):
    response = client_for(officer_a).post(
        url("feedback_form_create", council_a),
        {
            "title": "Survey",
            "audience": "children",
            "service_area": "cla",
            "opens_at": "2026-06-02",
            "closes_at": "2026-06-01",
        },
    )
    assert response.status_code == 200
    assert "The closing date must be on or after the opening date." in response.content.decode()
    assert not FeedbackForm.objects.exists()


def test_choice_question_without_choices_shows_an_error(council_a, officer_a):
    form = make_form(council_a, questions=[], publish=False)
    response = client_for(officer_a).post(
        url("feedback_question_add", council_a, form.pk), {"text": "Pick one", "kind": "single"}
    )
    assert "Enter at least two choices" in response.content.decode()
    assert not Question.objects.filter(version__form=form).exists()


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_officer_starts_a_form_from_each_template(council_a, officer_a, key):
    response = client_for(officer_a).post(
        url("feedback_form_from_template", council_a), {"template": key}
    )
    form = FeedbackForm.objects.get()
    assert response.status_code == 302
    assert form.title == TEMPLATES[key]["title"]
    assert form.versions.get().questions.count() == len(TEMPLATES[key]["questions"])


def test_unknown_template_is_refused(council_a, officer_a):
    response = client_for(officer_a).post(
        url("feedback_form_from_template", council_a), {"template": "nope"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not FeedbackForm.objects.exists()


def test_qr_codes_download_as_svg_and_png(council_a, member_a):
    form = make_form(council_a)
    client = client_for(member_a)
    svg = client.get(url("feedback_qr_svg", council_a, form.pk))
    png = client.get(url("feedback_qr_png", council_a, form.pk))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")


def test_a_draft_shows_no_link_or_qr_code_until_it_is_published(council_a, officer_a):
    form = make_form(council_a, publish=False)
    client = client_for(officer_a)
    token = form.links.get().token
    page = client.get(url("feedback_form_detail", council_a, form.pk)).content.decode()
    assert token not in page and "QR code for the form" not in page
    assert "appear here once the form is published" in page
    assert client.get(url("feedback_qr_svg", council_a, form.pk)).status_code == 404
    assert client.get(url("feedback_qr_png", council_a, form.pk)).status_code == 404

    services.form_publish(form=form, actor=officer_a.user)
    page = client.get(url("feedback_form_detail", council_a, form.pk)).content.decode()
    assert "/f/" + token in page and "QR code for the form" in page
    assert client.get(url("feedback_qr_svg", council_a, form.pk)).status_code == 200


def test_form_page_shows_the_public_link(council_a, member_a):
    form = make_form(council_a)
    page = (
        client_for(member_a).get(url("feedback_form_detail", council_a, form.pk)).content.decode()
    )
    assert "/f/" + form.links.get().token in page


# Assisted mode ------------------------------------------------------------------------------


def test_practitioner_fills_a_form_with_a_young_person(council_a, member_a):
    form = make_form(council_a)
    client = client_for(member_a)
    assist = url("feedback_form_assist", council_a, form.pk)
    html = client.get(assist).content.decode()
    assert "Completed with a worker" in html
    key = re.search(r'name="key" value="([^"]+)"', html).group(1)
    name = services.field_name(form.live_version.questions.order_by("position").first())
    response = client.post(assist, {"key": key, name: "5", "talk": "yes"})
    assert response.status_code == 200
    assert "0800 1111" in response.content.decode()
    saved = Response.objects.get()
    assert saved.is_assisted and saved.assisted_by == member_a.user
    assert SafeguardingAlert.objects.filter(response=saved).exists()


# Alerts -------------------------------------------------------------------------------------


def test_officer_acknowledges_an_alert_and_records_what_was_done(council_a, officer_a):
    alert = make_alert(council_a)
    client = client_for(officer_a)
    listing = client.get(url("alert_list", council_a)).content.decode()
    assert "Waiting" in listing
    detail = url("alert_detail", council_a, alert.pk)
    client.post(detail, {"do": "acknowledge"})
    alert.refresh_from_db()
    assert alert.acknowledged_by == officer_a.user
    page = client.get(detail).content.decode()
    assert f"By {officer_a.user.full_name}" in page

    response = client.post(detail, {"do": "action", "action_taken": ""})
    assert "Write what was done." in response.content.decode()
    client.post(detail, {"do": "action", "action_taken": "Social worker visited today."})
    alert.refresh_from_db()
    assert alert.action_taken == "Social worker visited today."


def test_officer_names_a_safeguarding_contact(council_a, officer_a, member_a):
    client = client_for(officer_a)
    client.post(
        url("safeguarding_settings", council_a), {"form": "contact", "membership": member_a.pk}
    )
    assert SafeguardingContact.objects.filter(membership=member_a).exists()


def test_a_member_of_another_council_cannot_be_named_a_contact(council_a, officer_a, member_b):
    response = client_for(officer_a).post(
        url("safeguarding_settings", council_a), {"form": "contact", "membership": member_b.pk}
    )
    assert "Choose a person from the list." in response.content.decode()
    assert not SafeguardingContact.objects.exists()


def test_reminder_time_must_be_sensible(council_a, officer_a):
    response = client_for(officer_a).post(
        url("safeguarding_settings", council_a),
        {
            "form": "settings",
            "worrying_phrases": "x",
            "contact_text": "",
            "renotify_after_minutes": "1",
        },
    )
    assert "from 5 to 1440" in response.content.decode()


# Results ------------------------------------------------------------------------------------


def test_results_hide_figures_below_five_answers(council_a, officer_a):
    form = make_form(council_a)
    for _ in range(4):
        submit(form, {0: "5", 1: "Yes"})
    page = client_for(officer_a).get(url("feedback_results", council_a, form.pk)).content.decode()
    assert "Fewer than 5 answers: not shown." in page
    assert "Very happy" not in page

    submit(form, {0: "4", 1: "Yes"})
    page = client_for(officer_a).get(url("feedback_results", council_a, form.pk)).content.decode()
    assert "Very happy" in page
    assert "<svg" in page
    assert "Very happy: 4" in page  # the chart's description states the figure
    # The yes/no question now has 5 answers; the choose-any and written ones have none.
    assert page.count("Fewer than 5 answers: not shown.") == 2


def test_breakdowns_hide_small_groups(council_a, officer_a):
    form = make_form(
        council_a,
        questions=[
            {"kind": K.FACES, "text": "How are things?"},
            {
                "kind": K.SINGLE,
                "text": "How old are you?",
                "choices": "8 to 10\n11 to 13",
                "about_you": "age",
            },
        ],
    )
    for _ in range(5):
        submit(form, {0: "3", 1: "8 to 10"})
    for _ in range(2):
        submit(form, {0: "3", 1: "11 to 13"})
    page = client_for(officer_a).get(url("feedback_results", council_a, form.pk)).content.decode()
    breakdown = page[page.index("Who answered") :]
    assert re.search(r"8 to 10</td><td[^>]*>5<", breakdown)
    assert re.search(r"11 to 13</td><td[^>]*>fewer than 5<", breakdown)


def test_results_for_an_old_version(council_a, officer_a):
    form = make_form(council_a)
    for _ in range(5):
        submit(form, {0: "2"})
    question = form.live_version.questions.order_by("position").first()
    services.question_update(question=question, actor=officer(council_a), text="New wording")
    client = client_for(officer_a)
    latest = client.get(url("feedback_results", council_a, form.pk)).content.decode()
    old = client.get(url("feedback_results", council_a, form.pk) + "?version=1").content.decode()
    assert "New wording" in latest and ">0</span> responses" in latest
    assert "How do you feel about where you live?" in old and ">5</span> responses" in old


def test_csv_export_has_a_row_per_response_and_no_names(council_a, officer_a):
    form = make_form(council_a, is_anonymous=False)
    submit(
        form,
        {0: "4", 2: ["Mum", "Friends"], 3: "=cmd()", "name": "Jess", "contact": "07700 900000"},
    )
    submit(form, {0: "2"})
    response = client_for(officer_a).get(url("feedback_results_csv", council_a, form.pk))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][4] == "How do you feel about where you live?"
    assert len(rows) == 3
    body = response.content.decode()
    assert "Jess" not in body and "07700" not in body
    assert "Mum; Friends" in body
    assert "'=cmd()" in body  # never run as a spreadsheet formula


def test_officer_tags_an_answer_with_themes(council_a, officer_a):
    form = make_form(council_a)
    response = submit(form, {0: "3", 3: "More trips please"})
    answer = response.answers.exclude(text="").get()
    client = client_for(officer_a)
    client.post(
        url("feedback_answer_themes", council_a, form.pk, answer.pk),
        {"themes": "trips, activities"},
    )
    assert sorted(answer.themes.values_list("name", flat=True)) == ["activities", "trips"]
    listing = client.get(
        url("feedback_text_answers", council_a, form.pk) + "?theme=trips"
    ).content.decode()
    assert "More trips please" in listing


# Constant query counts ----------------------------------------------------------------------


def test_form_list_query_count_is_constant(council_a, officer_a):
    client = client_for(officer_a)
    assert_constant_queries(
        lambda: client.get(url("feedback_form_list", council_a)),
        grow=lambda n: [
            make_form(council_a, questions=[{"kind": K.FACES, "text": "Q"}]) for _ in range(n)
        ],
    )


def test_results_query_count_is_constant(council_a, officer_a):
    form = make_form(council_a)
    client = client_for(officer_a)
    assert_constant_queries(
        lambda: client.get(url("feedback_results", council_a, form.pk)),
        grow=lambda n: [submit(form, {0: "3", 1: "No", 2: ["Mum"], 3: "ok"}) for _ in range(n)],
        sizes=(2, 12),
    )


def test_text_answers_query_count_is_constant(council_a, officer_a):
    form = make_form(council_a)
    client = client_for(officer_a)

    def grow(n):
        for _ in range(n):
            answer = submit(form, {0: "3", 3: "words"}).answers.exclude(text="").get()
            services.answer_set_themes(answer=answer, actor=officer_a.user, names=["a", "b"])

    assert_constant_queries(
        lambda: client.get(url("feedback_text_answers", council_a, form.pk)), grow=grow
    )


def test_alert_list_query_count_is_constant(council_a, officer_a):
    form = make_form(council_a)
    client = client_for(officer_a)

    def grow(n):
        for _ in range(n):
            alert = SafeguardingAlert.objects.get(response=submit(form, {0: "1", "talk": "yes"}))
            services.alert_acknowledge(alert=alert, actor=officer_a.user)

    assert_constant_queries(
        lambda: client.get(url("alert_list", council_a) + "?status=all"), grow=grow
    )


# You said, we did ---------------------------------------------------------------------------


def test_public_you_said_we_did_shows_only_published_entries_of_that_council(council_a, council_b):
    make_you_said(council_a, you_said="Bus passes cost too much", is_published=True)
    make_you_said(council_a, you_said="Draft entry not ready", is_published=False)
    make_you_said(council_b, you_said="Council B entry", is_published=True)
    response = Client().get(url("you_said_we_did_public", council_a))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bus passes cost too much" in html
    assert "Draft entry not ready" not in html
    assert "Council B entry" not in html


def test_public_you_said_we_did_is_404_for_unknown_or_inactive_council():
    inactive = CouncilFactory(is_active=False)
    make_you_said(inactive, is_published=True)
    assert Client().get("/c/no-such-council/you-said-we-did/").status_code == 404
    assert Client().get(url("you_said_we_did_public", inactive)).status_code == 404


def test_officer_adds_and_publishes_an_entry(council_a, officer_a, manager_a):
    client = client_for(officer_a)
    response = client.post(
        url("you_said_create", council_a),
        {
            "you_said": "Reviews are boring",
            "we_did": "Young people now chair their own reviews",
            "status": "done",
            "date": "2026-11-01",
            "owner": officer_a.user.pk,
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    entry = YouSaidWeDid.objects.get()
    assert entry.owner == officer_a.user and entry.is_published
    assert (
        "Reviews are boring"
        in Client().get(url("you_said_we_did_public", council_a)).content.decode()
    )
    # Managers read the list but may not add.
    assert client_for(manager_a).get(url("you_said_list", council_a)).status_code == 200
    assert (
        client_for(manager_a).post(url("you_said_create", council_a), {"you_said": "x"}).status_code
        == 403
    )
    assert YouSaidWeDid.objects.count() == 1


def test_entry_cannot_name_another_councils_theme(council_a, council_b, officer_a):
    from feedback.models import Theme

    theme_b = Theme.objects.create(council=council_b, name="B theme")
    response = client_for(officer_a).post(
        url("you_said_create", council_a),
        {
            "you_said": "a",
            "we_did": "b",
            "status": "done",
            "date": "2026-11-01",
            "theme": theme_b.pk,
        },
    )
    assert response.status_code == 200
    assert not YouSaidWeDid.objects.exists()


def test_menu_and_home_link_to_feedback(council_a, member_a):
    page = client_for(member_a).get(reverse("council_home", args=[council_a.slug])).content.decode()
    assert page.count(url("feedback_form_list", council_a)) >= 2


def test_xlsx_export_matches_the_csv(council_a, officer_a):
    from openpyxl import load_workbook

    form = make_form(council_a)
    submit(form, {0: "4", 3: "+SUM(A1)"})
    response = client_for(officer_a).get(url("feedback_results_xlsx", council_a, form.pk))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][4] == "How do you feel about where you live?"
    assert rows[1][4] == 4
    assert rows[1][7] == "'+SUM(A1)"


def test_scorecard_by_service_area_and_quarter_hides_small_cells(council_a, manager_a):
    from feedback.models import Question as Q

    principle = [{"kind": K.FACES, "text": "I am listened to.", "principle": Q.Principle.LISTENED}]
    care = make_form(council_a, questions=principle, service_area="cla")
    cp = make_form(council_a, questions=principle, service_area="cp")
    for score in ("5", "4", "4", "3", "4"):
        submit(care, {0: score})
    submit(cp, {0: "1"})
    page = client_for(manager_a).get(url("feedback_scorecard", council_a)).content.decode()
    care_table = page[page.index("Children in care</caption>") :]
    cp_table = page[page.index("Child protection</caption>") :]
    assert re.search(r"I am listened to</th>\s*<td[^>]*>4.0 <span[^>]*>\(5\)", care_table)
    assert re.search(r"I am listened to</th>\s*<td[^>]*>fewer than 5<", cp_table)


def test_scorecard_query_count_is_constant(council_a, manager_a):
    from feedback.models import Question as Q

    principle = [{"kind": K.FACES, "text": "I am listened to.", "principle": Q.Principle.LISTENED}]
    form = make_form(council_a, questions=principle)
    client = client_for(manager_a)
    assert_constant_queries(
        lambda: client.get(url("feedback_scorecard", council_a)),
        grow=lambda n: [submit(form, {0: "3"}) for _ in range(n)],
    )


def test_officer_closes_and_reopens_a_form(council_a, officer_a):
    form = make_form(council_a)
    client = client_for(officer_a)
    detail = url("feedback_form_detail", council_a, form.pk)
    assert "Close the form" in client.get(detail).content.decode()
    client.post(url("feedback_form_close", council_a, form.pk))
    page = client.get(detail).content.decode()
    assert "Reopen the form" in page and "Feedback form · Closed" in page
    public = Client().get(reverse("public_form", args=[form.links.get().token]))
    assert "This form is closed" in public.content.decode()
    client.post(url("feedback_form_reopen", council_a, form.pk))
    form.refresh_from_db()
    assert form.is_open


def test_search_boxes_ignore_nul_characters(council_a, officer_a):
    form = make_form(council_a)
    submit(form, {0: "3", 3: "More trips"})
    client = client_for(officer_a)
    assert client.get(url("feedback_form_list", council_a) + "?q=How%00").status_code == 200
    page = client.get(url("feedback_text_answers", council_a, form.pk) + "?q=trips%00&theme=%00")
    assert page.status_code == 200
    assert "More trips" in page.content.decode()


def test_an_empty_post_shows_errors_instead_of_the_blank_form(council_a, officer_a):
    response = client_for(officer_a).post(url("feedback_form_create", council_a), {})
    assert "Enter a title for the form." in response.content.decode()
    assert not FeedbackForm.objects.exists()


def test_an_entry_can_be_saved_before_anyone_owns_it(council_a, officer_a):
    response = client_for(officer_a).post(
        url("you_said_create", council_a),
        {
            "you_said": "More to do at weekends",
            "we_did": "We will ask the youth service.",
            "status": "planned",
            "date": "2026-11-01",
        },
    )
    assert response.status_code == 302
    assert YouSaidWeDid.objects.get().owner is None


def test_results_show_each_face_beside_its_words(council_a, officer_a):
    form = make_form(council_a)
    for score in ("1", "2", "3", "4", "5"):
        submit(form, {0: score})
    html = client_for(officer_a).get(url("feedback_results", council_a, form.pk)).content.decode()
    assert html.count('class="heard-face"') == 5
    assert "</svg>Very happy</td>" in html


def test_alert_with_no_answers_says_so_outside_the_description_list(council_a, officer_a):
    from feedback.models import SafeguardingAlert

    form = make_form(council_a, questions=[{"kind": K.LONG_TEXT, "text": "Anything else?"}])
    response = submit(form, {"talk": "yes"})
    alert = SafeguardingAlert.objects.get(response=response)
    html = client_for(officer_a).get(url("alert_detail", council_a, alert.pk)).content.decode()
    assert "No answers to questions." in html
    for dl in re.findall(r"<dl.*?</dl>", html, flags=re.S):
        assert "<p" not in dl


def test_saving_no_themes_on_an_untagged_answer_says_what_to_fill_in(council_a, officer_a):
    form = make_form(council_a)
    answer = submit(form, {0: "3", 3: "words"}).answers.exclude(text="").get()
    page = url("feedback_answer_themes", council_a, form.pk, answer.pk)
    response = client_for(officer_a).post(page, {"themes": " , "})
    assert response.status_code == 200
    assert "Enter at least one theme, like school or contact with family." in (
        response.content.decode()
    )
    assert not answer.themes.exists()


# Quotes approved for reports ------------------------------------------------------------------


def test_approving_a_quote_who_may(council_a, member_a, admin_a, member_b):
    form = make_form(council_a)
    answer = submit(form, {0: "3", 3: "The youth club is brilliant"}).answers.exclude(text="").get()
    quote_url = url("feedback_answer_quote", council_a, form.pk, answer.pk)
    audits = AuditEvent.objects.filter(kind=AuditEvent.Kind.ACTION).count()

    assert client_for(member_a).post(quote_url, {"approved": "yes"}).status_code == 403
    assert client_for(member_b).post(quote_url, {"approved": "yes"}).status_code == 404
    answer.refresh_from_db()
    assert answer.quote_approved_at is None and answer.quote_approved_by is None
    # The refused requests are in the trail as refused pages, not as actions.
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.REFUSED).count() == 2
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.ACTION).count() == audits

    client = client_for(admin_a)
    listing = url("feedback_text_answers", council_a, form.pk)
    assert "Approve for reports" in client.get(listing).content.decode()
    response = client.post(quote_url, {"approved": "yes", "page": "1"})
    assert response.status_code == 302
    assert response["Location"].startswith(listing)
    answer.refresh_from_db()
    assert answer.quote_approved_at is not None and answer.quote_approved_by == admin_a.user
    page = client.get(listing).content.decode()
    assert "Approved for reports" in page and "Withdraw from reports" in page

    # A GET writes nothing: it asks to confirm the withdrawal; the withdrawal is a POST too.
    confirm = client.get(quote_url)
    assert confirm.status_code == 200
    assert 'name="approved" value="no"' in confirm.content.decode()
    answer.refresh_from_db()
    assert answer.quote_approved_at is not None
    client.post(quote_url, {"approved": "no"})
    answer.refresh_from_db()
    assert answer.quote_approved_at is None and answer.quote_approved_by is None
    assert AuditEvent.objects.filter(verb__in=["approved quote", "withdrew quote"]).count() == 2


def test_an_answer_with_an_alert_offers_no_approval(council_a, officer_a):
    form = make_form(council_a)
    answer = (
        submit(form, {0: "1", 3: "Nobody listens at home", "talk": "yes"})
        .answers.exclude(text="")
        .get()
    )
    assert SafeguardingAlert.objects.filter(response=answer.response).exists()
    client = client_for(officer_a)
    page = client.get(url("feedback_text_answers", council_a, form.pk)).content.decode()
    assert "Approve for reports" not in page
    assert "cannot be quoted in reports" in page
    client.post(url("feedback_answer_quote", council_a, form.pk, answer.pk), {"approved": "yes"})
    answer.refresh_from_db()
    assert answer.quote_approved_at is None
