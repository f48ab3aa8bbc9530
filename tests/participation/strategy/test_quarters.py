from datetime import date

from participation.strategy import quarters


def test_financial_year_quarters_by_default():
    assert quarters.quarter_containing(date(2026, 5, 10)) == (date(2026, 4, 1), date(2026, 6, 30))
    assert quarters.quarter_containing(date(2027, 2, 1)) == (date(2027, 1, 1), date(2027, 3, 31))
    assert quarters.quarter_label(date(2026, 6, 30)) == "Q1 2026/27"
    assert quarters.quarter_label(date(2027, 3, 31)) == "Q4 2026/27"


def test_a_council_can_start_its_year_in_september():
    assert quarters.quarter_containing(date(2026, 10, 3), year_starts=9) == (
        date(2026, 9, 1),
        date(2026, 11, 30),
    )
    assert quarters.quarter_label(date(2027, 2, 28), year_starts=9) == "Q2 2026/27"
    assert quarters.quarter_label(date(2026, 12, 31), year_starts=1) == "Q4 2026"


def test_previous_quarter_end_and_range():
    assert quarters.previous_quarter_end(date(2026, 4, 1)) == date(2026, 3, 31)
    assert quarters.quarter_ends_between(date(2026, 4, 1), date(2027, 3, 31)) == [
        date(2026, 6, 30),
        date(2026, 9, 30),
        date(2026, 12, 31),
        date(2027, 3, 31),
    ]
