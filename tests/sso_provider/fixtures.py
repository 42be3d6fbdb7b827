"""Fixtures for single sign-on tests: the test OpenID Connect provider, started once per test session in its own
process (tests/sso_provider/server.py), and JoinedUp's settings pointed at it through its discovery document.

    def test_something(sso, client): ...              # SSO on for this test; `sso.provider` is the running one
    sign_in_at_provider(authorize_url, KNOWN)         # a person signs in and consents there (plain HTTP)
    def test_journey(page, sso_live): ...             # the same for a browser test (the live server's callback)
    at_the_provider(page, sso_live.provider.url, KNOWN)   # ...and the person's part there, in Chromium

The provider's people are USERS below (add one there for a new journey): it knows them from the start.
"""

from __future__ import annotations

import html
import importlib.util
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import requests

REPO = Path(__file__).resolve().parents[2]
CLIENT_ID = "joinedup-test"
CLIENT_SECRET = "joinedup-test-secret"
TEST_CLIENT_CALLBACK = "http://testserver/accounts/sso/callback/"  # Django's test client


@dataclass(frozen=True)
class ProviderUser:
    email: str
    password: str
    name: str
    verified: bool = True

    def spec(self) -> str:
        return f"{self.email}:{self.password}:{self.name}" + ("" if self.verified else ":unverified")


# The provider's people (its own accounts, as at an NHS trust's or a council's sign-in service)
KNOWN = ProviderUser("amira.haddad@kingsford.example", "provider-pass-1", "Amira Haddad")
INVITED = ProviderUser("sam.okafor@northshire-council.example", "provider-pass-2", "Sam Okafor")
STRANGER = ProviderUser("lee.marsh@kingsford.example", "provider-pass-3", "Lee Marsh")
UNVERIFIED = ProviderUser("pat.quinn@kingsford.example", "provider-pass-4", "Pat Quinn", verified=False)
# issue 12's "done when" journey (tests/browser/test_partnership_runs_itself.py): one signatory accepts through it
EASTFIELD_CARERS = ProviderUser("priya.shah@eastfield-carers.example", "provider-pass-5", "Priya Shah")
USERS = (KNOWN, INVITED, STRANGER, UNVERIFIED, EASTFIELD_CARERS)


@dataclass
class Provider:
    url: str
    db: Path
    redirect_uris: set[str] = field(default_factory=set)

    @property
    def discovery_url(self) -> str:
        return f"{self.url}/openid/.well-known/openid-configuration"

    def allow_redirect_uri(self, uri: str) -> None:
        """Register another redirect URI for JoinedUp's client (the live server's, once its port is known)."""
        if uri in self.redirect_uris:
            return
        subprocess.run(
            [sys.executable, "-m", "django", "provider_setup", *_client_args(), "--redirect-uri", uri],
            cwd=REPO,
            env=_env(self.db),
            check=True,
            capture_output=True,
            timeout=120,
        )
        self.redirect_uris.add(uri)


def _client_args() -> list[str]:
    return ["--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET]


def _env(db: Path) -> dict[str, str]:
    return {**os.environ, "SSO_PROVIDER_DB": str(db), "DJANGO_SETTINGS_MODULE": "tests.sso_provider.settings"}


@pytest.fixture(scope="session")
def sso_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    if importlib.util.find_spec("oidc_provider") is None:
        from tests.conftest import skip_or_fail

        skip_or_fail("django-oidc-provider is not installed (make install installs the dev extras)")
    folder = tmp_path_factory.mktemp("sso-provider")
    db, log = folder / "provider.sqlite3", folder / "provider.log"
    users = [arg for user in USERS for arg in ("--user", user.spec())]
    with log.open("w") as errors:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.sso_provider.server",
                *_client_args(),
                "--redirect-uri",
                TEST_CLIENT_CALLBACK,
                *users,
            ],
            cwd=REPO,
            env=_env(db),
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        try:
            port = _announced_port(process, log)
            provider = Provider(url=f"http://127.0.0.1:{port}", db=db, redirect_uris={TEST_CLIENT_CALLBACK})
            _wait_until_up(provider)
            yield provider
        finally:
            process.terminate()
            process.wait(timeout=20)
            if process.stdout is not None:
                process.stdout.close()


def _announced_port(process: subprocess.Popen[str], log: Path) -> int:
    assert process.stdout is not None
    for line in process.stdout:  # the server prints "port N" once it listens; ends if it dies first
        if line.startswith("port "):
            return int(line.split()[1])
    raise RuntimeError(f"the test OpenID provider did not start:\n{log.read_text()}")


def _wait_until_up(provider: Provider) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            if requests.get(provider.discovery_url, timeout=5).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("the test OpenID provider does not answer")
        time.sleep(0.2)


@dataclass
class Sso:
    provider: Provider


@pytest.fixture
def sso(sso_provider: Provider, settings: Any) -> Sso:
    """JoinedUp with single sign-on on, pointed at the test provider by its discovery document alone."""
    settings.SSO_ENABLED = True
    settings.SSO_CLIENT_ID = settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.SSO_DISCOVERY_URL = sso_provider.discovery_url
    for name in ("OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_USER_ENDPOINT"):
        setattr(settings, name, "")
    settings.OIDC_OP_JWKS_ENDPOINT = settings.SSO_ISSUER = ""
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "joinedup.accounts.sso.SsoBackend"]
    return Sso(provider=sso_provider)


@pytest.fixture
def sso_live(sso: Sso, live_server: Any) -> Sso:
    """`sso` for a browser test: the provider also accepts the live server's callback."""
    sso.provider.allow_redirect_uri(f"{live_server.url}/accounts/sso/callback/")
    return sso


def at_the_provider(page: Any, provider_url: str, user: ProviderUser) -> None:
    """What the person does on their organisation's sign-in pages in the browser: sign in, then allow JoinedUp."""
    page.wait_for_url(f"{provider_url}/login/**")
    page.get_by_label("Work account").fill(user.email)
    page.get_by_label("Work password").fill(user.password)
    page.get_by_role("button", name="Sign in to Northshire").click()
    page.wait_for_url(f"{provider_url}/openid/authorize**")
    assert "JoinedUp" in page.locator("body").inner_text()  # the consent page names the client
    page.get_by_role("button", name="Authorize").click()


_HIDDEN = re.compile(r'<input name="([^"]+)" type="hidden" value="([^"]*)"')
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def sign_in_at_provider(authorize_url: str, user: ProviderUser, *, consent: bool = True) -> str:
    """What the person does at the provider, over plain HTTP: sign in there, then consent (or decline). Returns
    the address the provider sends the browser back to (JoinedUp's callback with the code and state)."""
    browser = requests.Session()
    browser.trust_env = False
    page = browser.get(authorize_url, timeout=10)  # → the provider's own sign-in page
    page.raise_for_status()
    login = {
        "username": user.email,
        "password": user.password,
        "csrfmiddlewaretoken": _CSRF.findall(page.text)[0],
    }
    login["next"] = html.unescape(re.findall(r'name="next" value="([^"]*)"', page.text)[0])
    asked = browser.post(page.url, data=login, timeout=10)  # → back to authorize: the consent page
    asked.raise_for_status()
    assert "Request for Permission" in asked.text, asked.text[:500]
    form = {name: html.unescape(value) for name, value in _HIDDEN.findall(asked.text)}
    form["csrfmiddlewaretoken"] = _CSRF.findall(asked.text)[0]
    if consent:
        form["allow"] = "Authorize"
    back = browser.post(urljoin(asked.url, "/openid/authorize"), data=form, allow_redirects=False, timeout=10)
    assert back.status_code == 302, back.text[:500]
    return str(back.headers["Location"])
