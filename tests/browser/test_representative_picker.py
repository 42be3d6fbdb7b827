"""A coordinator adds the borough council to a partnership and finds its representative by typing part of her
name: choosing the organisation lists its people, typing narrows them, without a page load. Real Chromium, axe
at 1280 and 375 px."""

from __future__ import annotations

from typing import Any

import pytest

from joinedup.register.models import Membership
from tests.conftest import grant, login
from tests.conftest import page_check as check
from tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 375])
def test_typing_in_the_search_finds_the_councils_people(page: Any, width: int) -> None:
    partnership = PartnershipFactory(name="Kingsford Health and Care")
    council = OrganisationFactory(name="Kingsford Borough Council")
    practice = OrganisationFactory(name="Riverside Surgery")
    for name in ("Amira Haddad", "Ben Okafor", "Chloe Amis", "Dan Brook"):
        AffiliationFactory(organisation=council, person=PersonFactory(name=name))
    AffiliationFactory(organisation=practice, person=PersonFactory(name="Dr Amir Patel"))
    coordinator = UserFactory()
    grant(coordinator, partnership, "coordinator")
    page.set_viewport_size({"width": width, "height": 900})
    login(page, coordinator.email)

    page.goto(f"/register/partnerships/{partnership.pk}/members/add/")
    picker = page.locator("#representatives-picker")
    assert "Choose the organisation first" in picker.inner_text()
    page.get_by_label("Organisation", exact=True).select_option(label="Kingsford Borough Council")
    page.get_by_role("checkbox", name="Dan Brook").wait_for()
    assert picker.get_by_role("checkbox").count() == 4  # the council's people, not the surgery's doctor
    check(page, f"picker-{width}")

    url_before = page.url
    page.get_by_label("Search Kingsford Borough Council's people by name or job title").press_sequentially(
        "ami", delay=50
    )
    page.get_by_role("checkbox", name="Ben Okafor").wait_for(state="detached")
    names = sorted(picker.get_by_role("checkbox").evaluate_all("els => els.map(e => e.labels[0].innerText)"))
    assert names == ["Amira Haddad", "Chloe Amis"]  # not Dr Amir Patel, who works elsewhere
    assert page.url == url_before  # searched in place, no page load
    page.get_by_role("checkbox", name="Amira Haddad").check()
    check(page, f"picker-search-{width}")

    page.get_by_role("button", name="Add member").click()
    page.wait_for_url(f"**/register/partnerships/{partnership.pk}/#members")
    assert "Kingsford Borough Council added" in page.locator("main").inner_text()
    membership = Membership.objects.get(partnership=partnership, organisation=council)
    assert [p.name for p in membership.representatives.all()] == ["Amira Haddad"]
