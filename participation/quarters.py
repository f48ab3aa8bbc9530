"""The council's quarters: the one definition every page, report and reminder uses.

A council's year starts in a month it chooses (`Council.year_starts`, default April, the financial
year); each quarter is three months from there. Dates only, no times: a quarter ends at the end of
its last day. Database grouping goes through `quarter_key` so it puts a date in the same quarter
as `Quarter.containing` does.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, ExpressionWrapper, IntegerField, Value, When
from django.db.models.functions import ExtractMonth, ExtractYear

MONTHS = [(number, calendar.month_name[number]) for number in range(1, 13)]
# Far-off years are typing mistakes and would overflow the previous/next quarter links.
FIRST_YEAR, LAST_YEAR = 1900, 2200


def _check_year_starts(year_starts: int) -> None:
    if not isinstance(year_starts, int) or not 1 <= year_starts <= 12:
        raise ValueError(f"A year starts in a month from 1 to 12, not {year_starts!r}.")


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _from_month_index(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Quarter:
    start: date
    year_starts: int

    def __post_init__(self):
        _check_year_starts(self.year_starts)
        if self.start.day != 1 or (self.start.month - self.year_starts) % 3:
            raise ValueError(f"{self.start} does not start a quarter of this council's year.")

    @classmethod
    def containing(cls, day: date, *, year_starts: int) -> "Quarter":
        _check_year_starts(year_starts)
        index = _month_index(day)
        return cls(_from_month_index(index - (day.month - year_starts) % 3), year_starts)

    @classmethod
    def from_key(cls, key: int, *, year_starts: int) -> "Quarter":
        """The quarter a `quarter_key` database value stands for."""
        return cls(_from_month_index(key), year_starts)

    @classmethod
    def parse(cls, text: str, *, default: "Quarter") -> "Quarter":
        """Read a quarter from "2026-04-01"-style text (any day in it); anything else gives the
        default, whose year start the result shares."""
        try:
            day = date.fromisoformat(text)
        except (TypeError, ValueError):
            return default
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            return default
        return cls.containing(day, year_starts=default.year_starts)

    @classmethod
    def between(cls, first: date, last: date, *, year_starts: int) -> list["Quarter"]:
        """Every quarter from the one holding `first` to the one holding `last`."""
        found = []
        quarter = cls.containing(first, year_starts=year_starts)
        while quarter.start <= last:
            found.append(quarter)
            quarter = quarter.next()
        return found

    @property
    def key(self) -> int:
        return _month_index(self.start)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    def next(self) -> "Quarter":
        return Quarter(_from_month_index(self.key + 3), self.year_starts)

    def previous(self) -> "Quarter":
        return Quarter(_from_month_index(self.key - 3), self.year_starts)

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def number(self) -> int:
        return (self.start.month - self.year_starts) % 12 // 3 + 1

    @property
    def first_year(self) -> int:
        """The calendar year the council's year holding this quarter begins in."""
        return self.start.year if self.start.month >= self.year_starts else self.start.year - 1

    @property
    def year_label(self) -> str:
        """ "2026/27" for a year that crosses new year; "2026" for a January start."""
        if self.year_starts == 1:
            return str(self.first_year)
        return f"{self.first_year}/{str(self.first_year + 1)[-2:]}"

    @property
    def short_label(self) -> str:
        return f"Q{self.number} {self.year_label}"

    @property
    def label(self) -> str:
        return f"{self.short_label} ({self.start:%b} to {self.end:%b %Y})"

    def __str__(self):
        # Links carry the first day: ?quarter=2026-04-01.
        return self.start.isoformat()


def current_quarter(*, council, today: date) -> Quarter:
    return Quarter.containing(today, year_starts=council.year_starts)


def quarter_key(field: str, *, year_starts: int):
    """A database expression for the quarter holding a date (or date-time) column: its first
    month as year * 12 + month - 1, the same number as `Quarter.key`. Turn it back with
    `Quarter.from_key`. Plain integer arithmetic on the (local) year and month, so PostgreSQL and
    SQLite agree; a date-time is read in the current time zone, as `timezone.localdate` does."""
    _check_year_starts(year_starts)
    months_in = Case(
        *(
            When(**{f"{field}__month": month}, then=Value((month - year_starts) % 3))
            for month in range(1, 13)
        ),
        output_field=IntegerField(),
    )
    return ExpressionWrapper(
        ExtractYear(field) * 12 + ExtractMonth(field) - 1 - months_in,
        output_field=IntegerField(),
    )
