"""Negotiating and signing an agreement in real Chromium, with an axe-core scan of every page.

A representative proposes a change, another comments and objects, the proposal is revised, every
signatory signs, the new version is in force and the diff shows exactly the changed clause.
"""

from __future__ import annotations

from typing import Any

import pytest

from joinedup.agreements.choices import VersionStatus
from joinedup.agreements.models import AgreementVersion
from tests.agreements.helpers import make_place, proposed_version, sign_all
from tests.conftest import axe_check, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST_CHANGE = "Overspends are shared equally between the partners."
REVISED = "Overspends are shared in proportion to contributions, reviewed each quarter."


def assert_accessible(page: Any) -> None:
    violations = axe_check(page)
    assert not violations, f"axe found serious or critical problems on {page.url}:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in violations
    )


def switch_user(page: Any, email: str) -> None:
    page.context.clear_cookies()
    login(page, email)


def clause_section(page: Any, heading: str) -> Any:
    return page.locator("section.app-clause", has=page.get_by_role("heading", name=heading))


def test_propose_object_revise_sign_and_diff(page: Any) -> None:
    place = make_place(members=2)
    v1 = proposed_version(place, term="open_ended", review_interval_months=12)
    sign_all(place, v1)
    agreement = v1.agreement
    alice_org, bob_org = place.orgs
    alice, bob = place.signatories[alice_org.pk], place.signatories[bob_org.pk]

    # Alice, who represents (and signs for) the first partner, proposes a change to the risk share
    login(page, alice.email)
    page.goto(f"/agreements/partnerships/{place.partnership.pk}/")
    assert "In force" in page.locator("table").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name=agreement.title).click()
    assert "Version 1, in force since" in page.locator("#in-force").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Propose a change").click()
    page.wait_for_url("**/versions/2/edit/")
    assert_accessible(page)
    page.locator("#id_clauses-2-text").fill(FIRST_CHANGE)
    page.get_by_role("button", name="Save and propose").click()
    page.wait_for_url("**/versions/2/proposal/")
    assert page.get_by_role("heading", name="Proposed version 2").is_visible()
    assert_accessible(page)

    # Bob, for the second partner, comments on that clause and objects
    switch_user(page, bob.email)
    page.goto(f"/agreements/{agreement.pk}/versions/2/proposal/")
    risk = clause_section(page, "3. Risk share")
    risk.get_by_label("Comment on this clause").fill("Equal shares ignore the size of each budget.")
    risk.get_by_role("button", name="Add comment").click()
    page.wait_for_load_state()
    assert (
        "Equal shares ignore the size of each budget." in clause_section(page, "3. Risk share").inner_text()
    )
    page.get_by_label("Object").check()
    page.get_by_label("Reason").fill("Shares should follow contributions.")
    page.get_by_role("button", name="Record position").click()
    page.wait_for_url("**/proposal/#positions")
    assert "Shares should follow contributions." in page.locator("table").last.inner_text()
    assert_accessible(page)

    # Alice revises the proposal: version 2 is withdrawn and version 3 proposed
    switch_user(page, alice.email)
    page.goto(f"/agreements/{agreement.pk}/versions/2/proposal/")
    page.get_by_role("button", name="Revise this proposal").click()
    page.wait_for_url("**/versions/3/edit/")
    page.locator("#id_clauses-2-text").fill(REVISED)
    page.get_by_role("button", name="Save and propose").click()
    page.wait_for_url("**/versions/3/proposal/")

    # Every signatory signs; the last signature brings version 3 into force
    page.get_by_role("button", name="Sign this version").click()
    page.wait_for_url("**/versions/3/proposal/")
    assert bob_org.name in page.locator("#unsigned").inner_text()
    assert_accessible(page)
    switch_user(page, bob.email)
    page.goto(f"/agreements/{agreement.pk}/versions/3/proposal/")
    page.get_by_role("button", name="Sign this version").click()
    page.wait_for_url(f"**/agreements/{agreement.pk}/")
    assert "Version 3, in force since" in page.locator("#in-force").inner_text()
    assert "Every current member has signed." in page.locator("#unsigned").inner_text()
    assert REVISED in page.locator("#maincontent").inner_text()
    statuses = dict(AgreementVersion.objects.filter(agreement=agreement).values_list("number", "status"))
    assert statuses == {1: VersionStatus.SUPERSEDED, 2: VersionStatus.WITHDRAWN, 3: VersionStatus.IN_FORCE}

    # The diff from version 1 to 3 shows exactly the changed clause
    page.get_by_role("link", name="What changed in version 3").click()
    page.wait_for_url("**/diff/?to=3")
    page.get_by_label("From version").select_option("1")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url("**/diff/?from=1&to=3")
    changed = page.locator("section.app-clause--changed")
    assert changed.count() == 1
    assert page.locator("section.app-clause--added, section.app-clause--removed").count() == 0
    assert "Risk share" in changed.locator("h3").inner_text()
    assert changed.locator("ins").count() >= 1
    assert "1 clause changed, 2 unchanged" in page.locator("#maincontent").inner_text()
    assert_accessible(page)

    # printed, the page keeps the clauses and drops navigation and forms
    page.emulate_media(media="print")
    assert not page.locator(".nhsuk-header").is_visible()
    assert not page.get_by_role("button", name="Compare").is_visible()
    assert changed.is_visible()
    page.emulate_media(media="screen")

    # the coordinator records a review; the reviews page is accessible too
    switch_user(page, place.coordinator.email)
    page.goto(f"/agreements/{agreement.pk}/reviews/new/")
    assert_accessible(page)
    page.get_by_label("Continue as it is").check()
    page.get_by_role("button", name="Record review").click()
    page.wait_for_url(f"**/agreements/{agreement.pk}/")
    assert "Continue as it is" in page.locator("#maincontent").inner_text()
    page.goto("/agreements/reviews/")
    # version 3 came into force today with a 12-month interval: not due yet
    assert agreement.title not in page.locator("#maincontent").inner_text()
    assert_accessible(page)
