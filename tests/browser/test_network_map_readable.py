"""The network map reads without hovering: every organisation is named on the drawn map, the legends are in
words and stay on screen at phone width. Real Chromium, at 375 and 1280 px (screenshots with
JOINEDUP_SCREENSHOTS=DIR)."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.browser.test_network_journey import answered_by_services
from tests.conftest import grant, login
from tests.conftest import page_check as check
from tests.factories import UserFactory
from tests.networks.helpers import relationship_wave

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAMES = [
    "Kingsford Borough Council",
    "Northshire Community Health",
    "Riverside Surgery",
    "Kingsford Carers Centre",
    "Northshire Housing",
    "Age Well Kingsford",
]


def svg_texts(page: Any) -> list[str]:
    """The words in the drawn chart, a name broken over two lines (two tspans) joined by a space again."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.app-chart svg text')).map(t => {
            const lines = Array.from(t.querySelectorAll('tspan')).map(s => s.textContent);
            return lines.length ? lines.join(' ') : t.textContent;
        })"""
    )


@pytest.mark.parametrize("width", [375, 1280])
def test_the_map_names_every_organisation_and_keeps_its_legends_in_words(page: Any, width: int) -> None:
    wave, orgs = relationship_wave(members=6)
    for org, name in zip(orgs, NAMES, strict=True):
        org.name = name
        org.save()
    answered_by_services(wave, orgs[0], orgs[1:4])
    answered_by_services(wave, orgs[1], [orgs[0], orgs[4]])
    answered_by_services(wave, orgs[2], [orgs[5]])
    coordinator = UserFactory()
    grant(coordinator, wave.partnership, "coordinator")
    page.set_viewport_size({"width": width, "height": 900})
    login(page, coordinator.email)

    page.goto(f"/networks/waves/{wave.pk}/")
    page.wait_for_selector(".app-chart[data-vega-ready] svg")
    texts = svg_texts(page)
    for name in NAMES:  # each organisation named in the drawn picture, not only in a tooltip
        assert name in texts, (name, texts)
    for words in ("Both name each other", "yes", "no", "Sector"):
        assert words in texts, (words, texts)
    assert "true" not in texts and "false" not in texts
    # the legends are inside the screen's width, not cut off beyond it
    chart = page.locator(".app-chart").bounding_box()
    legend = page.locator(".app-chart svg text", has_text="Both name each other").bounding_box()
    assert chart is not None and legend is not None
    assert legend["x"] >= 0 and legend["x"] + legend["width"] <= min(width, chart["x"] + chart["width"]) + 1
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    check(page, f"network-map-{width}")
    if os.environ.get("JOINEDUP_SCREENSHOTS"):  # the map alone, big enough to read
        page.locator(".app-chart").screenshot(path=f"{os.environ['JOINEDUP_SCREENSHOTS']}/map-{width}.png")
    page.emulate_media(media="print")
    assert all(name in svg_texts(page) for name in NAMES)  # and on paper
    page.emulate_media(media="screen")
