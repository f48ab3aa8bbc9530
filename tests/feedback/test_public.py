"""The page young people see at /f/<token>/."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from feedback import services
from feedback.models import FormLink, Response, SafeguardingAlert
from feedback.public_views import HONEYPOT
from tests.factories import CouncilFactory
from tests.feedback.factories import make_form, officer

pytestmark = pytest.mark.django_db


def url_for(form):
    return reverse("public_form", args=[form.links.get(revoked_at=None).token])


def page_key(client, url) -> str:
    html = client.get(url).content.decode()
    return re.search(r'name="key" value="([^"]+)"', html).group(1)


def fields(form):
    return [services.field_name(q) for q in form.live_version.questions.order_by("position")]


def answer(client, form, extra=None, **kwargs):
    url = url_for(form)
    names = fields(form)
    data = {"key": page_key(client, url), names[0]: "4", **(extra or {})}
    return client.post(url, data, **kwargs)


def test_link_token_is_long_and_random(council_a):
    form = make_form(council_a)
    tokens = {FormLink.objects.create(council=council_a, form=form).token for _ in range(20)}
    assert len(tokens) == 20
    assert all(len(t) >= 32 for t in tokens)  # 24 random bytes, 192 bits


def test_page_shows_the_questions_the_talk_choice_and_the_privacy_notice(council_a):
    form = make_form(council_a, intro="Tell us how it is going.")
    response = Client().get(url_for(form))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tell us how it is going." in html
    assert "How do you feel about where you live?" in html
    assert "I want to talk to someone / I don't feel safe" in html
    assert "What happens to my answers?" in html
    assert "0800 1111" in html
    assert "Very happy" in html


def test_page_loads_nothing_from_other_sites_and_runs_no_scripts(council_a):
    form = make_form(council_a)
    html = Client().get(url_for(form)).content.decode()
    assert "<script" not in html
    for address in re.findall(r'(?:src|href|action)="([^"]*)"', html):
        assert address.startswith(("/", "#", "tel:")) or address == "", address


def test_honeypot_is_hidden_from_people_and_screen_readers(council_a):
    form = make_form(council_a)
    html = Client().get(url_for(form)).content.decode()
    wrapper = re.search(r'<div hidden aria-hidden="true">(.*?)</div>', html, re.S).group(1)
    assert f'name="{HONEYPOT}"' in wrapper
    assert 'tabindex="-1"' in wrapper


def test_sending_answers_thanks_the_young_person_and_saves_them(council_a):
    form = make_form(council_a)
    response = answer(Client(), form)
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    saved = Response.objects.get()
    assert saved.version == form.live_version
    assert saved.answers.get().number == 4
    assert not saved.is_assisted


def test_choosing_i_dont_feel_safe_shows_who_to_talk_to_at_once(council_a):
    services.safeguarding_settings_update(
        council=council_a,
        actor=officer(council_a),
        worrying_phrases="not safe",
        contact_text="Children's Services front door on 0300 123 4567",
        renotify_after_minutes=60,
    )
    form = make_form(council_a)
    response = answer(Client(), form, {"talk": "yes"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Childline" in html and "0800 1111" in html
    assert "999" in html
    assert "Children&#x27;s Services front door on 0300 123 4567" in html
    assert SafeguardingAlert.objects.filter(response__form=form).count() == 1


def test_missing_required_answer_shows_an_error_summary_and_keeps_the_answers(council_a):
    form = make_form(council_a)
    names = fields(form)
    client = Client()
    url = url_for(form)
    response = client.post(
        url, {"key": page_key(client, url), names[3]: "I like my foster carer", "contact": "Ms Lee"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    assert f'href="#{names[0]}"' in html
    assert "Choose an answer." in html
    assert "I like my foster carer</textarea>" in html
    assert 'value="Ms Lee"' in html
    assert not Response.objects.exists()


def test_over_long_text_is_refused_kindly_and_kept(council_a):
    form = make_form(council_a)
    names = fields(form)
    long_text = "a" * 5001
    response = answer(Client(), form, {names[3]: long_text})
    html = response.content.decode()
    assert response.status_code == 400
    assert "too long" in html and "5000 letters or fewer" in html
    assert long_text in html
    assert not Response.objects.exists()


def test_a_double_tap_saves_one_response(council_a):
    form = make_form(council_a)
    client = Client()
    url = url_for(form)
    data = {"key": page_key(client, url), fields(form)[0]: "5", "talk": "yes"}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 200
    assert "Childline" in second.content.decode()
    assert Response.objects.count() == 1
    assert SafeguardingAlert.objects.count() == 1


def test_a_forged_or_missing_key_saves_nothing_and_keeps_the_answers(council_a):
    form = make_form(council_a)
    names = fields(form)
    response = Client().post(url_for(form), {"key": "forged", names[0]: "2", names[3]: "keep me"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "press Send again" in html
    assert "keep me</textarea>" in html
    assert not Response.objects.exists()


def test_a_key_from_another_form_is_refused(council_a):
    form, other = make_form(council_a), make_form(council_a)
    client = Client()
    key = page_key(client, url_for(other))
    response = client.post(url_for(form), {"key": key, fields(form)[0]: "2"})
    assert response.status_code == 400
    assert not Response.objects.exists()


def test_answers_keep_the_version_the_young_person_saw(council_a):
    form = make_form(council_a)
    client = Client()
    url = url_for(form)
    old_key, old_names = page_key(client, url), fields(form)
    first = form.live_version
    answer(client, form)  # version 1 now has a response and is frozen
    question = first.questions.order_by("position").first()
    services.question_update(question=question, actor=officer(council_a), text="Changed")
    response = client.post(url, {"key": old_key, old_names[0]: "2"})
    assert response.status_code == 200
    assert Response.objects.filter(version=first).count() == 2


def test_honeypot_filled_looks_like_success_but_saves_nothing(council_a):
    form = make_form(council_a)
    response = answer(Client(), form, {HONEYPOT: "http://spam.example"})
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    assert not Response.objects.exists()


def test_unknown_token_is_404():
    assert Client().get("/f/not-a-real-token/").status_code == 404


def test_closed_form_shows_a_kind_page(council_a):
    form = make_form(council_a)
    services.form_set_closed(form=form, actor=officer(council_a), closed=True)
    client = Client()
    for response in (client.get(url_for(form)), client.post(url_for(form), {"key": "x"})):
        assert response.status_code == 200
        assert "This form is closed" in response.content.decode()
        assert "0800 1111" in response.content.decode()
    assert not Response.objects.exists()


def test_form_past_its_closing_date_is_closed(council_a):
    form = make_form(council_a, closes_at=timezone.localdate() - timezone.timedelta(days=1))
    assert "This form is closed" in Client().get(url_for(form)).content.decode()


def test_form_not_yet_open_says_when_it_opens(council_a):
    opens = timezone.localdate() + timezone.timedelta(days=3)
    form = make_form(council_a, opens_at=opens)
    html = Client().get(url_for(form)).content.decode()
    assert "You can fill in" in html and opens.strftime("%Y") in html


def test_draft_form_is_not_open_yet_rather_than_closed(council_a):
    form = make_form(council_a, publish=False)
    html = Client().get(url_for(form)).content.decode()
    assert "This form is not open yet" in html
    assert "closed" not in html.lower()
    assert not Response.objects.exists()


def test_form_not_yet_open_is_not_called_closed(council_a):
    form = make_form(council_a, opens_at=timezone.localdate() + timezone.timedelta(days=3))
    html = Client().get(url_for(form)).content.decode()
    assert "<title>This form is not open yet" in html
    assert "closed" not in html.lower()


def test_revoked_link_shows_a_kind_page_and_the_new_link_works(council_a):
    form = make_form(council_a)
    old = url_for(form)
    services.link_replace(form=form, actor=officer(council_a))
    response = Client().get(old)
    assert response.status_code == 410
    assert "This link does not work any more" in response.content.decode()
    assert Client().get(url_for(form)).status_code == 200


def test_form_of_an_inactive_council_is_404(council_a):
    form = make_form(council_a)
    url = url_for(form)
    council_a.is_active = False
    council_a.save()
    assert Client().get(url).status_code == 404


def test_a_flood_from_one_address_gets_a_kind_429(council_a, settings):
    settings.FEEDBACK_RATE_PER_IP = 3
    form = make_form(council_a)
    client = Client()
    statuses = [answer(client, form, REMOTE_ADDR="203.0.113.9").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = answer(client, form, REMOTE_ADDR="203.0.113.9")
    assert "try again in a few minutes" in refused.content.decode()
    assert Response.objects.count() == 3
    # Someone else at another address is not blocked.
    assert answer(client, form, REMOTE_ADDR="198.51.100.7").status_code == 200


def test_a_flood_to_one_link_from_many_addresses_gets_429(council_a, settings):
    settings.FEEDBACK_RATE_PER_LINK = 2
    form, other = make_form(council_a), make_form(council_a)
    client = Client()
    statuses = [answer(client, form, REMOTE_ADDR=f"192.0.2.{n}").status_code for n in range(1, 4)]
    assert statuses == [200, 200, 429]
    assert answer(client, other, REMOTE_ADDR="192.0.2.50").status_code == 200


def test_an_over_large_post_gets_a_kind_413(council_a, settings):
    settings.FEEDBACK_MAX_BODY_BYTES = 1000
    form = make_form(council_a)
    response = answer(Client(), form, {fields(form)[3]: "b" * 2000})
    assert response.status_code == 413
    assert "too long to send" in response.content.decode()
    assert not Response.objects.exists()


# Fuzzing: whatever is posted, the young person never sees a server error. -------------------

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)


# How many examples comes from the Hypothesis profile (tests/conftest.py): fewer under bin/test.
fuzz_settings = hyp_settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
fuzz_posts = given(
    values=st.dictionaries(
        st.sampled_from(
            ["talk", "contact", "name", "key", "step", "action", HONEYPOT, "q0", "q-1", "qx"]
        ),
        st.one_of(text, st.lists(text, max_size=4)),
        max_size=6,
    ),
    answers=st.lists(st.one_of(text, st.sampled_from(["1", "5", "10", "Yes", "Mum"])), max_size=5),
    use_key=st.booleans(),
)


class FuzzPublicPost:
    one_per_screen = False

    @classmethod
    def setUpTestData(cls):
        from participation import rls

        # Before any test fixture runs: the test data is made as the platform, explicitly.
        with rls.all_councils("test data"):
            council = CouncilFactory()
            cls.form = make_form(council, one_per_screen=cls.one_per_screen, is_anonymous=False)
            cls.names = fields(cls.form)
            cls.url = url_for(cls.form)

    def check(self, values, answers, use_key):
        from django.core.cache import cache

        cache.clear()
        client = Client(raise_request_exception=False)
        data = dict(values)
        for name, value in zip(self.names, answers, strict=False):
            data[name] = value
        if use_key:
            data["key"] = page_key(client, self.url)
        response = client.post(self.url, data)
        assert response.status_code < 500, response.status_code
        assert response.status_code in (200, 400)


class TestPublicPostNeverFails(FuzzPublicPost, HypothesisTestCase):
    @fuzz_settings
    @fuzz_posts
    def test_post(self, values, answers, use_key):
        self.check(values, answers, use_key)


class TestOneQuestionPerScreenPostNeverFails(FuzzPublicPost, HypothesisTestCase):
    one_per_screen = True

    @fuzz_settings
    @fuzz_posts
    def test_post(self, values, answers, use_key):
        self.check(values, answers, use_key)


def test_public_page_sets_no_cookies_and_needs_none(council_a):
    form = make_form(council_a)
    client = Client(enforce_csrf_checks=True)
    page = client.get(url_for(form))
    assert not page.cookies
    response = client.post(
        url_for(form), {"key": page_key(client, url_for(form)), fields(form)[0]: "3"}
    )
    assert response.status_code == 200
    assert not response.cookies
    assert Response.objects.count() == 1


# One question per screen --------------------------------------------------------------------


def _post_step(client, form, data):
    return client.post(url_for(form), data)


def test_one_question_per_screen_walks_through_and_keeps_answers(council_a):
    form = make_form(council_a, one_per_screen=True)
    names = fields(form)
    client = Client()
    first = client.get(url_for(form)).content.decode()
    assert "Question 1 of 4" in first
    assert "How do you feel about where you live?" in first
    assert "Do you have a trusted adult?" not in first
    key = re.search(r'name="key" value="([^"]+)"', first).group(1)

    # Next without the required answer: an error on this screen only.
    missing = _post_step(client, form, {"key": key, "step": "0", "action": "next"})
    assert missing.status_code == 400
    assert "Choose an answer." in missing.content.decode()
    assert "Question 1 of 4" in missing.content.decode()

    data = {"key": key, "step": "0", "action": "next", names[0]: "4"}
    second = _post_step(client, form, data).content.decode()
    assert "Question 2 of 4" in second
    assert f'<input type="hidden" name="{names[0]}" value="4">' in second

    data.update(step="1", **{names[1]: "Yes"})
    back = _post_step(client, form, {**data, "action": "back"}).content.decode()
    assert "Question 1 of 4" in back
    assert re.search(rf'name="{names[0]}" type="radio" value="4" checked', back)

    for step in ("1", "2", "3"):
        data.update(step=step)
        page = _post_step(client, form, data).content.decode()
    assert "Send my answers" in page and "Do you want to talk to someone?" in page
    done = _post_step(client, form, {**data, "step": "4", "action": "send"})
    assert "Thank you" in done.content.decode()
    saved = Response.objects.get()
    assert saved.answers.count() == 2


def test_talk_button_on_any_screen_sends_at_once_and_shows_help(council_a):
    form = make_form(council_a, one_per_screen=True)
    client = Client()
    key = page_key(client, url_for(form))
    response = _post_step(client, form, {"key": key, "step": "0", "action": "talk"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "0800 1111" in html and "Thank you for telling us" in html
    # Anonymous, and no way to reach them given: no promise of contact.
    assert "try to contact you" not in html
    assert SafeguardingAlert.objects.filter(response__form=form).count() == 1


def test_a_hand_made_step_number_cannot_break_the_page(council_a):
    form = make_form(council_a, one_per_screen=True)
    client = Client()
    key = page_key(client, url_for(form))
    for step in ("-3", "99", "x", ""):
        for action in ("next", "back"):
            response = _post_step(client, form, {"key": key, "step": step, "action": action})
            assert response.status_code in (200, 400)
    assert not Response.objects.exists()


def test_behind_a_proxy_each_young_person_has_their_own_limit(council_a, settings):
    settings.FEEDBACK_RATE_PER_IP = 2
    settings.FEEDBACK_TRUSTED_PROXY_HOPS = 1
    form = make_form(council_a)
    client = Client()

    def from_child(address, forged=""):
        chain = f"{forged}, {address}" if forged else address
        return answer(client, form, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=chain)

    assert [from_child("203.0.113.1").status_code for _ in range(3)] == [200, 200, 429]
    assert from_child("203.0.113.2").status_code == 200
    # A made-up address further left does not buy a fresh limit.
    assert from_child("203.0.113.1", forged="198.51.100.99").status_code == 429


def test_without_trusted_proxies_forwarded_addresses_are_ignored(council_a, settings):
    settings.FEEDBACK_RATE_PER_IP = 1
    form = make_form(council_a)
    client = Client()
    first = answer(client, form, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.1")
    second = answer(client, form, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert (first.status_code, second.status_code) == (200, 429)


def test_face_scale_draws_its_faces_with_the_words_and_no_emoji(council_a):
    html = Client().get(url_for(make_form(council_a))).content.decode()
    assert html.count('class="heard-face"') == 5
    for words in ("Very sad", "Sad", "OK", "Happy", "Very happy"):
        assert f"</svg>{words}</label>" in html.replace("\n", "")
    assert not re.search("[\U0001f600-\U0001f64f]", html)
