"""Two-step sign-in (accounts/two_step.py) as a person and an attacker would meet it. Codes are made by a TOTP
written here from RFC 6238 (checked against the RFC's own test vector), not by django-otp's code under test."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import struct
import subprocess
import sys
import time
from typing import Any

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import grant
from tests.factories import PASSWORD, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_slowing_down(settings: Any) -> None:
    """django-otp waits 1 s after a wrong code, then 2, 4 ...; the tests give wrong codes on purpose, so only the
    test of that waiting keeps it."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def totp(key: bytes, at: float | None = None, digits: int = 6, step: int = 30) -> str:
    """RFC 6238 with HMAC-SHA1 (RFC 4226's dynamic truncation)."""
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def test_the_reference_totp_matches_rfc_6238() -> None:
    # RFC 6238, Appendix B: SHA1, secret "12345678901234567890"
    assert totp(b"12345678901234567890", at=59, digits=8) == "94287082"
    assert totp(b"12345678901234567890", at=1111111109, digits=8) == "07081804"


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def turn_on(user: Any) -> TOTPDevice:
    client = signed_in(user)
    page = client.get("/accounts/two-step/")
    assert page.status_code == 200 and b"<svg" in page.content and b"Turn two-step sign-in on" in page.content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    key = page.context["key"].replace(" ", "")
    assert base64.b32decode(key + "=" * (-len(key) % 8)) == device.bin_key  # the typed key is the QR's key
    wrong = client.post(
        "/accounts/two-step/", {"code": "000000" if totp(device.bin_key) != "000000" else "111111"}
    )
    assert b"That code is not right" in wrong.content
    done = client.post("/accounts/two-step/", {"code": totp(device.bin_key)})
    assert done.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_the_qr_code_names_joinedup_and_the_person(user: Any) -> None:
    signed_in(user).get("/accounts/two-step/")
    device = TOTPDevice.objects.get(user=user)
    assert device.config_url.startswith("otpauth://totp/JoinedUp%3A") or device.config_url.startswith(
        "otpauth://totp/JoinedUp:"
    )
    assert "issuer=JoinedUp" in device.config_url


def login(client: Client, user: Any, next_url: str = "") -> Any:
    data = {"username": user.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/accounts/login/", data)


def test_with_it_on_the_password_alone_does_not_sign_in(user: Any) -> None:
    device = turn_on(user)
    client = Client()
    first = login(client, user, next_url="/register/account/")
    assert first.status_code == 302 and first["Location"] == "/accounts/login/code/"
    assert client.get("/").status_code == 302  # not signed in yet: home sends to the login page
    assert "_auth_user_id" not in client.session
    bad = client.post("/accounts/login/code/", {"code": "12345x"})
    assert b"6 digits" in bad.content
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # a fresh device, as if the setup code were old
    done = client.post("/accounts/login/code/", {"code": totp(device.bin_key)})
    assert done.status_code == 302 and done["Location"] == "/register/account/"
    assert client.get("/register/account/").status_code == 200


def test_a_used_code_cannot_sign_in_again(user: Any) -> None:
    device = turn_on(user)  # the setup used the current code
    client = Client()
    login(client, user)
    again = client.post("/accounts/login/code/", {"code": totp(device.bin_key)})
    assert again.status_code == 200 and b"not right" in again.content


def test_wrong_codes_are_slowed_down(user: Any, settings: Any) -> None:
    device = turn_on(user)
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    client = Client()
    login(client, user)
    right = totp(device.bin_key, at=time.time() + 30)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(3):
        client.post("/accounts/login/code/", {"code": wrong})
    slowed = client.post("/accounts/login/code/", {"code": right})
    assert b"Too many wrong codes" in slowed.content
    assert "_auth_user_id" not in client.session


def test_the_code_page_without_a_password_first_goes_back_to_login() -> None:
    assert Client().get("/accounts/login/code/")["Location"] == "/accounts/login/"


def test_an_unsafe_next_is_not_followed(user: Any) -> None:
    device = turn_on(user)
    client = Client()
    login(client, user, next_url="https://evil.example/")
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    done = client.post("/accounts/login/code/", {"code": totp(device.bin_key)})
    assert done.status_code == 302 and "evil" not in done["Location"]


def test_turning_it_off_needs_a_code(user: Any) -> None:
    device = turn_on(user)
    client = signed_in(user)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    refused = client.post("/accounts/two-step/", {"action": "off", "code": "000000"})
    assert TOTPDevice.objects.filter(user=user).exists() and refused.status_code == 200
    client.post("/accounts/two-step/", {"action": "off", "code": totp(device.bin_key)})
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_a_site_can_require_it_for_coordinators(settings: Any) -> None:
    settings.TWO_STEP_REQUIRED = ["coordinators"]
    partnership = PartnershipFactory()
    coordinator, member = UserFactory(), UserFactory()
    grant(coordinator, partnership, "coordinator")
    grant(member, partnership, "member")
    assert signed_in(member).get("/register/account/").status_code == 200
    client = signed_in(coordinator)
    sent = client.get(f"/register/partnerships/{partnership.pk}/")
    assert sent.status_code == 302 and sent["Location"] == "/accounts/two-step/"
    page = client.get("/accounts/two-step/")
    assert b"asks people in your role" in page.content
    device = TOTPDevice.objects.get(user=coordinator)
    client.post("/accounts/two-step/", {"code": totp(device.bin_key)})
    assert (
        client.get(f"/register/partnerships/{partnership.pk}/").status_code == 200
    )  # verified in this session
    again = signed_in(coordinator)  # a new session by password only (force_login skips the second step)
    assert again.get(f"/register/partnerships/{partnership.pk}/").status_code == 302
    off = client.post(
        "/accounts/two-step/", {"action": "off", "code": totp(device.bin_key, at=time.time() + 30)}
    )
    assert b"cannot be turned off" in off.content


def test_signatories_and_single_sign_on(settings: Any) -> None:
    from tests.factories import OrganisationFactory

    settings.TWO_STEP_REQUIRED = ["signatories"]
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "joinedup.accounts.sso.SsoBackend"]
    partnership = PartnershipFactory()
    signatory = UserFactory()
    grant(signatory, partnership, "representative", organisation=OrganisationFactory(), is_signatory=True)
    assert signed_in(signatory).get("/register/account/").status_code == 302
    sso = signed_in(signatory)
    session = sso.session
    session[BACKEND_SESSION_KEY] = "joinedup.accounts.sso.SsoBackend"  # the organisation's provider did it
    session.save()
    assert sso.get("/register/account/").status_code == 200


def test_the_setting_refuses_an_unknown_role() -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"JOINEDUP_DEMO"}}
    env.update(DEBUG="true", TWO_STEP_REQUIRED="coordinators,everyone")
    result = subprocess.run(
        [sys.executable, "-c", "import joinedup.settings"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and "not everyone" in result.stderr
