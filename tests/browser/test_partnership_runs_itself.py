"""Issue 12's "done when": a partnership gets going with no admin page and no database shortcut.

A coordinator creates a partnership, adds three members, invites a signatory for each from People and roles;
each opens the invitation in the demo mailbox and accepts (two with a password, one through their organisation's
single sign-on: the test OpenID Connect provider, tests/sso_provider); the coordinator proposes terms of reference; each
signatory finds it on their home page and signs; the last signature brings it into force and the page says so.
Real Chromium; axe finds nothing serious or critical on any page, at 1280 and at 375 px.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from tests.conftest import grant, login
from tests.conftest import page_check as check
from tests.factories import OrganisationFactory, PartnershipFactory, UserFactory
from tests.sso_provider.fixtures import EASTFIELD_CARERS, at_the_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARTNERSHIP = "Eastfield Health and Care Partnership"
MEMBERS = {
    "Eastfield Borough Council": ("Dana Okafor", "dana.okafor@eastfield-council.example"),
    "Eastfield Community NHS Trust": ("Tom Reyes", "tom.reyes@eastfield-trust.example"),
    "Eastfield Carers Network": ("Priya Shah", "priya.shah@eastfield-carers.example"),
}
PASSWORD = "lantern-meadow-copper-27"
AIMS = "People in Eastfield get joined-up care close to home, planned with them."


@pytest.mark.parametrize("width", [1280, 375])
def test_a_partnership_gets_its_first_agreement_in_force_without_an_admin(
    page: Any, width: int, tmp_path: Any, sso_live: Any
) -> None:
    demo_mail = override_settings(
        DEMO=True,
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_path),
    )
    with demo_mail:  # as in the demo: e-mails go to files, read in the demo mailbox
        journey(page, width, sso_live.provider.url)


def journey(page: Any, width: int, provider: str) -> None:
    for name in MEMBERS:
        OrganisationFactory(name=name)
    coordinator = UserFactory(first_name="Sam", last_name="Coordinator")
    grant(coordinator, PartnershipFactory(name="Eastfield Ageing Well"), "coordinator")
    page.set_viewport_size({"width": width, "height": 900})
    login(page, coordinator.email)

    partnership_url = create_partnership(page, width)
    for organisation in MEMBERS:
        add_member(page, partnership_url, organisation)
    check(page, f"done-members-{width}")
    for organisation, (name, email) in MEMBERS.items():
        invite(page, partnership_url, organisation, name, email, width)

    for _name, email in MEMBERS.values():
        accept(page, email, width, provider)

    page.context.clear_cookies()
    login(page, coordinator.email)
    propose_terms_of_reference(page, partnership_url, width)

    last = list(MEMBERS)[-1]
    for organisation, (_name, email) in MEMBERS.items():  # each signatory, from their home page
        page.context.clear_cookies()
        if email == EASTFIELD_CARERS.email:  # no password: through their organisation's sign-in
            page.goto("/accounts/login/")
            page.get_by_role("link", name="Sign in with your organisation's single sign-on").click()
            at_the_provider(page, provider, EASTFIELD_CARERS)
            page.wait_for_url(lambda url: not url.startswith(provider) and "/accounts/" not in url)
        else:
            login(page, email, PASSWORD)
        home = page.locator("main").inner_text()
        assert "What needs you" in home and "Sign Terms of reference (version 1)" in home, home
        assert f"{organisation} has not signed it yet" in home
        check(page, f"done-home-{width}")
        page.get_by_role("link", name="Sign Terms of reference (version 1)").click()
        page.wait_for_url("**/versions/1/proposal/**")
        assert AIMS in page.locator("main").inner_text()
        check(page, f"done-sign-{width}")
        page.get_by_role("button", name="Sign this version").click()
        page.wait_for_load_state()
        message = page.locator("main").inner_text()
        if organisation == last:
            assert "Every member has signed: version 1 is now in force." in message, message
            signatures = page.locator("#signatures + .app-table-scroll table").inner_text()
            assert all(name in signatures for name, _email in MEMBERS.values()), signatures
            check(page, f"done-in-force-{width}")
        else:
            assert "now in force" not in message


def create_partnership(page: Any, width: int) -> str:
    page.goto("/register/partnerships/new/")
    check(page, f"done-create-{width}")
    page.get_by_label("Name").fill(PARTNERSHIP)
    page.get_by_label("Kind of partnership").select_option(index=1)
    page.get_by_label("Started").fill("2026-11-02")
    page.get_by_role("button", name="Create partnership").click()
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == PARTNERSHIP, page.locator("main").inner_text()
    assert "You are its coordinator" in page.locator("main").inner_text()
    return page.url


def add_member(page: Any, partnership_url: str, organisation: str) -> None:
    page.goto(partnership_url + "members/add/")
    page.get_by_label("Organisation", exact=True).select_option(label=organisation)
    page.get_by_role("button", name="Add member").click()
    page.wait_for_url(partnership_url + "#members")
    assert organisation in page.locator("main").inner_text()


def invite(page: Any, partnership_url: str, organisation: str, name: str, email: str, width: int) -> None:
    page.goto(partnership_url)
    page.get_by_role("link", name="People and roles").click()
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Their name").fill(name)
    page.get_by_label("Role").select_option(label="Partner representative")
    page.get_by_label("Organisation they represent").select_option(label=organisation)
    page.get_by_label("May sign agreements for this organisation").check()
    page.get_by_label("Record that they work for this organisation").check()
    page.get_by_role("button", name="Send invitation").click()
    assert f"Invitation sent to {email}" in page.locator("main").inner_text()
    check(page, f"done-invited-{width}")


def accept(page: Any, email: str, width: int, provider: str) -> None:
    page.context.clear_cookies()
    page.goto("/demo/mail/")
    page.locator("tr", has_text=email).get_by_role("link").first.click()
    check(page, f"done-mail-{width}")
    page.locator("main a[href*='/register/invitation/']").click()
    if email == EASTFIELD_CARERS.email:
        check(page, f"done-accept-sso-{width}")
        page.get_by_role("link", name="Sign in with your organisation's single sign-on and accept").click()
        at_the_provider(page, provider, EASTFIELD_CARERS)
        page.wait_for_url(lambda url: not url.startswith(provider) and "/register/invitation/" not in url)
    else:
        page.get_by_label("Choose a password").fill(PASSWORD)
        page.get_by_label("The same password again").fill(PASSWORD)
        page.get_by_role("button", name="Make my account and accept").click()
    page.wait_for_selector("h1")
    assert "you are now partner representative" in page.locator("main").inner_text()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/**")


def propose_terms_of_reference(page: Any, partnership_url: str, width: int) -> None:
    page.goto(partnership_url)
    page.locator("main a[href*='/agreements/partnerships/']").first.click()
    page.locator("main a[href$='/new/']").first.click()
    page.get_by_label("Title").fill("Terms of reference")
    page.get_by_label("Kind of agreement").select_option(label="Terms of reference")
    page.get_by_role("button", name="Create agreement").click()
    page.wait_for_url("**/versions/1/edit/")
    check(page, f"done-draft-{width}")
    page.locator("#id_clauses-0-kind").select_option(label="Aims and outcomes")
    page.locator("#id_clauses-0-text").fill(AIMS)
    page.get_by_role("button", name="Save and propose").click()
    page.wait_for_url("**/versions/1/proposal/**")
    assert page.get_by_role("heading", name="Proposed version 1").is_visible()
    check(page, f"done-proposed-{width}")
