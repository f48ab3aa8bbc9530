import datetime
import re

from django.urls import reverse

from participation.activities import selectors
from participation.activities.models import CohortSize
from participation.quarters import Quarter
from tests.conftest import client_for
from tests.participation.activities.factories import (
    ActivityFactory,
    ParticipationFactory,
    YoungPersonFactory,
)
from tests.querycount import assert_constant_queries

QUARTER = Quarter(datetime.date(2026, 4, 1), 4)


def reach_url(council, quarter=QUARTER):
    return reverse("reach", kwargs={"council_slug": council.slug}) + f"?quarter={quarter}"


def take_part(council, people, *, day=datetime.date(2026, 5, 5), times=1, status="done"):
    for _ in range(times):
        activity = ActivityFactory(council=council, starts_on=day, status=status)
        for person in people:
            ParticipationFactory(activity=activity, young_person=person)


def row(page: str, label: str) -> list[str]:
    """The cells of the first table row headed `label`."""
    match = re.search(
        rf'<th scope="row" class="govuk-table__header">{re.escape(label)}</th>(.*?)</tr>',
        page,
        re.S,
    )
    assert match, label
    return [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)]


def test_quarters_are_financial_quarters():
    assert (
        Quarter.containing(datetime.date(2026, 4, 1), year_starts=4).label
        == "Q1 2026/27 (Apr to Jun 2026)"
    )
    assert (
        Quarter.containing(datetime.date(2027, 3, 31), year_starts=4).label
        == "Q4 2026/27 (Jan to Mar 2027)"
    )
    assert Quarter.containing(datetime.date(2026, 12, 31), year_starts=4).start == datetime.date(
        2026, 10, 1
    )
    assert QUARTER.previous().start == datetime.date(2026, 1, 1)
    assert QUARTER.next().next().next().next().start == datetime.date(2027, 4, 1)


def test_reach_counts_unique_young_people_against_the_cohort(council_a, officer_a):
    in_care = YoungPersonFactory.create_batch(6, council=council_a, in_care=True, gender="girl")
    leavers = YoungPersonFactory.create_batch(2, council=council_a, care_leaver=True)
    take_part(council_a, in_care, times=3)
    take_part(council_a, leavers)
    # Outside the quarter, or only planned: not counted.
    take_part(council_a, leavers, day=datetime.date(2026, 7, 1))
    take_part(council_a, YoungPersonFactory.create_batch(3, council=council_a), status="planned")
    CohortSize.objects.create(
        council=council_a, quarter_start=QUARTER.start, cohort="in_care", size=60
    )

    result = selectors.reach(council=council_a, quarter=QUARTER)
    assert (result.unique, result.total) == (8, 20)

    page = client_for(officer_a).get(reach_url(council_a)).content.decode()
    assert '<span class="heard-figure">8</span> different young people' in page
    assert "20 times in all" in page
    assert row(page, "Children in care") == ["6", "60", "10%"]
    assert row(page, "Care leavers") == ["fewer than 5", "Not entered", "–"]
    # 6 girls and 2 with no gender recorded: the 6 is withheld so the 2 cannot be worked out.
    assert row(page, "Not recorded") == ["fewer than 5"]
    assert row(page, "Girl or young woman") == ["withheld"]
    assert row(page, "Boy or young man") == ["0"]


def test_small_numbers_are_suppressed_everywhere(council_a, manager_a):
    people = YoungPersonFactory.create_batch(
        3, council=council_a, uasc=True, ethnicity="black", disability="yes"
    )
    take_part(council_a, people)
    CohortSize.objects.create(council=council_a, quarter_start=QUARTER.start, cohort="uasc", size=4)
    page = client_for(manager_a).get(reach_url(council_a)).content.decode()
    assert '<span class="heard-figure">fewer than 5</span>' in page
    assert row(page, "Unaccompanied asylum-seeking children") == ["fewer than 5", "4", "–"]
    assert row(page, "Black, Black British, Caribbean or African") == ["fewer than 5"]
    assert row(page, "Yes") == ["fewer than 5"]
    assert "75%" not in page
    for table in ("By age at the end", "By gender", "By ethnic group", "By disability"):
        section = page.split(table)[1].split("</table>")[0]
        assert not re.search(r'numeric">[1-4]</td>', section), table


def test_suppression_boundaries():
    assert [selectors.suppress(n) for n in (0, 1, 4, 5, 12)] == [
        "0",
        "fewer than 5",
        "fewer than 5",
        "5",
        "12",
    ]


def test_age_band_is_worked_out_at_the_end_of_the_quarter(council_a):
    # Born 30 June 2010: 15 for most of Q1 2026/27 and 16 on its last day, so counted as 16.
    turning_16 = YoungPersonFactory(
        council=council_a, date_of_birth=datetime.date(2010, 6, 30), age_band=""
    )
    take_part(council_a, [turning_16])
    result = selectors.reach(council=council_a, quarter=QUARTER)
    bands = {r.label: r.count for r in result.by_age_band}
    assert bands["16 to 17"] == 1
    assert bands["13 to 15"] == 0


def test_cohort_sizes_are_entered_per_quarter(council_a, officer_a, manager_a):
    form = reverse("cohort_sizes", kwargs={"council_slug": council_a.slug}) + f"?quarter={QUARTER}"
    assert client_for(manager_a).post(form, {"in_care": "10"}).status_code == 403
    assert not CohortSize.objects.exists()
    client = client_for(officer_a)
    response = client.post(form, {"in_care": "-1"})
    assert "cannot be negative" in response.content.decode()
    assert not CohortSize.objects.exists()
    client.post(form, {"in_care": "420", "care_leaver": "310"})
    assert selectors.cohort_sizes(council=council_a, quarter=QUARTER) == {
        "in_care": 420,
        "care_leaver": 310,
    }
    assert selectors.cohort_sizes(council=council_a, quarter=QUARTER.next()) == {}
    client.post(form, {"in_care": "400"})
    assert selectors.cohort_sizes(council=council_a, quarter=QUARTER) == {"in_care": 400}


def test_practitioner_cannot_see_reach(council_a, member_a):
    assert client_for(member_a).get(reach_url(council_a)).status_code == 403


def test_reach_query_count_is_constant(council_a, officer_a):
    client = client_for(officer_a)
    assert_constant_queries(
        lambda: client.get(reach_url(council_a)),
        grow=lambda n: take_part(council_a, YoungPersonFactory.create_batch(n, council=council_a)),
    )


def test_bad_quarter_in_the_address_falls_back_to_this_quarter(council_a, officer_a):
    for bad in ("banana", "9999-12-31", "0001-01-01"):
        response = client_for(officer_a).get(
            reverse("reach", kwargs={"council_slug": council_a.slug}) + f"?quarter={bad}"
        )
        assert response.status_code == 200
        assert (
            Quarter.containing(datetime.date.today(), year_starts=4).label
            in response.content.decode()
        )


def test_a_small_number_cannot_be_worked_out_by_subtraction(council_a, officer_a):
    # 8 young people: 2 girls, 6 boys. With the total shown, "6 boys" would reveal "2 girls".
    take_part(
        council_a,
        YoungPersonFactory.create_batch(2, council=council_a, gender="girl")
        + YoungPersonFactory.create_batch(6, council=council_a, gender="boy"),
    )
    page = client_for(officer_a).get(reach_url(council_a)).content.decode()
    assert row(page, "Girl or young woman") == ["fewer than 5"]
    assert row(page, "Boy or young man") == ["withheld"]
    # Cohort flags overlap and do not add up to the total: no need to withhold there.
    result = selectors.reach(council=council_a, quarter=QUARTER)
    assert not any(r.withheld for r in result.by_cohort)


def test_nothing_is_withheld_when_two_small_numbers_hide_each_other():
    rows = selectors.withhold_to_protect(
        [
            selectors.ReachRow("a", 2),
            selectors.ReachRow("b", 3),
            selectors.ReachRow("c", 9),
        ]
    )
    assert [r.shown for r in rows] == ["fewer than 5", "fewer than 5", "9"]


def test_an_empty_cohort_form_says_what_to_fill_in(council_a, officer_a):
    form = reverse("cohort_sizes", kwargs={"council_slug": council_a.slug}) + f"?quarter={QUARTER}"
    client = client_for(officer_a)
    html = client.post(form, {}).content.decode()
    assert "Enter how many young people are in at least one group" in html
    assert "<title>Error: " in html
    assert not CohortSize.objects.exists()
    # Once sizes are saved, emptying every box is how they are cleared.
    client.post(form, {"in_care": "12"})
    assert client.post(form, {}).status_code == 302
    assert not CohortSize.objects.exists()
