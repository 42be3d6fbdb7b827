"""The coordinator of the demo's mental-health partnership opens its health page from the partnership page, in
real Chromium at 1280 and 375 px, with an axe-core scan: the agreement, assessment, network, indicators,
feedback, governance, the flags ranked by severity and the integration ladder. The flags were worked out by
the background job when the demo's transaction committed, not by the page."""

from __future__ import annotations

from typing import Any

import pytest

from joinedup.demo.northshire import build_northshire
from joinedup.insight.models import FlagSet
from tests.conftest import login, page_check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 375])
def test_the_coordinator_reads_the_mental_health_partnerships_health(
    page: Any, width: int, settings: Any
) -> None:
    settings.FLAGS_RECOMPUTE_ON_WRITE = True  # off in the test run; the demo's commit queues the recompute
    page.set_viewport_size({"width": width, "height": 900})
    demo = build_northshire()
    mh = demo["partnerships"]["mh"]
    assert FlagSet.objects.filter(partnership=mh).exists()  # the recompute ran on commit
    login(page, demo["login"]["email"], demo["login"]["password"])

    page.goto(f"/register/partnerships/{mh.pk}/")
    page.get_by_role("link", name="The partnership's health").click()
    page.wait_for_url(f"**/insight/partnerships/{mh.pk}/health/")
    page_check(page, f"insight-health-{width}")
    headings = page.locator("h2").all_inner_texts()
    assert headings[:3] == ["Agreement", "Latest assessment", "Working relationships"]
    assert "Warning flags" in headings and "How deep the joint working goes" in headings
    cards = page.locator(".app-flag h3").all_inner_texts()
    assert cards[0].startswith("Critical") and any("dispute" in c for c in cards)
    severities = [c.split(" ", 1)[0] for c in cards]
    order = {"Critical": 0, "Warning": 1, "For": 2}
    assert severities == sorted(severities, key=order.__getitem__)

    page.get_by_role("link", name="What each flag means").click()
    page_check(page, f"insight-guide-{width}")


def test_the_system_leader_reads_the_place_and_follows_a_flag_to_its_health_page(
    page: Any, settings: Any
) -> None:
    settings.FLAGS_RECOMPUTE_ON_WRITE = True
    demo = build_northshire()
    mh = demo["partnerships"]["mh"]
    login(page, "leader@northshire.example", demo["login"]["password"])
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/register/place/")
        page_check(page, f"place-{width}")
        assert "At a glance" in page.locator("h2").all_inner_texts()
        assert page.get_by_text("Who sits in several partnerships").is_visible()
    card = page.locator(".app-place__item", has=page.get_by_role("link", name=mh.name, exact=True))
    card.locator(".app-place__facts a").first.click()
    page.wait_for_url(f"**/insight/partnerships/{mh.pk}/health/")
    page_check(page, "place-health-375")
