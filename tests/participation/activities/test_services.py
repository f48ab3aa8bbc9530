import datetime

import pytest
from django.core.exceptions import ValidationError

from participation.activities import services
from participation.activities.models import (
    Activity,
    LadderRung,
    Participation,
    ParticipationType,
    YoungPerson,
)
from participation.models import AuditEvent
from tests.participation.activities.factories import (
    ActivityFactory,
    ActivityKindFactory,
    ParticipationFactory,
    ServiceAreaFactory,
    YoungPersonFactory,
)

TODAY = datetime.date.today()


def fields(council, **overrides):
    values = {
        "title": "Recruitment panel for a new IRO",
        "starts_on": TODAY - datetime.timedelta(days=3),
        "status": Activity.Status.DONE,
        "kind": ActivityKindFactory(council=council),
        "participation_type": ParticipationType.CONSULTATION,
        "ladder_rung": LadderRung.ADULT_INITIATED,
    }
    values.update(overrides)
    return values


def test_create_links_areas_and_young_people_and_audits(council_a, officer_a):
    area = ServiceAreaFactory(council=council_a)
    people = YoungPersonFactory.create_batch(2, council=council_a)
    activity = services.activity_create(
        council=council_a,
        actor=officer_a.user,
        service_areas=[area],
        young_people=people,
        lundy_voice=True,
        methods=["face_to_face", "creative"],
        count_children=3,
        count_under_8=1,
        count_8_12=2,
        **fields(council_a),
    )
    assert [link.service_area for link in activity.area_links.all()] == [area]
    assert {p.young_person for p in activity.participations.all()} == set(people)
    assert activity.created_by == officer_a.user
    assert activity.lundy_elements == ["Voice"]
    assert activity.method_labels == ["Face to face", "Creative"]
    assert AuditEvent.objects.filter(verb="logged activity", subject_id=activity.pk).exists()


def test_update_replaces_links(council_a, officer_a):
    first, second = YoungPersonFactory.create_batch(2, council=council_a)
    activity = services.activity_create(
        council=council_a, actor=officer_a.user, young_people=[first], **fields(council_a)
    )
    services.activity_update(
        activity=activity, actor=officer_a.user, young_people=[second], title="Renamed"
    )
    activity.refresh_from_db()
    assert activity.title == "Renamed"
    assert [p.young_person for p in activity.participations.all()] == [second]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"starts_on": TODAY + datetime.timedelta(days=1)},
            "starts_on",
            "A done activity cannot have a date in the future",
        ),
        (
            {"ends_on": TODAY - datetime.timedelta(days=10)},
            "ends_on",
            "The end date must be the same as or after the start date",
        ),
        ({"count_children": -1}, "count_children", "cannot be negative"),
        (
            {"count_children": 1, "count_13_15": 4},
            "count_under_8",
            "The age bands add up to 4, more than the 1",
        ),
        (
            {"feedback_given_on": TODAY},
            "feedback_given_on",
            "Tick that feedback was given",
        ),
        ({"methods": ["telepathy"]}, "methods", "Choose methods from the list"),
        ({"title": "  "}, "title", "This field cannot be blank"),
        ({"starts_on": datetime.date(1026, 5, 1)}, "starts_on", "Check the year"),
        (
            {"status": "planned", "starts_on": datetime.date(9999, 5, 1)},
            "starts_on",
            "Check the year",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(
    council_a, officer_a, overrides, field, message
):
    with pytest.raises(ValidationError) as caught:
        services.activity_create(
            council=council_a, actor=officer_a.user, **fields(council_a, **overrides)
        )
    assert any(message in text for text in caught.value.message_dict[field])
    assert not Activity.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_planned_activity_may_be_in_the_future(council_a, officer_a):
    activity = services.activity_create(
        council=council_a,
        actor=officer_a.user,
        **fields(
            council_a,
            status=Activity.Status.PLANNED,
            starts_on=TODAY + datetime.timedelta(days=30),
        ),
    )
    assert activity.status == "planned"


def test_a_young_person_from_another_council_is_refused(council_a, council_b, officer_a):
    ours = YoungPersonFactory(council=council_a)
    theirs = YoungPersonFactory(council=council_b)
    with pytest.raises(ValidationError) as caught:
        services.activity_create(
            council=council_a,
            actor=officer_a.user,
            young_people=[ours, theirs],
            **fields(council_a),
        )
    assert "not recorded in this council" in caught.value.message_dict["young_people"][0]
    assert not Activity.objects.exists()
    assert not Participation.objects.exists()


def test_a_practitioner_may_name_only_the_young_people_they_may_see(council_a, member_a, officer_a):
    theirs = YoungPersonFactory(council=council_a, created_by=member_a.user)
    unseen = YoungPersonFactory(council=council_a, created_by=officer_a.user)
    with pytest.raises(ValidationError) as caught:
        services.activity_create(
            council=council_a,
            actor=member_a.user,
            young_people=[theirs, unseen],
            **fields(council_a),
        )
    assert "whose records you can see" in caught.value.message_dict["young_people"][0]
    assert not Activity.objects.exists()
    assert not Participation.objects.exists()
    activity = services.activity_create(
        council=council_a, actor=member_a.user, young_people=[theirs], **fields(council_a)
    )
    assert [p.young_person for p in activity.participations.all()] == [theirs]


def test_an_update_keeps_people_already_on_but_refuses_new_unseen_ones(
    council_a, member_a, officer_a
):
    theirs = YoungPersonFactory(council=council_a, created_by=member_a.user)
    added_by_officer = YoungPersonFactory(council=council_a, created_by=officer_a.user)
    unseen = YoungPersonFactory(council=council_a, created_by=officer_a.user)
    activity = services.activity_create(
        council=council_a,
        actor=officer_a.user,
        young_people=[added_by_officer],
        **fields(council_a, lead_worker=member_a.user),
    )
    # The lead worker sees those on their activity, so keeping them (and adding their own) is fine.
    services.activity_update(
        activity=activity, actor=member_a.user, young_people=[added_by_officer, theirs]
    )
    with pytest.raises(ValidationError) as caught:
        services.activity_update(
            activity=activity,
            actor=member_a.user,
            title="Changed",
            young_people=[added_by_officer, theirs, unseen],
        )
    assert "whose records you can see" in caught.value.message_dict["young_people"][0]
    activity = Activity.objects.get(pk=activity.pk)
    assert activity.title == fields(council_a)["title"]
    assert set(activity.participations.values_list("young_person_id", flat=True)) == {
        added_by_officer.pk,
        theirs.pk,
    }


def test_someone_outside_the_council_may_name_no_young_person(council_a, member_b):
    person = YoungPersonFactory(council=council_a)
    with pytest.raises(ValidationError):
        services.activity_create(
            council=council_a, actor=member_b.user, young_people=[person], **fields(council_a)
        )
    assert not Activity.objects.exists()


def test_kinds_areas_and_workers_from_another_council_are_refused(
    council_a, council_b, officer_a, member_b
):
    with pytest.raises(ValidationError) as caught:
        services.activity_create(
            council=council_a,
            actor=officer_a.user,
            service_areas=[ServiceAreaFactory(council=council_b)],
            **fields(
                council_a,
                kind=ActivityKindFactory(council=council_b),
                lead_worker=member_b.user,
            ),
        )
    errors = caught.value.message_dict
    assert set(errors) >= {"kind", "service_areas", "lead_worker"}
    assert not Activity.objects.exists()


def test_a_refused_update_changes_nothing(council_a, officer_a):
    activity = ActivityFactory(council=council_a, title="Before")
    with pytest.raises(ValidationError):
        services.activity_update(
            activity=activity, actor=officer_a.user, title="After", count_young_people=-3
        )
    activity.refresh_from_db()
    assert activity.title == "Before"
    assert activity.count_young_people == 0


def test_recognition_is_recorded_and_negative_hours_refused(council_a, officer_a):
    participation = ParticipationFactory(activity=ActivityFactory(council=council_a))
    services.participation_update(
        participation=participation,
        actor=officer_a.user,
        hours=2,
        voucher_amount=10,
        accreditation="AQA unit award",
    )
    participation.refresh_from_db()
    assert participation.hours == 2
    with pytest.raises(ValidationError):
        services.participation_update(
            participation=participation,
            actor=officer_a.user,
            hours=-1,
            voucher_amount=None,
            accreditation="",
        )
    participation.refresh_from_db()
    assert participation.hours == 2


# Young people -------------------------------------------------------------------------------


def test_young_person_gets_a_pseudonymous_reference(council_a, officer_a):
    first = services.young_person_create(
        council=council_a, actor=officer_a.user, preferred_name="Kai", age_band="13_15"
    )
    second = services.young_person_create(
        council=council_a, actor=officer_a.user, preferred_name="Remi", age_band="16_17"
    )
    assert (first.reference, second.reference) == ("YP-0001", "YP-0002")
    assert "Kai" not in AuditEvent.objects.get(subject_id=first.pk).detail


def test_young_person_needs_a_date_of_birth_or_age_band(council_a, officer_a):
    with pytest.raises(ValidationError) as caught:
        services.young_person_create(council=council_a, actor=officer_a.user, preferred_name="Kai")
    assert caught.value.message_dict["age_band"] == ["Enter a date of birth or choose an age band."]
    assert not YoungPerson.objects.exists()


def test_young_person_dates_are_checked(council_a, officer_a):
    with pytest.raises(ValidationError) as caught:
        services.young_person_create(
            council=council_a,
            actor=officer_a.user,
            preferred_name="Kai",
            date_of_birth=TODAY + datetime.timedelta(days=1),
            consent_given_on=datetime.date(2026, 1, 10),
            consent_review_on=datetime.date(2025, 1, 10),
        )
    errors = caught.value.message_dict
    assert errors["date_of_birth"] == ["The date of birth must be in the past."]
    assert "after the date consent was given" in errors["consent_review_on"][0]
    assert not YoungPerson.objects.exists()


def test_reference_must_be_unique_in_the_council_only(council_a, council_b, officer_a, admin_b):
    YoungPersonFactory(council=council_a, reference="YP-0100")
    services.young_person_create(
        council=council_b,
        actor=admin_b.user,
        preferred_name="Ash",
        reference="yp-0100",
        age_band="8_12",
    )
    with pytest.raises(ValidationError) as caught:
        services.young_person_create(
            council=council_a,
            actor=officer_a.user,
            preferred_name="Ash",
            reference="YP-0100",
            age_band="8_12",
        )
    assert "has this reference" in caught.value.message_dict["reference"][0]


def test_age_band_comes_from_the_date_of_birth(council_a, officer_a):
    person = services.young_person_create(
        council=council_a,
        actor=officer_a.user,
        preferred_name="Kai",
        date_of_birth=datetime.date(2012, 6, 1),
        age_band="18_25",
    )
    assert person.age_band == ""
    assert person.age_band_on(datetime.date(2026, 5, 31)) == "13_15"
    assert person.age_band_on(datetime.date(2026, 6, 1)) == "13_15"
    assert person.age_band_on(datetime.date(2028, 6, 1)) == "16_17"


def test_recognition_with_nothing_in_it_is_refused_until_there_is_something_to_clear(
    council_a, officer_a
):
    participation = ParticipationFactory(activity=ActivityFactory(council=council_a))
    empty = {"hours": None, "voucher_amount": None, "accreditation": "  "}
    with pytest.raises(ValidationError, match="Enter the hours they gave"):
        services.participation_update(participation=participation, actor=officer_a.user, **empty)
    assert not AuditEvent.objects.filter(verb="recorded recognition").exists()
    services.participation_update(
        participation=participation,
        actor=officer_a.user,
        **{**empty, "accreditation": "Duke of Edinburgh bronze"},
    )
    services.participation_update(participation=participation, actor=officer_a.user, **empty)
    participation.refresh_from_db()
    assert participation.accreditation == ""
