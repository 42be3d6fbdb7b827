"""A representative answers the relationship survey by link; the coordinator sees the map, the metrics and the
change between two surveys. Every page is scanned with axe-core (no serious or critical problems)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from joinedup.networks import services
from joinedup.surveys import services as survey_services
from tests.browser.test_journey import assert_accessible
from tests.conftest import grant, login
from tests.factories import OrganisationFactory, UserFactory
from tests.networks.helpers import invite, relationship_wave

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWERS = services.TieAnswers(
    frequency=3,
    exchanges=["information"],
    level=2,
    trust_reliability=3,
    trust_mission=3,
    trust_openness=3,
    value_power=2,
    value_involvement=2,
    value_resources=2,
)


def answered_by_services(wave: Any, source: Any, targets: list[Any]) -> None:
    token = invite(wave, source)
    target = survey_services.link_resolve(token)
    assert target is not None
    response, _ = survey_services.response_start(wave=wave, invitation=target.invitation, token=token)
    services.ties_choose(response=response, organisations=targets)
    for organisation in targets:
        services.tie_rate(response=response, organisation=organisation, answers=ANSWERS)
    services.relationship_submit(response=response)


def test_relationship_survey_journey(page: Any) -> None:
    first, (nhs, council, charity, _) = relationship_wave(title="Relationships 2025")
    answered_by_services(first, nhs, [council])
    answered_by_services(first, council, [nhs])
    second, _ = relationship_wave(title="Relationships 2026", partnership=first.partnership)
    answered_by_services(second, nhs, [council, charity])
    answered_by_services(second, council, [nhs])
    token = invite(second, charity)
    foodbank = OrganisationFactory(name="Kingsford Foodbank", sector="voluntary")  # not a member
    coordinator = UserFactory()
    grant(coordinator, first.partnership, "coordinator")

    # the charity's representative answers by link, on a phone-sized screen
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/s/{token}/")
    page.get_by_role("heading", name=f"Which organisations does {charity.name} work with?").wait_for()
    assert_accessible(page)
    page.get_by_label(nhs.name).check()
    # organisations outside the partnership are found by typing part of the name (results arrive by htmx)
    page.get_by_label("Find another organisation you work with").fill("foodbank")
    page.get_by_label(foodbank.name).check()
    assert_accessible(page)
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("heading", name=re.compile(f"Working with {foodbank.name}")).wait_for()
    assert_accessible(page)
    # a question left out is shown as an error
    page.get_by_role("button", name="Save and continue").click()
    page.locator(".nhsuk-error-summary").wait_for()
    assert_accessible(page)
    for org in (foodbank, nhs):
        page.get_by_role("heading", name=re.compile(f"Working with {org.name}")).wait_for()
        page.get_by_label("About once a month").check()
        page.get_by_label("We refer people to each other").check()
        page.get_by_label("Coordination – we plan our separate work so that it fits together").check()
        for group in page.locator("fieldset").filter(has=page.locator(".nhsuk-radios--inline")).all():
            group.get_by_label("Mostly").check()
        page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("heading", name="Check your answers before sending them").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Send your answers").click()
    page.get_by_role("heading", name="Your answers have been sent").wait_for()
    assert_accessible(page)

    # the coordinator sees the metrics and the map
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, coordinator.email)
    page.goto(f"/networks/partnerships/{first.partnership_id}/")
    assert_accessible(page)
    page.get_by_role("link", name="Relationships 2026").click()
    page.wait_for_selector(".app-chart[data-vega-ready] svg", timeout=10_000)
    assert page.locator(".app-chart svg .mark-symbol.role-mark path").count() == 5
    assert "3 of the 4 organisations asked to answer did so" in page.inner_text("main")
    assert_accessible(page)
    page.get_by_label("Kind of exchange").select_option(label="Referrals")
    page.get_by_role("button", name="Show network").click()
    page.wait_for_selector(".app-chart[data-vega-ready] svg", timeout=10_000)
    assert "2 answers about a tie match these filters" in page.inner_text("main")

    # and the change between the two surveys
    page.goto(f"/networks/partnerships/{first.partnership_id}/compare/")
    main = page.inner_text("main")
    assert f"{nhs.name} now names {charity.name}" in main
    assert_accessible(page)
