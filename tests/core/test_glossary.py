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


def test_every_explain_box_names_glossary_entries_and_each_entry_is_one_sentence() -> None:
    from joinedup.core.glossary import BY_KEY

    used: dict[str, set[str]] = {}
    for template in SRC.glob("*/templates/**/*.html"):
        for call in re.findall(r"\{% explain ([^%]+)%\}", template.read_text(encoding="utf-8")):
            for key in re.findall(r'"([\w-]+)"', call):
                used.setdefault(key, set()).add(template.name)
    assert {"sd", "ci", "rwg", "welch", "band", "betweenness", "closeness", "ei-index", "jaccard"} <= set(
        used
    )
    unknown = {k: sorted(t) for k, t in used.items() if k not in BY_KEY}
    assert not unknown, f"explain boxes naming no glossary entry: {unknown}"
    for term in BY_KEY.values():  # "a one-sentence explanation where it is shown"
        assert term.short.endswith((".", ")")) and term.short.count(". ") == 0, term.key


@pytest.mark.django_db
def test_the_explain_box_is_a_disclosure_with_the_sentence_and_a_link(client: Any) -> None:
    from django.template import Context, Template

    html = Template('{% load joinedup %}{% explain "rwg" "welch" %}').render(Context())
    assert html.count("<details") == 1 and "<summary" in html
    assert "How much a group agrees, from 0" in html
    assert 'href="/glossary/#rwg"' in html and 'href="/glossary/#welch"' in html
