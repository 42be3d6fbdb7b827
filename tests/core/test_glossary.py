"""The glossary explains every figure a page links to it for: each link from a page's heading lands on an entry."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "joinedup"


@pytest.mark.django_db
def test_every_glossary_link_in_the_pages_has_its_entry(client: Any) -> None:
    page = client.get("/glossary/")
    assert page.status_code == 200
    ids = set(re.findall(r'<dt id="([\w-]+)"', page.content.decode()))
    links: dict[str, set[str]] = {}
    for template in SRC.glob("*/templates/**/*.html"):
        for anchor in re.findall(
            r"\{% url 'core:glossary' %\}#([\w-]+)", template.read_text(encoding="utf-8")
        ):
            links.setdefault(anchor, set()).add(template.name)
    assert {
        "sd",
        "ci",
        "rwg",
        "welch",
        "to-discuss",
        "betweenness",
        "closeness",
        "ei-index",
        "jaccard",
    } <= set(links)
    missing = {a: sorted(t) for a, t in links.items() if a not in ids}
    assert not missing, f"glossary links with no entry: {missing}"
