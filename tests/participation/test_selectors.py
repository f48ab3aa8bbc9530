import pytest

from participation.selectors import page_window


@pytest.mark.parametrize(
    ("current", "last", "expected"),
    [
        (1, 1, [1]),
        (1, 4, [1, 2, 3, 4]),
        (1, 4001, [1, 2, 3, None, 4001]),
        (50, 4001, [1, None, 48, 49, 50, 51, 52, None, 4001]),
        (4001, 4001, [1, None, 3999, 4000, 4001]),
        (4, 7, [1, 2, 3, 4, 5, 6, 7]),
    ],
)
def test_page_links_are_a_window_not_every_page(current, last, expected):
    assert page_window(current, last) == expected
