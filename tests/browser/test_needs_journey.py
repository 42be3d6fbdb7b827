"""A signatory's home says what waits for them and takes them there, in real Chromium, axe at 1280 and 375 px."""

from __future__ import annotations

import datetime
import os
from typing import Any

import pytest
from django.utils import timezone

from joinedup.agreements import services as agreement_services
from joinedup.agreements.models import AgreementVersion
from tests.agreements.helpers import make_place, proposed_version, sign_all
from tests.conftest import axe_check, grant, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("JOINEDUP_SCREENSHOTS", "")


@pytest.mark.parametrize("width", [1280, 375])
def test_a_signatory_goes_from_home_to_the_proposal_to_sign(page: Any, width: int) -> None:
    place = make_place(members=2)
    org = place.orgs[0]
    signatory = place.signatories[org.pk]
    reviewed = proposed_version(place, review_interval_months=12)
    sign_all(place, reviewed)
    AgreementVersion.objects.filter(pk=reviewed.pk).update(
        in_force_at=timezone.now() - datetime.timedelta(days=400)
    )
    grant(signatory, place.partnership, "coordinator")  # also coordinates: a review is due too
    version = proposed_version(place, agreement=reviewed.agreement)
    agreement_services.position_record(
        by=place.reps[place.orgs[1].pk],
        version=version,
        organisation=place.orgs[1],
        position="object",
        reason="The hosting costs are not shared fairly",
    )
    page.set_viewport_size({"width": width, "height": 900})
    login(page, signatory.email)
    page.goto("/")
    main = page.locator("main").inner_text()
    assert "What needs you" in main and "Overdue" in main and "Answer 1 objection" in main
    assert main.index("Review Memorandum") < main.index("Sign Memorandum")
    violations = axe_check(page)
    assert not violations, violations
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/home-{width}.png", full_page=True)
    page.get_by_role("link", name=f"Sign Memorandum (version {version.number})").click()
    page.wait_for_url(f"**/agreements/{version.agreement_id}/versions/{version.number}/**")
    assert "Sign this version" in page.locator("main").inner_text()


@pytest.mark.parametrize("width", [1280, 375])
def test_the_glossary_reads_at_any_width(page: Any, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/glossary/")
    page.get_by_role("link", name="What the figures mean").wait_for()
    assert "Agreement (rwg)" in page.locator("main").inner_text()
    violations = axe_check(page)
    assert not violations, violations
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/glossary-{width}.png", full_page=True)
