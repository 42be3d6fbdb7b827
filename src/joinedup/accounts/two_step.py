"""Two-step sign-in with an authenticator app (TOTP, RFC 6238, through django-otp), and a site's rule that some
people must use it (docs/security.md).

- Anyone who signs in with a password may turn it on from their account: JoinedUp shows a QR code (and the key, to
  type in), and it is on once a code from the app is accepted.
- With it on, the password alone does not sign in: the login page then asks for the 6-digit code
  (`LoginView` keeps the user id in the session, this module's `code` view signs them in). django-otp slows
  repeated wrong codes down.
- `TWO_STEP_REQUIRED` (settings; `coordinators`, `signatories`, or both) makes it a must for those roles: someone
  who holds one and signed in by password without it is sent to set it up before anything else
  (`TwoStepRequiredMiddleware`). Single sign-on sessions are left to the organisation's own provider, which
  does its own second step.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model, login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.core.permissions import Permission, organisation_grants_with, partnership_ids_with

PENDING_KEY = "joinedup_two_step_user"
PENDING_NEXT_KEY = "joinedup_two_step_next"
PENDING_BACKEND_KEY = "joinedup_two_step_backend"
SSO_BACKEND = "joinedup.accounts.sso.SsoBackend"


class CodeForm(forms.Form):
    code = forms.CharField(
        label="The 6-digit code from your authenticator app",
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*", "autofocus": True,
                   "class": "nhsuk-input nhsuk-input--width-10"}
        ),
    )  # fmt: skip

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip().replace(" ", "")
        if not code.isdigit():
            raise forms.ValidationError("The code is 6 digits, with no letters.")
        return code


def device_of(user: Any, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=confirmed).first()


def required_for(user: Any) -> bool:
    """Whether the site's rule makes two-step sign-in a must for `user` (by the roles they hold)."""
    rule = set(settings.TWO_STEP_REQUIRED)
    if not rule or not user.is_authenticated:
        return False
    if "coordinators" in rule and (user.is_superuser or partnership_ids_with(user, Permission.ROLE_MANAGE)):
        return True
    return "signatories" in rule and bool(organisation_grants_with(user, Permission.AGREEMENT_SIGN))


def start(request: HttpRequest, user: Any, next_url: str) -> HttpResponseRedirect:
    """Password accepted for a user with two-step sign-in on: ask for the code before signing them in."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = user.pk
    request.session[PENDING_NEXT_KEY] = next_url
    request.session[PENDING_BACKEND_KEY] = getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[-1])
    return redirect("accounts:two_step_code")


def code(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: the code from the authenticator app."""
    pk = request.session.get(PENDING_KEY)
    user = get_user_model().objects.filter(pk=pk, is_active=True).first() if pk else None
    device = device_of(user) if user else None
    if user is None or device is None:
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _why = device.verify_is_allowed()
        if not allowed:
            form.add_error("code", "Too many wrong codes: wait a minute, then try the newest code.")
        elif device.verify_token(form.cleaned_data["code"]):
            next_url = request.session.get(PENDING_NEXT_KEY) or ""
            backend = request.session.get(PENDING_BACKEND_KEY)
            login(request, user, backend=backend)
            otp_login(request, device)
            safe = url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure())
            return redirect(next_url if next_url and safe else settings.LOGIN_REDIRECT_URL)
        else:
            form.add_error(
                "code", "That code is not right. Check the app shows JoinedUp, and try the newest code."
            )
    return render(request, "accounts/two_step_code.html", {"form": form})


def _qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address (issuer JoinedUp, from OTP_TOTP_ISSUER) as an inline SVG QR code."""
    import segno

    title = "QR code to scan with your authenticator app"
    return str(segno.make(device.config_url, error="m").svg_inline(scale=5, title=title))


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Turn two-step sign-in on (scan, then give a code) or, where the site does not require it, off."""
    user = request.user
    confirmed = device_of(user)
    form = CodeForm(request.POST or None)
    if confirmed is not None:
        if request.method == "POST" and request.POST.get("action") == "off" and form.is_valid():
            if required_for(user):
                form.add_error(
                    "code", "This site requires two-step sign-in for your role: it cannot be turned off."
                )
            elif confirmed.verify_token(form.cleaned_data["code"]):
                TOTPDevice.objects.devices_for_user(user, confirmed=None).delete()
                messages.success(request, "Two-step sign-in is off: your password alone signs you in.")
                return redirect("register:account")
            else:
                form.add_error("code", "That code is not right: try the newest code.")
        context = {"on": True, "form": form, "required": required_for(user)}
        return render(request, "accounts/two_step_setup.html", context)
    pending = device_of(user, confirmed=False)
    if pending is None:
        pending = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    if request.method == "POST" and form.is_valid():
        if pending.verify_token(form.cleaned_data["code"]):
            pending.confirmed = True
            pending.save(update_fields=["confirmed"])
            otp_login(request, pending)
            messages.success(
                request, "Two-step sign-in is on. Next time, have your phone with you when you sign in."
            )
            return redirect("register:account")
        form.add_error("code", "That code is not right. Scan the QR code again, and give the newest code.")
    context = {
        "on": False,
        "form": form,
        "qr": _qr_svg(pending),
        "key": _base32(pending),
        "required": required_for(user),
    }
    return render(request, "accounts/two_step_setup.html", context)


def _base32(device: TOTPDevice) -> str:
    import base64

    text = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


class TwoStepRequiredMiddleware:
    """Sends someone the site requires two-step sign-in of, signed in by password without it, to set it up."""

    EXEMPT = ("/accounts/", "/static/", "/healthz")

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if (
            settings.TWO_STEP_REQUIRED
            and user is not None
            and user.is_authenticated
            and not request.path.startswith(self.EXEMPT)
            and request.session.get(BACKEND_SESSION_KEY) != SSO_BACKEND
            and not user.is_verified()
            and required_for(user)
        ):
            messages.info(request, "This site asks people in your role to turn on two-step sign-in first.")
            return redirect(f"{reverse('accounts:two_step_setup')}")
        return self.get_response(request)
