"""Single sign-on with OpenID Connect, on mozilla-django-oidc (docs/adr/0009-single-sign-on.md, docs/sso.md).

The authorisation-code flow with PKCE: `/accounts/sso/start/` sends the browser to the provider, the provider
sends it back to `/accounts/sso/callback/`, and `SsoBackend` exchanges the code for tokens, checks the ID token
(signature, issuer, audience, nonce) and matches the person to an account by a *verified* e-mail address only.

- A claim set whose `email_verified` is not true is refused, unless the site says its provider verifies every
  address (SSO_TRUST_PROVIDER_EMAILS, for a single-tenant provider whose addresses the organisation assigns).
- An e-mail address with no account is refused, unless the browser came through a pending role invitation to
  exactly that address (`invitation_sso_allow`, called by the invitation page just before the flow starts);
  only then is the account made, with no password.
- Every refusal is a page in plain words (`sso_problem.html`), never a server error: a state that does not
  match, a nonce that does not match, a provider that does not answer.

Endpoints come from the environment, each one by itself or all from the provider's discovery document
(SSO_DISCOVERY_URL), fetched on first use and kept for an hour.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from joinedup.accounts.models import User

log = logging.getLogger(__name__)

INVITED_EMAIL_KEY = "sso_invited_email"  # the session key: an account may be made for this address
DISCOVERY_SECONDS = 3600
_ENDPOINTS = {
    "authorization_endpoint": "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "token_endpoint": "OIDC_OP_TOKEN_ENDPOINT",
    "userinfo_endpoint": "OIDC_OP_USER_ENDPOINT",
    "jwks_uri": "OIDC_OP_JWKS_ENDPOINT",
    "issuer": "SSO_ISSUER",
}
_discovered: dict[str, Any] = {}


def sso_enabled() -> bool:
    return bool(settings.SSO_ENABLED)


def provider_endpoints() -> dict[str, str]:
    """The provider's endpoints and issuer: each from its own setting, else from the discovery document."""
    configured = {key: getattr(settings, name, "") for key, name in _ENDPOINTS.items()}
    if all(configured.values()) or not settings.SSO_DISCOVERY_URL:
        return configured
    document = _discovery()
    return {key: value or str(document.get(key, "")) for key, value in configured.items()}


def _discovery() -> dict[str, Any]:
    url = settings.SSO_DISCOVERY_URL
    cached = _discovered.get(url)
    if cached is None or cached[0] < time.monotonic():
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        _discovered[url] = cached = (time.monotonic() + DISCOVERY_SECONDS, response.json())
    found: dict[str, Any] = cached[1]
    return found


def provider_logout_url(request: HttpRequest) -> str:
    """Where signing out sends the browser (mozilla-django-oidc's OIDC_OP_LOGOUT_URL_METHOD, called before the
    session ends): for someone who signed in through the provider, its end-session endpoint, with their ID token
    as the hint and JoinedUp's sign-in page to come back to; otherwise, and if the provider cannot be asked,
    straight to JoinedUp's sign-in page."""
    here = resolve_url(settings.LOGOUT_REDIRECT_URL)
    id_token = request.session.get("oidc_id_token")
    if not (id_token and sso_enabled() and settings.SSO_SIGN_OUT_AT_PROVIDER):
        return here
    endpoint = settings.SSO_END_SESSION_ENDPOINT
    if not endpoint and settings.SSO_DISCOVERY_URL:
        try:
            endpoint = str(_discovery().get("end_session_endpoint", ""))
        except (requests.RequestException, ValueError):
            log.warning("the provider's discovery document could not be read at sign-out")
    if not endpoint:
        return here
    query = urlencode(
        {"id_token_hint": id_token, "post_logout_redirect_uri": request.build_absolute_uri(here)}
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def invitation_sso_allow(request: HttpRequest, *, email: str) -> None:
    """Let the single sign-on that starts next make an account for `email`, if the provider vouches for that
    address (the invitation page calls this once it has checked the invitation is pending)."""
    request.session[INVITED_EMAIL_KEY] = email.strip().lower()


def axes_exempt(request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
    """django-axes counts wrong passwords; a single sign-on callback carries none (the provider guards its own
    sign-in), so it is neither counted nor locked out: one office's shared address must not lock everyone out."""
    return request.path == reverse("accounts:sso_callback")


def _refuse(request: HttpRequest, problem: str) -> None:
    request.sso_problem = problem  # type: ignore[attr-defined]  # read by the callback view's page


class SsoBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend with JoinedUp's matching rules and a stricter ID-token check."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # endpoints may come from discovery: read late
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.UserModel = User

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:  # type: ignore[override]
        if request is None or "code" not in request.GET or not sso_enabled():
            return None  # a password sign-in, or SSO off: not ours
        endpoints = provider_endpoints()
        self.OIDC_OP_TOKEN_ENDPOINT = endpoints["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = endpoints["userinfo_endpoint"]
        self.OIDC_OP_JWKS_ENDPOINT = endpoints["jwks_uri"]
        self.issuer = endpoints["issuer"]
        return super().authenticate(request, **kwargs)  # type: ignore[no-any-return]

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        if "nonce" in kwargs:  # the ID token (a signed userinfo answer comes through here too, without nonce)
            audience = payload.get("aud")
            audiences = audience if isinstance(audience, list) else [audience]
            if self.OIDC_RP_CLIENT_ID not in audiences:
                raise SuspiciousOperation("The ID token is for another client.")
            if self.issuer and payload.get("iss") != self.issuer:
                raise SuspiciousOperation("The ID token comes from another issuer.")
        return payload

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> dict[str, Any]:
        claims: dict[str, Any] = super().get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload.get("sub"):  # OpenID Connect Core 5.3.2: the same person, or nothing
            raise SuspiciousOperation("The userinfo answer is about someone other than the ID token.")
        return claims

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        email = str(claims.get("email") or "").strip()
        if not email:
            _refuse(self.request, "Your organisation's sign-in did not tell us your e-mail address.")
            return False
        verified = claims.get("email_verified") in (True, "true")
        if not (verified or settings.SSO_TRUST_PROVIDER_EMAILS):
            _refuse(
                self.request,
                f"Your organisation's sign-in did not confirm that {email} is your e-mail address, so JoinedUp "
                "cannot match it to an account. Ask your IT service desk"
                + (", or sign in with your password." if settings.PASSWORD_SIGN_IN else "."),
            )
            return False
        return True

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        return User.objects.filter(email__iexact=str(claims["email"]).strip())

    def create_user(self, claims: dict[str, Any]) -> User | None:  # type: ignore[override]
        """Only for the address of the invitation the person came through; otherwise refuse, saying why."""
        email = str(claims["email"]).strip().lower()
        invited = self.request.session.get(INVITED_EMAIL_KEY)
        if invited is None:
            _refuse(
                self.request,
                f"There is no JoinedUp account for {email}. Ask a coordinator of your partnership to invite "
                "you, then open the link in the invitation e-mail.",
            )
            return None
        if invited != email:
            _refuse(
                self.request,
                f"This invitation is for {invited}, but your organisation's sign-in says your e-mail address "
                f"is {email}. Ask the coordinator to send the invitation to {email}.",
            )
            return None
        self.request.session.pop(INVITED_EMAIL_KEY, None)
        name = str(claims.get("name") or "").strip()
        return User.objects.create_user(email=email, password=None, full_name=name)

    def update_user(self, user: User, claims: dict[str, Any]) -> User:  # type: ignore[override]
        if not user.is_active:
            _refuse(self.request, "This account is inactive.")
        return user


def _problem(request: HttpRequest, problem: str, *, status: int) -> HttpResponse:
    return render(request, "accounts/sso_problem.html", {"problem": problem}, status=status)


OUT_OF_DATE = (
    "This sign-in was started in another window, or has already been used. Start again from the sign-in page."
)
UNREACHABLE = (
    "Your organisation's sign-in service did not answer. Try again in a few minutes; if it still fails, "
    "tell your IT service desk."
)


class SsoStartView(OIDCAuthenticationRequestView):
    """Send the browser to the provider (state, nonce and the PKCE challenge kept in the session)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request: HttpRequest) -> HttpResponse:  # type: ignore[override]
        if not sso_enabled():
            raise Http404("Single sign-on is not set up on this site")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider_endpoints()["authorization_endpoint"]
        except (requests.RequestException, ValueError):
            log.warning("single sign-on: the provider's discovery document could not be read", exc_info=True)
            return _problem(request, UNREACHABLE, status=502)
        return super().get(request)  # type: ignore[no-any-return]


class SsoCallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back. Signs the person in, or says in plain words why not."""

    def get(self, request: HttpRequest) -> HttpResponse:  # type: ignore[override]
        if not sso_enabled():
            raise Http404("Single sign-on is not set up on this site")
        if request.GET.get("error"):  # the library forgets the state and signs nobody in
            _refuse(
                request,
                "The sign-in was cancelled or refused at your organisation's sign-in page. "
                "Start again from the sign-in page if you meant to sign in.",
            )
        try:
            return super().get(request)  # type: ignore[no-any-return]
        except SuspiciousOperation as refused:  # state or nonce that does not match, a bad token
            log.warning("single sign-on refused: %s", refused)
            return _problem(request, OUT_OF_DATE, status=400)
        except requests.HTTPError as refused:
            if refused.response is not None and refused.response.status_code < 500:  # a used code, wrong PKCE
                log.warning("single sign-on: the provider refused the code: %s", refused)
                return _problem(request, OUT_OF_DATE, status=400)
            log.warning("single sign-on: the provider failed", exc_info=True)
            return _problem(request, UNREACHABLE, status=502)
        except (requests.RequestException, ValueError, ImproperlyConfigured):
            log.warning("single sign-on: the provider could not be used", exc_info=True)
            return _problem(request, UNREACHABLE, status=502)

    def login_failure(self) -> HttpResponse:  # type: ignore[override]
        problem = getattr(self.request, "sso_problem", None)
        return _problem(self.request, problem or OUT_OF_DATE, status=403)
