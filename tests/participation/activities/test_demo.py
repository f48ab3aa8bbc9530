import datetime

from participation.activities import demo, selectors
from participation.activities.models import Activity, Participation, YoungPerson
from participation.quarters import Quarter


def test_demo_is_a_varied_year_safe_to_load_twice_and_puts_young_people_on_forums_once(
    council_a, officer_a, member_a
):
    # One test, because loading the demo takes seconds.
    from forums.models import ForumMember
    from tests.factories import ForumFactory

    for name in ("Care Leavers Forum", "Children in Care Council", "Youth Council"):
        ForumFactory(council=council_a, name=name)
    members = {"officer": officer_a.user, "practitioner": member_a.user}
    demo.load(council_a, members)
    counts = (Activity.objects.count(), Participation.objects.count(), YoungPerson.objects.count())
    memberships = ForumMember.objects.filter(council=council_a)
    forum_count = memberships.count()
    demo.load(council_a, members)
    assert (
        Activity.objects.count(),
        Participation.objects.count(),
        YoungPerson.objects.count(),
    ) == counts
    today = datetime.date.today()
    done = Activity.objects.filter(status="done")
    assert done.count() > 100
    assert not done.filter(starts_on__gt=today).exists()
    assert done.order_by("starts_on").first().starts_on < today - datetime.timedelta(days=300)
    assert Activity.objects.values("kind").distinct().count() >= 10
    assert set(YoungPerson.objects.values_list("preferred_name", flat=True)) <= set(
        demo.FIRST_NAMES
    )
    reach = selectors.reach(
        council=council_a, quarter=Quarter.containing(today, year_starts=4).previous()
    )
    assert reach.unique > 0
    assert any(row.cohort_size for row in reach.by_cohort)

    assert memberships.count() == forum_count == 18
    assert memberships.filter(role="chair").count() == 3
    assert memberships.filter(left_on__isnull=False).count() == 3
    assert not memberships.exclude(young_person__council=council_a).exists()
