"""An assessment wave end to end in real Chromium: the coordinator invites, a respondent answers by the
invitation link (without signing in), and the coordinator sees the results, a breakdown and the gaps.
Every page is scanned with axe-core (no serious or critical problems) and checked for CSP violations.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from joinedup.assessments.services import responses_import
from joinedup.surveys import services as survey_services
from tests.assessments.helpers import add_answers, make_wave, partnership_with_members
from tests.browser.test_journey import (
    assert_accessible,
    assert_chart_drawn,
    assert_no_csp_violations,
    watch_csp,
)
from tests.conftest import grant, login
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def wave_setup(db: None) -> dict[str, Any]:
    partnership, orgs = partnership_with_members(name="Northshire Mental Health Partnership")
    coordinator = UserFactory(email="coordinator@example.org")
    grant(coordinator, partnership, "coordinator")
    wave = make_wave(partnership, by=coordinator, min_group_size=3)
    survey_services.wave_open(by=coordinator, wave=wave)
    # Answers already in: the trust's staff see the partnership far more kindly than the charity's.
    add_answers(wave, orgs["trust"], 8, level=4, seed=1, profession="mental_health_nurse")
    add_answers(
        wave, orgs["charity"], 6, level=2, seed=2, profession="peer_worker", comment="We are told, not asked."
    )
    # results are released in batches of at least k = 3 new answers: the lone housing officer's answer waits
    # for the council's four, and the last release has all 19
    homes = OrganisationFactory(name="Northshire Homes", sector="housing")
    MembershipFactory(partnership=partnership, organisation=homes)
    add_answers(wave, homes, 1, level=3, seed=4, profession="housing_officer")
    add_answers(wave, orgs["council"], 4, level=3, seed=3, profession="social_worker")
    return {"partnership": partnership, "orgs": orgs, "coordinator": coordinator, "wave": wave}


@override_settings(RESULTS_RELEASE_INTERVAL_HOURS=0)
def test_respondent_answers_by_invitation_and_coordinator_sees_results(
    page: Any, wave_setup: dict[str, Any]
) -> None:
    csp = watch_csp(page)
    wave = wave_setup["wave"]
    login(page, wave_setup["coordinator"].email)

    # the partnership's surveys, the wave, and the invitation form
    page.goto(f"/surveys/partnerships/{wave_setup['partnership'].pk}/waves/")
    assert_accessible(page)
    page.get_by_role("link", name="Start a new wave").click()
    page.get_by_role("button", name="Create wave").click()  # empty: every problem listed, accessibly
    page.wait_for_selector(".nhsuk-error-summary")
    assert_accessible(page)
    page.go_back()
    page.go_back()
    page.get_by_role("link", name=wave.title).click()
    page.wait_for_selector("h1")
    assert_accessible(page)
    page.get_by_role("link", name="Invite people").click()
    page.get_by_label("E-mail addresses").fill("sam@example.org\nnot an address")
    page.get_by_role("button", name="Send invitations").click()
    page.wait_for_selector(".nhsuk-error-summary")
    assert "Line 2" in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("E-mail addresses").fill("sam@example.org")
    page.get_by_role("button", name="Send invitations").click()
    page.wait_for_selector("text=1 invitation is being sent")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/s/[\w-]+/)", mail.outbox[0].body)
    assert link is not None
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/**")

    # the respondent, with no account, on a phone: about you, every section, check, send
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(link.group(1))
    assert page.locator("h1").inner_text() == "About you"
    assert_accessible(page)
    page.get_by_label("Which organisation do you work for or represent?").select_option(
        label="County Council"
    )
    page.get_by_label("What is your profession or role?").select_option(label="Social worker")
    page.get_by_role("button", name="Continue").click()
    sections = wave.instrument["dimensions"]
    for number, dimension in enumerate(sections):
        page.wait_for_selector(f"h1:text-is('{dimension['title']}')")
        groups = page.locator("fieldset")
        for i in range(groups.count()):
            groups.nth(i).get_by_label("Agree", exact=True).check()
        if number == 0:
            assert page.evaluate("document.documentElement.scrollWidth") <= 320  # nothing off the side
            page.get_by_label("Anything you would like to add about this? (optional)").fill("Meetings help.")
            assert_accessible(page)
        page.get_by_role("button", name="Save and continue").click()
    page.wait_for_selector("h1:text-is('Check your answers before sending them')")
    assert "Meetings help." in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_selector("text=Your answers have been sent")
    assert_accessible(page)
    assert_no_csp_violations(page, csp)

    page.set_viewport_size({"width": 1280, "height": 800})

    # the coordinator sees the last release: the 19 answers before this one (one more answer is fewer than the
    # wave's k = 3, so it waits for the next release), the breakdown with its small groups hidden, the gaps
    login(page, wave_setup["coordinator"].email)
    page.goto(f"/assessments/waves/{wave.pk}/results/")
    assert "19 people sent answers" in page.locator(".nhsuk-lede-text").inner_text()
    assert "Results update when 2 more people have answered" in page.locator("main").inner_text()
    breakdown = page.locator("table.app-breakdown")
    assert breakdown.locator("tbody tr").count() == 4
    hidden = breakdown.locator("tr:has(td.app-suppressed) th").all_inner_texts()
    # the housing association's lone respondent, and the next smallest group (the council's 5) with it
    assert sorted(hidden) == ["County Council", "Northshire Homes"]
    assert "fewer than 3 responses – hidden" in breakdown.inner_text()
    assert (
        "Mind Northshire (6)" in breakdown.inner_text() and "Northshire Trust (8)" in breakdown.inner_text()
    )
    gaps_text = page.locator(".app-gaps").inner_text()
    assert "Northshire Trust scored" in gaps_text and "higher than Mind Northshire" in gaps_text
    assert "We are told, not asked." in page.locator("main").inner_text()
    assert_chart_drawn(page)
    assert_accessible(page)

    page.get_by_label("Break down by").select_option(label="Profession")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**by=profession**")
    assert page.locator("table.app-breakdown tbody tr").count() == 4
    gaps_text = page.locator(".app-gaps").inner_text()
    assert "Mental health nurse scored" in gaps_text and "higher than Peer support worker" in gaps_text
    assert_chart_drawn(page)
    assert_accessible(page)
    assert_no_csp_violations(page, csp)


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}, RESULTS_RELEASE_INTERVAL_HOURS=0
)
def test_results_page_follows_an_update_running_in_the_background(
    page: Any, wave_setup: dict[str, Any]
) -> None:
    """New answers are scored by the worker while the coordinator watches; htmx polls the progress."""
    csp = watch_csp(page)
    wave, trust = wave_setup["wave"], wave_setup["orgs"]["trust"]
    keys = [item["key"] for d in wave.instrument["dimensions"] for item in d["items"]]
    row = {"answers": dict.fromkeys(keys, 5), "organisation": trust}
    responses_import(by=None, wave=wave, rows=[row] * 5, source="paper forms")  # queued; no worker yet

    login(page, "coordinator@example.org")
    page.goto(f"/assessments/waves/{wave.pk}/results/")
    assert "19 people sent answers" in page.locator(".nhsuk-lede-text").inner_text()
    assert page.get_by_text("They are being added now.").is_visible()
    assert page.locator("progress").is_visible()
    assert_accessible(page)

    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--verbosity", "0")
    see = page.get_by_role("link", name=re.compile("See the results"))
    see.wait_for(timeout=10_000)  # the page polls every 2 s
    assert page.locator("progress").count() == 0
    see.click()
    assert "24 people sent answers" in page.locator(".nhsuk-lede-text").inner_text()
    assert not page.get_by_text("They are being added now.").is_visible()
    assert_no_csp_violations(page, csp)
