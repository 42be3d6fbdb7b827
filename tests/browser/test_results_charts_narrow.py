"""The results page's charts on a phone: the profile chart keeps its legend (below it) and a plot wide enough to
read, and the per-statement chart names statements by their words, not their keys. Real Chromium at 375 and
1280 px (screenshots with JOINEDUP_SCREENSHOTS=DIR)."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.test import override_settings

from tests.assessments.helpers import add_answers, make_wave, partnership_with_members
from tests.conftest import grant, login
from tests.conftest import page_check as check
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def chart_texts(page: Any, selector: str) -> list[str]:
    return page.locator(f"{selector} svg text").all_text_contents()


def axis_widths(page: Any, selector: str) -> list[float]:
    """The widths of the chart's axis lines (the x axis's is the plot's width)."""
    return page.evaluate(
        f"""() => Array.from(document.querySelectorAll('{selector} svg .role-axis-domain'))
            .map(d => d.getBoundingClientRect().width)"""
    )


@override_settings(RESULTS_RELEASE_INTERVAL_HOURS=0)
@pytest.mark.parametrize("width", [375, 1280])
def test_the_profile_chart_keeps_its_legend_and_its_plot_on_a_phone(page: Any, width: int) -> None:
    partnership, orgs = partnership_with_members(name="Northshire Mental Health Partnership")
    coordinator = UserFactory()
    grant(coordinator, partnership, "coordinator")
    wave = make_wave(partnership, min_group_size=3)
    add_answers(wave, orgs["trust"], 5, level=4, seed=1, compute=False)
    add_answers(wave, orgs["charity"], 5, level=2, seed=2, compute=False)
    add_answers(wave, orgs["council"], 5, level=3, seed=3)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, coordinator.email)

    page.goto(f"/assessments/waves/{wave.pk}/results/")
    page.wait_for_selector("#profile-chart[data-vega-ready] svg")
    page.wait_for_selector("#items-chart[data-vega-ready] svg")
    texts = chart_texts(page, "#profile-chart")
    for name in ("Organisation", "Northshire Trust", "County Council", "Mind Northshire"):
        assert name in texts, (name, texts)  # the legend, title and entries, is drawn
    chart = page.locator("#profile-chart").bounding_box()
    legend = page.locator("#profile-chart svg text", has_text="Mind Northshire").bounding_box()
    assert chart is not None and legend is not None
    assert legend["x"] + legend["width"] <= width  # on the screen, not beyond its edge
    plot = max(axis_widths(page, "#profile-chart"))
    assert plot >= 0.4 * chart["width"], (plot, chart["width"])  # the plot keeps its width
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0

    statements = [s["text"] for d in wave.instrument["dimensions"] for s in d["items"]]
    keys = [s["key"] for d in wave.instrument["dimensions"] for s in d["items"]]
    labels = chart_texts(page, "#items-chart")
    assert not set(keys) & set(labels), "a statement's key is shown on the chart"
    shown = [label.rstrip("…") for label in labels]
    assert any(text.startswith(label) and len(label) > 10 for text in statements for label in shown)
    check(page, f"results-{width}")
    shots = os.environ.get("JOINEDUP_SCREENSHOTS")
    if shots:
        page.locator("#profile-chart").screenshot(path=f"{shots}/profile-{width}.png")
        page.locator("#items-chart").screenshot(path=f"{shots}/items-{width}.png")
