"""Feedback given by name: a worker completing a form with a young person may link their record."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from feedback import services
from feedback.models import Response
from tests.conftest import client_for
from tests.feedback.factories import make_form, post_data, submit
from tests.participation.activities.factories import YoungPersonFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def _assist(council, form):
    return reverse("feedback_form_assist", args=[council.slug, form.pk])


def _key(html):
    return re.search(r'name="key" value="([^"]+)"', html).group(1)


def _record(person):
    return f"/c/council-a/young-people/{person.pk}/"


def test_practitioner_names_a_young_person_they_may_see(council_a, member_a):
    form = make_form(council_a, title="Your review", is_anonymous=False)
    mine = YoungPersonFactory(council=council_a, preferred_name="Mina", created_by=member_a.user)
    YoungPersonFactory(council=council_a, preferred_name="Otis")
    client = client_for(member_a)
    html = client.get(_assist(council_a, form)).content.decode()
    assert "Which young person is this?" in html
    assert "Mina" in html and "Otis" not in html
    data = post_data(form, {0: "5", 3: "I like my new carers"})
    data["key"] = _key(html)
    data["young_person"] = str(mine.pk)
    client.post(_assist(council_a, form), data)
    saved = Response.objects.get()
    assert saved.young_person == mine and saved.assisted_by == member_a.user
    record = client.get(_record(mine)).content.decode()
    assert "Gave feedback: Your review" in record
    assert "I like my new carers" not in record


def test_leaving_it_empty_links_nobody(council_a, member_a):
    form = make_form(council_a, is_anonymous=False)
    YoungPersonFactory(council=council_a, created_by=member_a.user)
    client = client_for(member_a)
    html = client.get(_assist(council_a, form)).content.decode()
    data = post_data(form, {0: "3"})
    data["key"] = _key(html)
    data["young_person"] = ""
    client.post(_assist(council_a, form), data)
    assert Response.objects.get().young_person is None


def test_anonymous_forms_never_link(council_a, officer_a):
    form = make_form(council_a, is_anonymous=True)
    person = YoungPersonFactory(council=council_a)
    client = client_for(officer_a)
    html = client.get(_assist(council_a, form)).content.decode()
    assert "Which young person is this?" not in html
    data = post_data(form, {0: "3"})
    data["key"] = _key(html)
    data["young_person"] = str(person.pk)
    client.post(_assist(council_a, form), data)
    assert Response.objects.get().young_person is None
    with pytest.raises(ValidationError, match="not anonymous"):
        submit_named(form, person, officer_a.user)


def submit_named(form, person, actor):
    return services.response_submit(
        form=form,
        version=form.live_version,
        data=post_data(form, {0: "4"}),
        submission_key="k" * 32,
        assisted_by=actor,
        young_person=person,
    )


def test_a_young_person_they_cannot_see_or_from_another_council_is_refused(
    council_a, council_b, member_a
):
    form = make_form(council_a, is_anonymous=False)
    hidden = YoungPersonFactory(council=council_a)
    theirs = YoungPersonFactory(council=council_b)
    client = client_for(member_a)
    for person in (hidden, theirs):
        html = client.get(_assist(council_a, form)).content.decode()
        data = post_data(form, {0: "4"})
        data["key"] = _key(html)
        data["young_person"] = str(person.pk)
        page = client.post(_assist(council_a, form), data)
        assert page.status_code == 400
        assert "Choose a young person from the list, or leave it empty." in page.content.decode()
    assert not Response.objects.exists()


def test_the_service_refuses_another_council_and_unassisted_links(council_a, council_b, officer_a):
    form = make_form(council_a, is_anonymous=False)
    with pytest.raises(ValidationError, match="not recorded in this council"):
        submit_named(form, YoungPersonFactory(council=council_b), officer_a.user)
    with pytest.raises(ValidationError, match="when a worker completes"):
        submit_named(form, YoungPersonFactory(council=council_a), None)
    assert not Response.objects.exists()


def test_manager_sees_no_names_in_assisted_mode(council_a, manager_a):
    form = make_form(council_a, is_anonymous=False)
    YoungPersonFactory(council=council_a, preferred_name="Mina")
    html = client_for(manager_a).get(_assist(council_a, form)).content.decode()
    assert "Completed with a worker" in html
    assert "Which young person is this?" not in html and "Mina" not in html


def test_one_question_per_screen_asks_on_the_send_screen(council_a, officer_a):
    form = make_form(council_a, is_anonymous=False, one_per_screen=True)
    person = YoungPersonFactory(council=council_a, preferred_name="Mina")
    client = client_for(officer_a)
    html = client.get(_assist(council_a, form)).content.decode()
    assert "Which young person is this?" not in html
    assert 'name="young_person"' in html
    data = post_data(form, {0: "4"})
    data.update({"key": _key(html), "step": "4", "action": "send", "young_person": str(person.pk)})
    client.post(_assist(council_a, form), data)
    assert Response.objects.get().young_person == person


def test_record_with_named_feedback_in_constant_queries(council_a, officer_a):
    person = YoungPersonFactory(council=council_a)
    form = make_form(council_a, is_anonymous=False)
    client = client_for(officer_a)

    def grow(n):
        for _ in range(n):
            response = submit(form, assisted_by=officer_a.user)
            Response.objects.filter(pk=response.pk).update(young_person=person)

    assert_constant_queries(lambda: client.get(_record(person)), grow=grow)
    assert client.get(_record(person)).content.decode().count("Gave feedback:") == 12
