"""Rules every template keeps, checked on the source so a new page cannot forget them.

A table wrapper that scrolls sideways must be reachable and named for keyboard and screen-reader users
(WCAG 2.1.1 and axe's ``scrollable-region-focusable``): the browser journeys only catch it on pages
whose table happens to overflow at 375 px in that test's data.
"""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "joinedup"
SCROLL_TAG = re.compile(r"<div\b[^>]*\bclass=\"[^\"]*\bapp-table-scroll\b[^\"]*\"[^>]*>")


def test_there_are_table_scroll_wrappers_to_check() -> None:
    found = [m for p in SRC.rglob("*.html") for m in SCROLL_TAG.findall(p.read_text(encoding="utf-8"))]
    assert len(found) > 20


def test_every_table_scroll_wrapper_is_focusable_and_named() -> None:
    bad = []
    for path in sorted(SRC.rglob("*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for tag in SCROLL_TAG.findall(line):
                if not all(attr in tag for attr in ('tabindex="0"', 'role="region"', "aria-label=")):
                    bad.append(f"{path.relative_to(SRC)}:{number}: {tag}")
    assert not bad, "table scroll wrappers without tabindex, role and aria-label:\n" + "\n".join(bad)
