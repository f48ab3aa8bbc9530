"""Council quarters. A council's year starts in a month it chooses (default April, the financial
year); each quarter is three months from there. Dates only, no times: a quarter ends at the end of
its last day."""

from datetime import date, timedelta


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def quarter_containing(day: date, *, year_starts: int = 4) -> tuple[date, date]:
    """(first day, last day) of the quarter holding `day`."""
    offset = (day.month - year_starts) % 3
    year, month = _add_months(day.year, day.month, -offset)
    start = date(year, month, 1)
    next_year, next_month = _add_months(year, month, 3)
    return start, date(next_year, next_month, 1) - timedelta(days=1)


def previous_quarter_end(day: date, *, year_starts: int = 4) -> date:
    """The last day of the quarter before the one holding `day`."""
    start, _ = quarter_containing(day, year_starts=year_starts)
    return start - timedelta(days=1)


def quarter_label(end: date, *, year_starts: int = 4) -> str:
    """ "Q1 2026/27" style label, counting from the council's first month."""
    start, _ = quarter_containing(end, year_starts=year_starts)
    number = ((start.month - year_starts) % 12) // 3 + 1
    first_year = start.year if start.month >= year_starts else start.year - 1
    if year_starts == 1:
        return f"Q{number} {first_year}"
    return f"Q{number} {first_year}/{str(first_year + 1)[-2:]}"


def quarter_ends_between(first: date, last: date, *, year_starts: int = 4) -> list[date]:
    """Every quarter end from the quarter holding `first` to the one holding `last`."""
    ends = []
    start, end = quarter_containing(first, year_starts=year_starts)
    while start <= last:
        ends.append(end)
        start, end = quarter_containing(end + timedelta(days=1), year_starts=year_starts)
    return ends
