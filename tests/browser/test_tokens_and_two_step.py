"""A person makes an API token and uses it, then revokes it; and turns two-step sign-in on and signs in with it.
Real Chromium at 1280 and 375 px; axe finds nothing serious or critical on any page."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.test_two_step import totp  # RFC 6238, checked there against the RFC's vectors
from tests.conftest import grant, login
from tests.conftest import page_check as check
from tests.factories import PASSWORD, PartnershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 375])
def test_a_token_is_made_shown_once_used_and_revoked(page: Any, width: int, live_server: Any) -> None:
    user = UserFactory()
    grant(user, PartnershipFactory(name="Riverside Partnership"), "coordinator")
    grant(user, PartnershipFactory(name="Hillside Partnership"), "member")
    page.set_viewport_size({"width": width, "height": 900})
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    login(page, user.email)
    page.goto("/register/account/")
    page.get_by_role("link", name="your API tokens").click()
    check(page, f"tokens-empty-{width}")
    page.get_by_role("button", name="Make the token").click()  # nothing filled in
    assert (
        page.locator(".nhsuk-error-message").filter(has_text="Choose at least one partnership").is_visible()
    )
    check(page, f"tokens-errors-{width}")
    page.get_by_label("What will use this token?").fill("Dashboard")
    page.get_by_label("Riverside Partnership").check()
    page.get_by_label("Read only").check()
    page.get_by_role("button", name="Make the token").click()
    token = page.get_by_label("Token", exact=True).input_value()
    assert token.startswith("jup_")
    page.get_by_role("button", name="Copy the token").click()
    assert page.evaluate("navigator.clipboard.readText()") == token
    check(page, f"tokens-made-{width}")
    answer = page.request.get(
        f"{live_server.url}/api/v1/partnerships", headers={"Authorization": f"Bearer {token}"}
    )
    assert [p["name"] for p in answer.json()["items"]] == ["Riverside Partnership"]
    page.goto("/register/account/tokens/")
    assert token not in page.content()  # shown once only
    row = page.get_by_role("row", name="Dashboard")
    assert "read only" in row.inner_text()
    row.get_by_role("button", name="Revoke").click()
    assert page.get_by_text("no longer works").is_visible()
    check(page, f"tokens-revoked-{width}")
    refused = page.request.get(
        f"{live_server.url}/api/v1/partnerships", headers={"Authorization": f"Bearer {token}"}
    )
    assert refused.status == 401


@pytest.mark.parametrize("width", [1280, 375])
def test_two_step_sign_in_is_turned_on_and_used(page: Any, width: int) -> None:
    user = UserFactory()
    page.set_viewport_size({"width": width, "height": 900})
    login(page, user.email)
    page.goto("/register/account/")
    page.get_by_role("link", name="Two-step sign-in").click()
    assert page.locator(".app-qr svg").is_visible()
    check(page, f"two-step-setup-{width}")
    device = TOTPDevice.objects.get(user=user)
    page.get_by_label("The 6-digit code from your authenticator app").fill(totp(device.bin_key))
    page.get_by_role("button", name="Turn two-step sign-in on").click()
    assert page.get_by_text("Two-step sign-in is on").is_visible()
    page.get_by_role("button", name="Log out").click()
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/accounts/login/code/")
    check(page, f"two-step-code-{width}")
    TOTPDevice.objects.filter(pk=device.pk).update(
        last_t=-1
    )  # the code used to turn it on may still be current
    page.get_by_label("The 6-digit code from your authenticator app").fill(totp(device.bin_key))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)
    assert "/accounts/" not in page.url
