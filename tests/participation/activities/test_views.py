import datetime
import re

import pytest
from django.urls import reverse

from participation.activities.models import (
    Activity,
    ActivityServiceArea,
    LadderRung,
    Participation,
    YoungPerson,
)
from participation.quarters import Quarter
from tests.conftest import client_for
from tests.participation.activities.factories import (
    ActivityFactory,
    ActivityKindFactory,
    ParticipationFactory,
    ServiceAreaFactory,
    YoungPersonFactory,
)
from tests.querycount import assert_constant_queries

TODAY = datetime.date.today()


def url(name, council, **kwargs):
    return reverse(name, kwargs={"council_slug": council.slug, **kwargs})


def form_data(kind, **overrides):
    data = {
        "title": "Care leavers' forum on the local offer",
        "status": "done",
        "starts_on": (TODAY - datetime.timedelta(days=2)).isoformat(),
        "kind": kind.pk,
        "participation_type": "co_production",
        "ladder_rung": "6",
        "lundy": ["voice", "influence"],
        "methods": ["face_to_face"],
        "count_young_people": "4",
        "what_changed": "The leaving care grant is paid in two parts.",
    }
    data.update(overrides)
    return data


# Logging and editing --------------------------------------------------------------------------


def test_practitioner_logs_an_activity_with_young_people(council_a, member_a):
    kind = ActivityKindFactory(council=council_a)
    area = ServiceAreaFactory(council=council_a, name="Care leavers")
    people = YoungPersonFactory.create_batch(2, council=council_a, created_by=member_a.user)
    client = client_for(member_a)
    response = client.post(
        url("activity_create", council_a),
        form_data(kind, service_areas=[area.pk], young_people=[p.pk for p in people]),
        follow=True,
    )
    page = response.content.decode()
    assert "Activity logged." in page
    assert "The leaving care grant is paid in two parts." in page
    assert people[0].preferred_name in page and people[1].preferred_name in page
    activity = Activity.objects.get()
    assert activity.created_by == member_a.user
    assert activity.lundy_voice and activity.lundy_influence and not activity.lundy_space
    assert activity.ladder_rung == LadderRung.ADULT_INITIATED
    assert ActivityServiceArea.objects.filter(activity=activity, service_area=area).exists()


def test_first_visit_to_the_form_offers_the_standard_kinds(council_a, officer_a):
    page = client_for(officer_a).get(url("activity_create", council_a)).content.decode()
    assert "Young Inspectors visit" in page
    assert "Children with disabilities and SEND" in page


def test_future_done_activity_is_refused_on_the_form(council_a, officer_a):
    kind = ActivityKindFactory(council=council_a)
    tomorrow = (TODAY + datetime.timedelta(days=1)).isoformat()
    response = client_for(officer_a).post(
        url("activity_create", council_a), form_data(kind, starts_on=tomorrow)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "A done activity cannot have a date in the future" in page
    assert not Activity.objects.exists()


def test_negative_count_and_end_before_start_are_refused(council_a, officer_a):
    kind = ActivityKindFactory(council=council_a)
    response = client_for(officer_a).post(
        url("activity_create", council_a),
        form_data(
            kind,
            count_children="-2",
            ends_on=(TODAY - datetime.timedelta(days=5)).isoformat(),
        ),
    )
    page = response.content.decode()
    assert "The number of people cannot be negative" in page
    assert "The end date must be the same as or after the start date" in page
    assert not Activity.objects.exists()


def test_young_person_from_another_council_cannot_be_posted(council_a, council_b, officer_a):
    kind = ActivityKindFactory(council=council_a)
    theirs = YoungPersonFactory(council=council_b)
    response = client_for(officer_a).post(
        url("activity_create", council_a), form_data(kind, young_people=[theirs.pk])
    )
    assert "Choose young people from this council&#x27;s list." in response.content.decode()
    assert not Activity.objects.exists()
    assert not Participation.objects.exists()


def test_practitioner_cannot_edit_anothers_activity(council_a, member_a, officer_a):
    activity = ActivityFactory(council=council_a, title="Before", created_by=officer_a.user)
    client = client_for(member_a)
    edit = url("activity_edit", council_a, activity_id=activity.pk)
    assert client.get(edit).status_code == 403
    assert client.post(edit, form_data(activity.kind, title="After")).status_code == 403
    delete = url("activity_delete", council_a, activity_id=activity.pk)
    assert client.post(delete).status_code == 403
    activity.refresh_from_db()
    assert activity.title == "Before"
    detail = client.get(url("activity_detail", council_a, activity_id=activity.pk))
    assert detail.status_code == 200
    assert "Log another like this" not in detail.content.decode()


def test_practitioner_edits_their_own_activity(council_a, member_a):
    activity = ActivityFactory(council=council_a, title="Before", lead_worker=member_a.user)
    response = client_for(member_a).post(
        url("activity_edit", council_a, activity_id=activity.pk),
        form_data(activity.kind, title="After", lead_worker=member_a.user.pk),
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "After"


@pytest.mark.parametrize("persona", ["officer_a", "admin_a"])
def test_officers_and_admins_edit_any_activity(request, persona, council_a, member_a):
    activity = ActivityFactory(council=council_a, title="Before", created_by=member_a.user)
    client = client_for(request.getfixturevalue(persona))
    response = client.post(
        url("activity_edit", council_a, activity_id=activity.pk),
        form_data(activity.kind, title="After"),
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "After"


def test_manager_reads_but_does_not_log(council_a, manager_a):
    ActivityFactory(council=council_a, title="Takeover day")
    client = client_for(manager_a)
    assert "Takeover day" in client.get(url("activity_list", council_a)).content.decode()
    assert client.get(url("activity_create", council_a)).status_code == 403
    assert client.get(url("young_person_list", council_a)).status_code == 403
    assert client.get(url("activity_export", council_a)).status_code == 403
    assert client.get(url("reach", council_a)).status_code == 200


def test_duplicate_starts_a_new_activity_from_an_old_one(council_a, officer_a):
    person = YoungPersonFactory(council=council_a)
    source = ActivityFactory(
        council=council_a, title="Monthly CiCC meeting", what_changed="New bus passes."
    )
    ParticipationFactory(activity=source, young_person=person)
    client = client_for(officer_a)
    page = client.get(url("activity_duplicate", council_a, activity_id=source.pk)).content.decode()
    assert 'value="Monthly CiCC meeting"' in page
    assert "New bus passes." not in page
    assert re.search(rf'name="young_people"[^>]*value="{person.pk}"\s*checked', page)
    response = client.post(
        url("activity_duplicate", council_a, activity_id=source.pk),
        form_data(source.kind, title="Monthly CiCC meeting", young_people=[person.pk]),
    )
    assert response.status_code == 302
    assert Activity.objects.filter(title="Monthly CiCC meeting").count() == 2
    assert Participation.objects.filter(young_person=person).count() == 2


def test_delete_asks_first_then_deletes(council_a, officer_a):
    activity = ActivityFactory(council=council_a)
    client = client_for(officer_a)
    delete = url("activity_delete", council_a, activity_id=activity.pk)
    assert "This cannot be undone" in client.get(delete).content.decode()
    assert Activity.objects.filter(pk=activity.pk).exists()
    client.post(delete)
    assert not Activity.objects.filter(pk=activity.pk).exists()


def test_recognition_is_recorded_and_shown_on_the_record(council_a, officer_a):
    participation = ParticipationFactory(activity=ActivityFactory(council=council_a))
    client = client_for(officer_a)
    edit = url(
        "participation_edit",
        council_a,
        activity_id=participation.activity_id,
        participation_id=participation.pk,
    )
    client.post(edit, {"hours": "-1", "voucher_amount": "", "accreditation": ""})
    participation.refresh_from_db()
    assert participation.hours is None
    client.post(edit, {"hours": "3", "voucher_amount": "15", "accreditation": "AQA unit award"})
    record = client.get(
        url("young_person_detail", council_a, young_person_id=participation.young_person_id)
    ).content.decode()
    assert "3.0 hours" in record
    assert "AQA unit award" in record
    assert "£15.00" in record


def test_an_empty_recognition_form_says_what_to_fill_in(council_a, officer_a):
    participation = ParticipationFactory(activity=ActivityFactory(council=council_a))
    edit = url(
        "participation_edit",
        council_a,
        activity_id=participation.activity_id,
        participation_id=participation.pk,
    )
    response = client_for(officer_a).post(
        edit, {"hours": "", "voucher_amount": "", "accreditation": ""}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter the hours they gave, the vouchers they received or an accreditation." in html
    assert 'href="#id_hours"' in html  # the summary link lands on the first box
    participation.refresh_from_db()
    assert participation.hours is None and participation.accreditation == ""


# The list -------------------------------------------------------------------------------------


def test_list_filters_by_each_filter(council_a, officer_a, member_a):
    panel = ActivityKindFactory(council=council_a, name="Recruitment panel")
    area = ServiceAreaFactory(council=council_a, name="Youth service")
    match = ActivityFactory(
        council=council_a,
        title="Panel for youth workers",
        kind=panel,
        lead_worker=member_a.user,
        ladder_rung=LadderRung.YOUNG_PEOPLE_SHARED,
        lundy_audience=True,
        starts_on=datetime.date(2026, 3, 10),
    )
    ActivityServiceArea.objects.create(council=council_a, activity=match, service_area=area)
    other = ActivityFactory(council=council_a, title="Survey on school", starts_on=TODAY)
    client = client_for(officer_a)
    for query in (
        {"q": "youth workers"},
        {"kind": panel.pk},
        {"service_area": area.pk},
        {"worker": member_a.user.pk},
        {"rung": "8"},
        {"lundy": "audience"},
        {"date_from": "2026-03-01", "date_to": "2026-03-31"},
    ):
        page = client.get(url("activity_list", council_a), query).content.decode()
        assert match.title in page, query
        assert other.title not in page, query


def test_list_sorts_and_paginates(council_a, officer_a):
    kind = ActivityKindFactory(council=council_a)
    for day in range(1, 28):
        ActivityFactory(
            council=council_a,
            kind=kind,
            title=f"Session {day:02d}",
            starts_on=datetime.date(2026, 1, day),
        )
    client = client_for(officer_a)
    newest = client.get(url("activity_list", council_a)).content.decode()
    assert "Session 27" in newest and "Session 01" not in newest
    oldest = client.get(url("activity_list", council_a), {"sort": "oldest"}).content.decode()
    assert "Session 01" in oldest and "Session 27" not in oldest
    second = client.get(url("activity_list", council_a), {"page": 2}).content.decode()
    assert "Session 01" in second
    assert "Showing 26 to 27 of 27" in second


def test_malformed_filter_date_is_explained_not_a_500(council_a, officer_a):
    ActivityFactory(council=council_a, title="Still listed")
    response = client_for(officer_a).get(url("activity_list", council_a), {"date_from": "31/13/x"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the from as a real date" in page
    assert "Still listed" in page


def test_council_b_sees_nothing_of_council_a(council_a, member_b, council_b):
    ActivityFactory(council=council_a, title="A's secret panel")
    YoungPersonFactory(council=council_a, preferred_name="Zephyrine")
    client = client_for(member_b)
    assert (
        "A&#x27;s secret panel" not in client.get(url("activity_list", council_b)).content.decode()
    )
    assert "Zephyrine" not in client.get(url("young_person_list", council_b)).content.decode()


def test_activity_list_query_count_is_constant(council_a, officer_a):
    client = client_for(officer_a)
    area = ServiceAreaFactory(council=council_a)

    def grow(n):
        for activity in ActivityFactory.create_batch(
            n, council=council_a, lead_worker=officer_a.user
        ):
            ActivityServiceArea.objects.create(
                council=council_a, activity=activity, service_area=area
            )
            ParticipationFactory(activity=activity)

    assert_constant_queries(lambda: client.get(url("activity_list", council_a)), grow=grow)


# Young people ---------------------------------------------------------------------------------


def test_practitioner_sees_only_young_people_on_their_activities(council_a, member_a):
    theirs = ParticipationFactory(
        activity=ActivityFactory(council=council_a, lead_worker=member_a.user)
    ).young_person
    other = ParticipationFactory(activity=ActivityFactory(council=council_a)).young_person
    client = client_for(member_a)
    page = client.get(url("young_person_list", council_a)).content.decode()
    assert theirs.preferred_name in page
    assert other.preferred_name not in page
    assert (
        client.get(url("young_person_detail", council_a, young_person_id=other.pk)).status_code
        == 404
    )
    assert (
        client.get(url("young_person_detail", council_a, young_person_id=theirs.pk)).status_code
        == 200
    )
    # On another worker's activity the names are hidden but the number is shown.
    detail = client.get(
        url("activity_detail", council_a, activity_id=other.participations.get().activity_id)
    ).content.decode()
    assert other.preferred_name not in detail
    assert "1 young person with a record took part" in detail


def test_only_officers_and_admins_see_equality_data(council_a, member_a, officer_a, admin_a):
    person = YoungPersonFactory(
        council=council_a, ethnicity="mixed", gender="non_binary", created_by=member_a.user
    )
    detail = url("young_person_detail", council_a, young_person_id=person.pk)
    for membership in (officer_a, admin_a):
        page = client_for(membership).get(detail).content.decode()
        assert "Mixed or multiple ethnic groups" in page
    practitioner = client_for(member_a)
    page = practitioner.get(detail).content.decode()
    assert "Mixed or multiple ethnic groups" not in page
    assert "Ethnic group" not in page
    form = practitioner.get(url("young_person_edit", council_a, young_person_id=person.pk))
    assert 'name="ethnicity"' not in form.content.decode()
    # A practitioner's save leaves the equality data alone, whatever is posted.
    practitioner.post(
        url("young_person_edit", council_a, young_person_id=person.pk),
        {"preferred_name": "Sky", "age_band": "13_15", "ethnicity": "white"},
    )
    person.refresh_from_db()
    assert (person.preferred_name, person.ethnicity) == ("Sky", "mixed")


def test_add_a_young_person(council_a, officer_a):
    response = client_for(officer_a).post(
        url("young_person_create", council_a),
        {
            "preferred_name": "Tayo",
            "date_of_birth": "2010-02-03",
            "cohorts": ["in_care", "out_of_area"],
            "gender": "boy",
            "consent_given_by": "social_worker",
            "consent_given_on": "2026-01-05",
            "consent_for": "forums",
            "contact_by": "through_worker",
        },
        follow=True,
    )
    assert "Tayo added as YP-0001." in response.content.decode()
    person = YoungPerson.objects.get()
    assert person.in_care and person.out_of_area and not person.uasc
    assert person.gender == "boy"


def test_young_person_needs_an_age(council_a, officer_a):
    response = client_for(officer_a).post(
        url("young_person_create", council_a), {"preferred_name": "Tayo"}
    )
    assert "Enter a date of birth or choose an age band." in response.content.decode()
    assert not YoungPerson.objects.exists()


def test_quarterly_counts_are_total_and_unique(council_a, officer_a):
    quarter = Quarter.containing(TODAY, year_starts=4)
    day = quarter.start
    kai, remi = YoungPersonFactory.create_batch(2, council=council_a)
    for person in (kai, kai, kai, remi):
        ParticipationFactory(
            activity=ActivityFactory(council=council_a, starts_on=day), young_person=person
        )
    # A planned activity is not counted.
    ParticipationFactory(
        activity=ActivityFactory(council=council_a, starts_on=day, status="planned"),
        young_person=remi,
    )
    page = client_for(officer_a).get(url("young_person_list", council_a)).content.decode()
    row = page.split(quarter.label)[1].split("</tr>")[0]
    assert [cell.split(">")[-1] for cell in row.split("</td>")[:2]] == ["4", "2"]
    record = (
        client_for(officer_a)
        .get(url("young_person_detail", council_a, young_person_id=kai.pk))
        .content.decode()
    )
    kai_row = record.split(quarter.short_label)[1].split("</tr>")[0]
    assert 'numeric">3</td>' in kai_row


def test_young_person_pages_query_count_is_constant(council_a, officer_a):
    client = client_for(officer_a)
    person = YoungPersonFactory(council=council_a)
    assert_constant_queries(
        lambda: client.get(url("young_person_list", council_a)),
        grow=lambda n: [
            ParticipationFactory(activity=ActivityFactory(council=council_a)) for _ in range(n)
        ],
    )
    assert_constant_queries(
        lambda: client.get(url("young_person_detail", council_a, young_person_id=person.pk)),
        grow=lambda n: [
            ParticipationFactory(activity=ActivityFactory(council=council_a), young_person=person)
            for _ in range(n)
        ],
    )


def test_tampered_choices_and_huge_numbers_get_plain_messages(council_a, officer_a):
    kind = ActivityKindFactory(council=council_a)
    response = client_for(officer_a).post(
        url("activity_create", council_a),
        form_data(
            kind,
            ladder_rung="2",
            methods=["telepathy"],
            lead_worker="999999",
            count_children="99999999999",
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" not in page
    assert "Choose an option from the list." in page
    assert "Choose a lead worker from the list." in page
    assert "Enter a number of people no bigger than 100,000." in page
    assert not Activity.objects.exists()
    sizes = reverse("cohort_sizes", kwargs={"council_slug": council_a.slug})
    response = client_for(officer_a).post(sizes, {"in_care": "99999999999"})
    assert "Enter a number no bigger than 100,000." in response.content.decode()


def test_officer_deletes_a_record_and_the_activities_stay(council_a, officer_a, member_a):
    participation = ParticipationFactory(
        activity=ActivityFactory(council=council_a, lead_worker=member_a.user)
    )
    person = participation.young_person
    delete = url("young_person_delete", council_a, young_person_id=person.pk)
    practitioner = client_for(member_a)
    assert practitioner.get(delete).status_code == 403
    assert practitioner.post(delete).status_code == 403
    assert YoungPerson.objects.filter(pk=person.pk).exists()
    client = client_for(officer_a)
    assert "their name on 1 activity will be deleted" in client.get(delete).content.decode()
    client.post(delete)
    assert not YoungPerson.objects.filter(pk=person.pk).exists()
    assert not Participation.objects.exists()
    assert Activity.objects.filter(pk=participation.activity_id).exists()


def test_nul_characters_in_search_do_not_break_the_lists(council_a, officer_a):
    ActivityFactory(council=council_a, title="Still listed")
    client = client_for(officer_a)
    response = client.get(url("activity_list", council_a), {"q": "Still\x00 listed"})
    assert response.status_code == 200
    assert "1 activity matches these filters" in response.content.decode()
    assert client.get(url("young_person_list", council_a), {"q": "\x00"}).status_code == 200


def test_practitioner_cannot_name_a_young_person_they_cannot_see(council_a, member_a):
    kind = ActivityKindFactory(council=council_a)
    unseen = ParticipationFactory(activity=ActivityFactory(council=council_a)).young_person
    response = client_for(member_a).post(
        url("activity_create", council_a), form_data(kind, young_people=[unseen.pk])
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert unseen.preferred_name not in response.content.decode()
    assert Activity.objects.count() == 1


def test_record_timeline_comes_a_page_at_a_time_with_each_forum_entry_once(council_a, officer_a):
    from tests.forums.factories import ForumMemberFactory

    person = YoungPersonFactory(council=council_a)
    kind = ActivityKindFactory(council=council_a)
    for day in range(60):
        ParticipationFactory(
            activity=ActivityFactory(
                council=council_a,
                kind=kind,
                title=f"Session {day:02d}",
                starts_on=TODAY - datetime.timedelta(days=day),
            ),
            young_person=person,
        )
    # Joined on the day of the 55th newest activity: that falls on the second page.
    ForumMemberFactory(
        council=council_a, young_person=person, joined_on=TODAY - datetime.timedelta(days=54)
    )
    client = client_for(officer_a)
    first = client.get(url("young_person_detail", council_a, young_person_id=person.pk))
    second = client.get(
        url("young_person_detail", council_a, young_person_id=person.pk) + "?page=2"
    )
    first_text, second_text = first.content.decode(), second.content.decode()
    assert len(re.findall(r">Session \d\d</a>", first_text)) == 50
    assert len(re.findall(r">Session \d\d</a>", second_text)) == 10
    assert "Session 00" in first_text and "Session 59" in second_text
    assert first_text.count("Joined <a") == 0
    assert second_text.count("Joined <a") == 1
    # The quarter table still counts all 60, whichever page is shown.
    counts = [int(n) for n in re.findall(r'numeric">(\d+)</td>', first_text)[::2]]
    assert sum(counts) == 60


def test_a_search_counts_only_up_to_its_limit_and_says_there_are_more(
    council_a, officer_a, monkeypatch
):
    from participation.activities.views import activities as views

    monkeypatch.setattr(views, "SEARCH_COUNT_LIMIT", 50)
    ActivityFactory.create_batch(51, council=council_a, title="Housing panel")
    ActivityFactory(council=council_a, title="Something else")
    client = client_for(officer_a)
    html = client.get(url("activity_list", council_a), {"q": "housing"}).content.decode()
    assert "More than 50 activities match these filters; the first 50 are listed" in html
    # Two pages of 25, no third: the 51st is found by narrowing the search.
    assert "page=2" in html and "page=3" not in html
    exactly = client.get(url("activity_list", council_a), {"q": "else"}).content.decode()
    assert "1 activity matches these filters" in exactly
    # Without a search, the whole list is counted exactly.
    assert "52 activities." in client.get(url("activity_list", council_a)).content.decode()
