"""The one helper that pins a page's query count at two sizes (CONVENTIONS item 5).

    assert_num_queries_stable(client, "/register/organisations/", setup=add_organisations)

`setup(n)` adds `n` more of the things the page lists. The helper adds the first size, counts the queries of a
GET, adds up to the second size, counts again and fails unless both counts are equal; the failure lists the
queries the larger page ran more often, which is where a `select_related`/`prefetch_related` is missing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

Target = Any  # a django.test.Client, or a callable that does the counted work itself
SIZES = (5, 50)


def _shape(sql: str) -> str:
    """A query with its literal values blanked, so the same query for another row counts as the same."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(?:\.\d+)?\b", "?", sql)
    return re.sub(r"\((?:\?, )+\?\)", "(…)", sql)


def _describe(small: list[str], large: list[str], sizes: Sequence[int]) -> str:
    few, many = Counter(map(_shape, small)), Counter(map(_shape, large))
    grown = [(shape, few[shape], n) for shape, n in many.items() if n > few[shape]]
    lines = [
        f"{len(small)} queries with {sizes[0]}, {len(large)} with {sizes[-1]}. "
        "Queries run more often at the larger size:"
    ]
    for shape, before, after in sorted(grown, key=lambda g: g[1] - g[2]):
        example = next(q for q in large if _shape(q) == shape)
        lines.append(f"  {before} -> {after} times: {example[:400]}")
    return "\n".join(lines)


def count_queries(
    target: Target,
    url: str | Callable[[], str] | None = None,
    *,
    params: Mapping[str, Any] | None = None,
    status: int = 200,
    **get_kwargs: Any,
) -> list[str]:
    """The SQL of one GET of `url` with the test client `target` (or of calling `target()`)."""
    path = url() if callable(url) else url
    if path is None:
        target()  # warm up: per-process caches (content types, instruments) are not the page's cost
        with CaptureQueriesContext(connection) as captured:
            target()
        return [q["sql"] for q in captured.captured_queries]
    target.get(path, params, **get_kwargs)
    with CaptureQueriesContext(connection) as captured:
        response = target.get(path, params, **get_kwargs)
    assert response.status_code == status, (
        f"GET {path} answered {response.status_code}: {response.content[:300]!r}"
    )
    return [q["sql"] for q in captured.captured_queries]


def assert_num_queries_stable(
    target: Target,
    url: str | Callable[[], str] | None = None,
    *,
    setup: Callable[[int], Any],
    sizes: Sequence[int] = SIZES,
    params: Mapping[str, Any] | None = None,
    status: int = 200,
    **get_kwargs: Any,
) -> int:
    """Fail unless the GET costs as many queries with `sizes[0]` of the listed things as with `sizes[-1]`.

    `target` is a logged-in test client (or a callable doing the counted work, with `url` left out); `url` may be
    a callable, read after each `setup`. Extra keyword arguments go to `client.get` (for example `headers`).
    Returns the number of queries, for a test that also pins it.
    """
    assert list(sizes) == sorted(set(sizes)) and len(sizes) >= 2, "sizes grow: (5, 50)"
    counted: list[list[str]] = []
    made = 0
    for size in sizes:
        setup(size - made)
        made = size
        counted.append(count_queries(target, url, params=params, status=status, **get_kwargs))
    first = counted[0]
    for later in counted[1:]:
        assert len(later) == len(first), _describe(first, later, sizes)
    return len(first)
