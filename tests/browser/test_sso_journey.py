"""Single sign-on in real Chromium against a real OpenID Connect provider (tests/sso_provider, its own process):
the authorisation-code flow with PKCE end to end - JoinedUp's login page, the provider's sign-in and consent
pages, back to JoinedUp signed in - and an invited person accepting a role through their organisation's sign-in.
axe at 1280 and 375 px on JoinedUp's pages (the provider's pages stand for someone else's site)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from joinedup.core.choices import RoleKind
from joinedup.register.invitations import TOKEN_PLACEHOLDER, invitation_send
from joinedup.register.models import PartnershipRole
from tests.conftest import grant
from tests.conftest import page_check as check
from tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    UserFactory,
)
from tests.sso_provider.fixtures import INVITED, KNOWN, STRANGER, at_the_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 375])
def test_a_person_signs_in_with_their_organisations_single_sign_on(
    page: Any, sso_live: Any, width: int, settings: Any
) -> None:
    provider = sso_live.provider.url
    UserFactory(email=KNOWN.email, full_name="Amira Haddad")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/accounts/login/")
    check(page, f"sso-login-{width}")
    page.get_by_role("link", name="Sign in with your organisation's single sign-on").click()
    at_the_provider(page, provider, KNOWN)
    page.wait_for_url(lambda url: not url.startswith(provider) and "/accounts/" not in url)
    assert KNOWN.email in page.locator("header").inner_text()  # signed in
    check(page, f"sso-home-{width}")

    # someone the provider knows but JoinedUp does not: a plain refusal, no account
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Sign in with your organisation's single sign-on").click()
    at_the_provider(page, provider, STRANGER)
    page.wait_for_url("**/accounts/sso/callback/**")
    main = page.locator("main").inner_text()
    assert f"There is no JoinedUp account for {STRANGER.email}" in main
    check(page, f"sso-refused-{width}")

    # a site that has turned passwords off: the login page offers single sign-on alone
    settings.PASSWORD_SIGN_IN = False
    page.get_by_role("link", name="Go to the sign-in page").click()
    assert page.locator("input[type=password]").count() == 0
    check(page, f"sso-only-login-{width}")


@pytest.mark.parametrize("width", [1280, 375])
def test_an_invited_person_accepts_a_role_through_single_sign_on(
    page: Any, sso_live: Any, width: int
) -> None:
    partnership = PartnershipFactory(name="Northshire Place Partnership")
    council = OrganisationFactory(name="Northshire County Council")
    MembershipFactory(partnership=partnership, organisation=council)
    AffiliationFactory(person=PersonFactory(name="Sam Okafor", email=INVITED.email), organisation=council)
    coordinator = UserFactory()
    grant(coordinator, partnership, "coordinator")
    invitation_send(
        by=coordinator,
        partnership=partnership,
        email=INVITED.email,
        name="Sam Okafor",
        role=RoleKind.REPRESENTATIVE,
        organisation=council,
        is_signatory=True,
        link=f"http://joinedup.example/register/invitation/{TOKEN_PLACEHOLDER}/",
    )
    link = re.search(r"/register/invitation/[\w-]+/", mail.outbox[-1].body)
    assert link is not None

    page.set_viewport_size({"width": width, "height": 900})
    page.goto(link.group(0))
    check(page, f"sso-invitation-{width}")
    page.get_by_role("link", name="Sign in with your organisation's single sign-on and accept").click()
    at_the_provider(page, sso_live.provider.url, INVITED)
    page.wait_for_url(f"**{partnership.get_absolute_url()}")
    assert "you are now partner representative" in page.locator("main").inner_text()
    check(page, f"sso-invitation-accepted-{width}")
    role = PartnershipRole.objects.get(user__email=INVITED.email, partnership=partnership)
    assert role.organisation == council and role.is_signatory
    assert not role.user.has_usable_password()  # the account signs in through the organisation only
