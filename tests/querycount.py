"""Assert that a page's query count does not grow with the data.

    assert_constant_queries(
        lambda: client.get(url),
        grow=lambda n: ForumFactory.create_batch(n, council=council),
    )

`grow(n)` adds n more rows of whatever the page lists; the page is requested after growing to each
size, and the number of queries must be the same every time.
"""

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def is_scope_statement(sql: str) -> bool:
    """The row-level security scope's own statements (participation/rls.py): a fixed few per
    request whatever the data (one in production, two when nested in a test's transaction, per
    scope), not queries for the page's data, so budgets do not count them."""
    return sql.startswith(("SELECT set_config('app.", "WITH previous AS MATERIALIZED"))


def count_queries(request: Callable[[], object]) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = request()
    return sum(not is_scope_statement(q["sql"]) for q in ctx.captured_queries), response


def assert_constant_queries(
    request: Callable[[], object], *, grow: Callable[[int], object], sizes=(2, 12)
) -> int:
    # A client's first council page records the council in its session (a write later pages
    # skip), so the count is taken from the second visit on.
    request()
    counts = []
    previous = 0
    for size in sizes:
        grow(size - previous)
        previous = size
        count, response = count_queries(request)
        status = getattr(response, "status_code", 200)
        assert status == 200, f"page answered {status} at size {size}"
        counts.append(count)
    by_size = dict(zip(sizes, counts, strict=True))
    assert len(set(counts)) == 1, f"query count grows with the data: {by_size}"
    return counts[0]
