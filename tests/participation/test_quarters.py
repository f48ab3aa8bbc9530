from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from feedback.models import Response
from participation.activities.models import Activity
from participation.quarters import Quarter, quarter_key
from tests.feedback.factories import make_form, submit
from tests.participation.activities.factories import ActivityFactory

LONDON = ZoneInfo("Europe/London")


def test_a_financial_year_council_counts_from_april():
    quarter = Quarter.containing(date(2026, 5, 10), year_starts=4)
    assert (quarter.start, quarter.end) == (date(2026, 4, 1), date(2026, 6, 30))
    assert quarter.short_label == "Q1 2026/27"
    assert quarter.label == "Q1 2026/27 (Apr to Jun 2026)"
    last = Quarter.containing(date(2027, 3, 31), year_starts=4)
    assert (last.start, last.end, last.short_label) == (
        date(2027, 1, 1),
        date(2027, 3, 31),
        "Q4 2026/27",
    )
    assert last.label == "Q4 2026/27 (Jan to Mar 2027)"


def test_a_january_council_counts_calendar_quarters_and_names_one_year():
    quarter = Quarter.containing(date(2026, 2, 15), year_starts=1)
    assert (quarter.start, quarter.end) == (date(2026, 1, 1), date(2026, 3, 31))
    assert quarter.short_label == "Q1 2026"
    assert quarter.label == "Q1 2026 (Jan to Mar 2026)"
    assert Quarter.containing(date(2026, 12, 31), year_starts=1).short_label == "Q4 2026"
    # The same days in an April council: the same boundaries, its own numbering.
    assert Quarter.containing(date(2026, 2, 15), year_starts=4).short_label == "Q4 2025/26"


def test_a_september_council_year_crosses_new_year():
    quarter = Quarter.containing(date(2026, 10, 3), year_starts=9)
    assert (quarter.start, quarter.end) == (date(2026, 9, 1), date(2026, 11, 30))
    assert Quarter.containing(date(2027, 2, 28), year_starts=9).short_label == "Q2 2026/27"
    assert Quarter.containing(date(2027, 8, 31), year_starts=9).short_label == "Q4 2026/27"


def test_next_and_previous_cross_the_year_end():
    q4 = Quarter.containing(date(2027, 2, 1), year_starts=4)
    assert q4.next() == Quarter(date(2027, 4, 1), 4)
    assert q4.next().short_label == "Q1 2027/28"
    assert q4.previous().previous().previous().short_label == "Q1 2026/27"
    q1 = Quarter.containing(date(2026, 1, 1), year_starts=1)
    assert q1.previous() == Quarter(date(2025, 10, 1), 1)
    assert q1.previous().end == date(2025, 12, 31)
    assert q1.previous().short_label == "Q4 2025"


def test_between_lists_every_quarter_from_first_to_last():
    quarters = Quarter.between(date(2026, 4, 1), date(2027, 3, 31), year_starts=4)
    assert [q.end for q in quarters] == [
        date(2026, 6, 30),
        date(2026, 9, 30),
        date(2026, 12, 31),
        date(2027, 3, 31),
    ]
    assert [
        q.short_label for q in Quarter.between(date(2026, 2, 1), date(2026, 5, 1), year_starts=1)
    ] == [
        "Q1 2026",
        "Q2 2026",
    ]


@pytest.mark.parametrize("year_starts", range(1, 13))
def test_every_day_of_two_years_is_in_exactly_one_quarter(year_starts):
    day = date(2025, 1, 1)
    quarter = Quarter.containing(day, year_starts=year_starts)
    while day < date(2027, 1, 1):
        found = Quarter.containing(day, year_starts=year_starts)
        if found != quarter:
            assert found == quarter.next() and day == quarter.end + timedelta(days=1)
            quarter = found
        assert day in found and found.start.month in {
            (year_starts - 1 + 3 * n) % 12 + 1 for n in range(4)
        }
        day += timedelta(days=1)


def test_parse_reads_any_day_and_keeps_the_council_year_start():
    default = Quarter.containing(date(2026, 5, 1), year_starts=1)
    assert Quarter.parse("2026-02-15", default=default) == Quarter(date(2026, 1, 1), 1)
    assert Quarter.parse("2026-10-01", default=default).short_label == "Q4 2026"
    for text in ("", "not a date", "2026-13-01", "0001-01-01", "9999-12-31", None):
        assert Quarter.parse(text, default=default) is default


def test_a_quarter_must_start_on_one_of_the_council_quarter_months():
    with pytest.raises(ValueError):
        Quarter(date(2026, 5, 1), 4)
    with pytest.raises(ValueError):
        Quarter(date(2026, 4, 2), 4)
    with pytest.raises(ValueError):
        Quarter.containing(date(2026, 4, 1), year_starts=13)


def _days_around_every_month_boundary():
    for month in range(1, 13):
        first = date(2026, month, 1)
        yield from (first - timedelta(days=1), first)


@pytest.mark.parametrize("year_starts", [1, 2, 3, 4, 9])
def test_database_grouping_agrees_with_python_for_dates(council_a, year_starts):
    days = list(_days_around_every_month_boundary())
    for day in days:
        ActivityFactory(council=council_a, title=day.isoformat(), starts_on=day)
    rows = Activity.objects.filter(council=council_a).annotate(
        quarter=quarter_key("starts_on", year_starts=year_starts)
    )
    found = {row.starts_on: Quarter.from_key(row.quarter, year_starts=year_starts) for row in rows}
    assert len(found) == len(days)
    for day, quarter in found.items():
        assert quarter == Quarter.containing(day, year_starts=year_starts), day


@pytest.mark.parametrize("year_starts", [1, 4])
def test_database_grouping_reads_date_times_in_local_time(council_a, year_starts):
    """A child's answer at 00:30 on 1 July in summer time is 23:30 on 30 June in UTC: it belongs
    to the quarter that begins in July, as the page showing the day says."""
    form = make_form(council_a)
    moments = []
    for day in _days_around_every_month_boundary():
        for clock in (time(0, 30), time(23, 30)):
            moments.append(datetime.combine(day, clock, tzinfo=LONDON))
    for moment in moments:
        response = submit(form)
        Response.objects.filter(pk=response.pk).update(submitted_at=moment)
    rows = Response.objects.filter(council=council_a).annotate(
        quarter=quarter_key("submitted_at", year_starts=year_starts)
    )
    assert rows.count() == len(moments)
    for row in rows:
        day = timezone.localdate(row.submitted_at)
        assert Quarter.from_key(row.quarter, year_starts=year_starts) == Quarter.containing(
            day, year_starts=year_starts
        ), row.submitted_at
