"""Single sign-on against a real OpenID Connect provider (tests/sso_provider, its own process): the whole
authorisation-code flow with PKCE over HTTP, nothing mocked. The person's part at the provider is plain HTTP
here; tests/browser/test_sso_journey.py does it in Chromium."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from axes.models import AccessAttempt
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from joinedup.accounts.models import User
from joinedup.core.choices import RoleKind
from joinedup.core.tokens import token_hash
from joinedup.register.models import PartnershipRole, RoleInvitation
from tests.factories import PartnershipFactory, RoleInvitationFactory, UserFactory
from tests.sso_provider.fixtures import (
    INVITED,
    KNOWN,
    STRANGER,
    UNVERIFIED,
    ProviderUser,
    sign_in_at_provider,
)

pytestmark = pytest.mark.django_db


def sso_sign_in(client: Any, user: ProviderUser, start: str = "/accounts/sso/start/") -> Any:
    """The browser's round trip: JoinedUp → the provider (sign in, consent) → JoinedUp's callback."""
    response = client.get(start)
    assert response.status_code == 302, response.content[:300]
    authorize = response["Location"]
    if not authorize.startswith(
        "http://127.0.0.1"
    ):  # the invitation's step first goes to /accounts/sso/start/
        authorize = client.get(authorize)["Location"]
    back = sign_in_at_provider(authorize, user)
    assert back.startswith("http://testserver/accounts/sso/callback/?")
    return client.get(back.removeprefix("http://testserver"))


def text(response: Any) -> str:
    return " ".join(response.content.decode().split())


def test_a_person_with_an_account_signs_in_through_their_organisation_with_pkce(sso, client):
    amira = UserFactory(email=KNOWN.email)
    response = client.get("/accounts/login/")
    assert "Sign in with your organisation's single sign-on" in response.content.decode()
    authorize = client.get("/accounts/sso/start/?next=/register/account/")["Location"]
    query = parse_qs(urlsplit(authorize).query)
    assert authorize.startswith(f"{sso.provider.url}/openid/authorize?")  # from the discovery document
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43
    assert query["scope"] == ["openid email profile"] and query["nonce"] and query["state"]

    back = client.get(sign_in_at_provider(authorize, KNOWN).removeprefix("http://testserver"))
    assert back.status_code == 302 and back["Location"] == "/register/account/"
    assert client.get("/").context["user"] == amira


def test_an_e_mail_address_the_provider_has_not_verified_is_refused(sso, client):
    UserFactory(email=UNVERIFIED.email)  # an account with that address exists: still not matched
    response = sso_sign_in(client, UNVERIFIED)
    assert response.status_code == 403
    assert f"did not confirm that {UNVERIFIED.email} is your e-mail address" in text(response)
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_a_site_whose_provider_verifies_every_address_may_say_so(sso, client, settings):
    settings.SSO_TRUST_PROVIDER_EMAILS = True
    pat = UserFactory(email=UNVERIFIED.email)
    assert sso_sign_in(client, UNVERIFIED).status_code == 302
    assert client.get("/").context["user"] == pat


def test_an_unknown_address_without_an_invitation_gets_no_account_and_a_plain_answer(sso, client):
    response = sso_sign_in(client, STRANGER)
    assert response.status_code == 403
    assert (
        f"There is no JoinedUp account for {STRANGER.email}. Ask a coordinator of your partnership to invite you"
        in text(response)
    )
    assert not User.objects.filter(email=STRANGER.email).exists()


def _invitation(email: str, token: str = "invitation-token-1") -> RoleInvitation:
    partnership = PartnershipFactory(name="Northshire Place Partnership")
    return RoleInvitationFactory(
        partnership=partnership, email=email, name="", role=RoleKind.MEMBER, token_hash=token_hash(token)
    )


def test_an_invited_person_accepts_through_single_sign_on_and_gets_an_account_without_a_password(sso, client):
    invitation = _invitation(INVITED.email)
    page = client.get("/register/invitation/invitation-token-1/")
    assert "Sign in with your organisation's single sign-on and accept" in page.content.decode()
    response = sso_sign_in(client, INVITED, start="/register/invitation/invitation-token-1/sso/")
    assert response.status_code == 302 and response["Location"] == "/register/invitation/sso/done/"
    done = client.get(response["Location"])
    assert done["Location"] == invitation.partnership.get_absolute_url()
    sam = User.objects.get(email=INVITED.email)
    assert sam.full_name == "Sam Okafor" and not sam.has_usable_password()
    assert PartnershipRole.objects.filter(
        user=sam, partnership=invitation.partnership, role="member"
    ).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == sam
    assert "you are now member" in text(client.get(done["Location"]))
    account = text(client.get("/register/account/")).replace("&#x27;", "'")
    assert (
        "sign in through your organisation's single sign-on" in account
        and "Change your password" not in account
    )
    # single use: the link now says so
    assert "already been accepted" in text(client.get("/register/invitation/invitation-token-1/"))


def test_an_invitation_accepted_through_single_sign_on_must_be_for_the_address_it_vouches_for(sso, client):
    invitation = _invitation("someone.else@kingsford.example")
    response = sso_sign_in(client, STRANGER, start="/register/invitation/invitation-token-1/sso/")
    assert response.status_code == 403
    assert (
        "This invitation is for someone.else@kingsford.example, but your organisation's sign-in says your "
        f"e-mail address is {STRANGER.email}" in text(response).replace("&#x27;", "'")
    )
    assert not User.objects.filter(email=STRANGER.email).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_someone_with_an_account_under_another_address_is_told_why_the_invitation_does_not_apply(sso, client):
    UserFactory(email=KNOWN.email)
    invitation = _invitation("amira.work@kingsford.example")
    response = sso_sign_in(client, KNOWN, start="/register/invitation/invitation-token-1/sso/")
    done = client.get(response["Location"])
    assert done.status_code == 410
    assert f"your organisation's single sign-on signed you in as {KNOWN.email}" in text(done).replace(
        "&#x27;", "'"
    )
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_a_callback_whose_state_was_not_started_here_is_refused_without_an_error(sso, client, caplog):
    UserFactory(email=KNOWN.email)
    authorize = client.get("/accounts/sso/start/")["Location"]
    back = sign_in_at_provider(authorize, KNOWN).removeprefix("http://testserver")
    forged = back.replace("state=", "state=x")
    response = client.get(forged)
    assert response.status_code == 400
    assert "Start again from the sign-in page" in text(response)
    assert "state not found in session" in caplog.text
    assert not client.get("/").wsgi_request.user.is_authenticated
    # and a browser that never started a sign-in
    client.cookies.clear()
    assert client.get(back).status_code == 403


def test_an_id_token_whose_nonce_does_not_match_is_refused_without_an_error(sso, client, caplog):
    UserFactory(email=KNOWN.email)
    authorize = client.get("/accounts/sso/start/")["Location"]
    state = parse_qs(urlsplit(authorize).query)["state"][0]
    session = SessionStore(client.cookies["sessionid"].value)
    session["oidc_states"][state]["nonce"] = "not-the-nonce-the-provider-was-given"
    session.save()
    response = client.get(sign_in_at_provider(authorize, KNOWN).removeprefix("http://testserver"))
    assert response.status_code == 400
    assert "Start again from the sign-in page" in text(response)
    assert "Nonce verification failed" in caplog.text
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_the_provider_refuses_a_code_without_its_pkce_verifier(sso, client, caplog):
    """PKCE is real: the provider checks the verifier against the challenge it was given at the start."""
    UserFactory(email=KNOWN.email)
    authorize = client.get("/accounts/sso/start/")["Location"]
    state = parse_qs(urlsplit(authorize).query)["state"][0]
    session = SessionStore(client.cookies["sessionid"].value)
    session["oidc_states"][state]["code_verifier"] = "x" * 64  # not the one the challenge was made from
    session.save()
    response = client.get(sign_in_at_provider(authorize, KNOWN).removeprefix("http://testserver"))
    assert response.status_code == 400
    assert "Start again from the sign-in page" in text(response)
    assert "refused the code" in caplog.text and "invalid_grant" in caplog.text
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_an_id_token_from_another_issuer_is_refused(sso, client, settings, caplog):
    settings.SSO_ISSUER = (
        "https://login.microsoftonline.com/some-tenant/v2.0"  # not the provider that answers
    )
    UserFactory(email=KNOWN.email)
    response = sso_sign_in(client, KNOWN)
    assert response.status_code == 400
    assert "comes from another issuer" in caplog.text
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_a_userinfo_answer_about_someone_else_is_refused(sso, client, monkeypatch):
    """The one test here with a stand-in: a real provider never sends this, so its answer is swapped."""
    from mozilla_django_oidc.auth import OIDCAuthenticationBackend

    UserFactory(email=KNOWN.email)
    real = OIDCAuthenticationBackend.get_userinfo
    monkeypatch.setattr(
        OIDCAuthenticationBackend,
        "get_userinfo",
        lambda self, *args: {**real(self, *args), "sub": "someone-else"},
    )
    response = sso_sign_in(client, KNOWN)
    assert response.status_code == 403
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_declining_at_the_provider_signs_nobody_in_and_says_so(sso, client):
    UserFactory(email=KNOWN.email)
    authorize = client.get("/accounts/sso/start/")["Location"]
    back = sign_in_at_provider(authorize, KNOWN, consent=False)
    assert "error=access_denied" in back
    response = client.get(back.removeprefix("http://testserver"))
    assert response.status_code == 403
    assert "The sign-in was cancelled or refused" in text(response)
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_a_provider_that_does_not_answer_gets_a_plain_page(sso, client, settings):
    settings.SSO_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"  # nothing listens
    response = client.get("/accounts/sso/start/")
    assert response.status_code == 502
    assert "sign-in service did not answer" in text(response)


def test_single_sign_on_neither_counts_towards_nor_is_stopped_by_a_password_lockout(sso, client, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2
    amira = UserFactory(email=KNOWN.email)
    for _ in range(2):
        client.post("/accounts/login/", {"username": KNOWN.email, "password": "guess"})
    assert client.post("/accounts/login/", {"username": KNOWN.email, "password": "guess"}).status_code == 429
    attempts = AccessAttempt.objects.count()
    for _ in range(3):  # failed sign-ons (no account) are not password guesses
        assert sso_sign_in(client, STRANGER).status_code == 403
    assert AccessAttempt.objects.count() == attempts
    assert sso_sign_in(client, KNOWN).status_code == 302
    assert client.get("/").context["user"] == amira


def test_a_site_can_turn_password_sign_in_off(sso, client, settings, password):
    settings.PASSWORD_SIGN_IN = False
    settings.AUTHENTICATION_BACKENDS = [
        b for b in settings.AUTHENTICATION_BACKENDS if b != "django.contrib.auth.backends.ModelBackend"
    ]
    UserFactory(email="nurse@example.org")
    page = client.get("/accounts/login/")
    assert 'type="password"' not in page.content.decode()
    assert "signs everyone in through their organisation" in text(page)
    refused = client.post("/accounts/login/", {"username": "nurse@example.org", "password": password})
    assert refused.status_code == 403
    assert not client.get("/").wsgi_request.user.is_authenticated
    assert client.get("/accounts/password-reset/").status_code == 404
    _invitation("new.person@example.org")
    invitation_page = client.get("/register/invitation/invitation-token-1/").content.decode()
    assert "single sign-on and accept" in invitation_page and 'type="password"' not in invitation_page


def test_without_single_sign_on_the_login_page_has_passwords_only(client):
    page = client.get("/accounts/login/").content.decode()
    assert "single sign-on" not in page and 'type="password"' in page
    assert client.get("/accounts/sso/start/").status_code == 404
    assert client.get("/accounts/sso/callback/?code=x&state=y").status_code == 404
    invitation = RoleInvitationFactory(
        token_hash=token_hash("t"), expires_at=timezone.now() + datetime.timedelta(1)
    )
    assert "single sign-on" not in client.get("/register/invitation/t/").content.decode()
    assert client.get("/register/invitation/t/sso/").status_code == 404
    assert invitation.accepted_at is None


def test_signing_out_after_single_sign_on_signs_out_at_the_provider_too(sso, client):
    UserFactory(email=KNOWN.email)
    sso_sign_in(client, KNOWN)
    id_token = client.session["oidc_id_token"]
    assert id_token.count(".") == 2  # the ID token, kept as the provider's hint of whom to sign out
    out = client.post("/accounts/logout/")
    assert out.status_code == 302
    end_session = urlsplit(out["Location"])
    assert f"{end_session.scheme}://{end_session.netloc}{end_session.path}".startswith(
        f"{sso.provider.url}/openid/end-session"
    )  # from the discovery document
    query = parse_qs(end_session.query)
    assert query == {
        "id_token_hint": [id_token],
        "post_logout_redirect_uri": ["http://testserver/accounts/login/"],
    }
    assert "_auth_user_id" not in client.session  # signed out of JoinedUp whatever the provider does
    at_provider = requests.get(out["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302  # the real provider ends its session and sends the browser back
    assert at_provider.headers["Location"] == "http://testserver/accounts/login/"


def test_signing_out_after_a_password_sign_in_stays_in_joinedup(sso, client, password):
    user = UserFactory()
    client.login(username=user.email, password=password)
    out = client.post("/accounts/logout/")
    assert out.status_code == 302 and out["Location"] == "/accounts/login/"


def test_a_site_can_keep_signing_out_to_joinedup_only(sso, client, settings):
    settings.SSO_SIGN_OUT_AT_PROVIDER = False
    UserFactory(email=KNOWN.email)
    sso_sign_in(client, KNOWN)
    assert client.post("/accounts/logout/")["Location"] == "/accounts/login/"
    assert client.get("/accounts/logout/").status_code == 405  # signing out is a form, never a link
