"""People and roles: a coordinator's page to invite people to roles and change or end the roles held, and the
page an invitation's link opens (anyone with the link; it creates the account or asks the person to sign in)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from joinedup.accounts import sso
from joinedup.accounts.http import AuthedRequest
from joinedup.core.choices import RoleKind
from joinedup.core.permissions import Access, Permission, permission_declared, require
from joinedup.register import invitations, selectors
from joinedup.register import roles as register_roles
from joinedup.register.forms import InvitationAcceptForm, RoleInviteForm, add_service_errors
from joinedup.register.models import Partnership, RoleInvitation
from joinedup.register.views.common import partnership_or_404


def _link(request: HttpRequest) -> str:
    return request.build_absolute_uri(
        reverse("register:invitation_accept", args=[invitations.TOKEN_PLACEHOLDER])
    )


def _managed(request: AuthedRequest, pk: int) -> Partnership:
    partnership = partnership_or_404(request, pk)
    require(request, Permission.ROLE_MANAGE, partnership)
    return partnership


@login_required
@permission_declared(Permission.ROLE_MANAGE)
def partnership_roles(request: AuthedRequest, pk: int) -> HttpResponse:
    """Who holds which role, the invitations waiting to be accepted, and the form to invite someone."""
    partnership = _managed(request, pk)
    form = RoleInviteForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = invitations.invitation_send(
                by=request.user,
                partnership=partnership,
                email=data["email"],
                name=data["name"],
                role=data["role"],
                organisation=data["organisation"],
                is_signatory=data["is_signatory"],
                record_affiliation=data["record_affiliation"],
                link=_link(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("register:partnership_roles", partnership.pk)
    roles = list(register_roles.roles_held(partnership=partnership))
    context = {
        "partnership": partnership,
        "form": form,
        "roles": roles,
        "coordinators": sum(1 for r in roles if r.role == RoleKind.COORDINATOR),
        "pending": selectors.invitations_pending(partnership=partnership),
        "now": timezone.now(),
    }
    return render(request, "register/partnership_roles.html", context)


@login_required
@require_POST
@permission_declared(Permission.ROLE_MANAGE)
def invitation_manage(request: AuthedRequest, pk: int, invitation_pk: int) -> HttpResponse:
    """Send a pending invitation again (a new link) or withdraw it."""
    partnership = _managed(request, pk)
    invitation = get_object_or_404(RoleInvitation, pk=invitation_pk, partnership=partnership)
    action = request.POST.get("action")
    try:
        if action == "resend":
            invitations.invitation_resend(by=request.user, invitation=invitation, link=_link(request))
            messages.success(request, f"Invitation sent again to {invitation.email}, with a new link.")
        elif action == "revoke":
            invitations.invitation_revoke(by=request.user, invitation=invitation)
            messages.success(request, f"The invitation to {invitation.email} was withdrawn.")
        else:
            messages.error(request, "Choose to send the invitation again or to withdraw it.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("register:partnership_roles", partnership.pk)


@login_required
@require_POST
@permission_declared(Permission.ROLE_MANAGE)
def role_manage(request: AuthedRequest, pk: int, role_pk: int) -> HttpResponse:
    """Give or take away a representative's right to sign, or end a role."""
    partnership = _managed(request, pk)
    role = register_roles.role_get(partnership=partnership, pk=role_pk)
    if role is None:
        raise Http404("No such role")
    action = request.POST.get("action")
    who = role.user.full_name or role.user.email
    try:
        if action in ("sign", "unsign"):
            register_roles.role_signatory_set(by=request.user, role=role, is_signatory=action == "sign")
            verb = "may now sign" if action == "sign" else "may no longer sign"
            messages.success(request, f"{who} {verb} for {role.organisation}.")
        elif action == "end":
            register_roles.role_end(by=request.user, role=role)
            messages.success(request, f"{who} is no longer {role.get_role_display().lower()}.")
        else:
            messages.error(request, "Choose what to change.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("register:partnership_roles", partnership.pk)


@permission_declared(Access.PUBLIC)  # the link is the key; it is single-use and expires
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation: create the account (name and password), or, signed in, accept it with one button."""
    try:
        invitation = invitations.invitation_for_token(token)
    except invitations.InvitationUnusable as unusable:
        return render(request, "register/invitation_accept.html", {"problem": unusable.reason}, status=410)
    signed_in = request.user.is_authenticated
    has_account = signed_in or invitations.account_exists(email=invitation.email)
    form = (
        None
        if has_account or not settings.PASSWORD_SIGN_IN
        else InvitationAcceptForm(request.POST or None, initial={"full_name": invitation.name})
    )
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            if signed_in:
                _, user = invitations.invitation_accept(token=token, user=request.user)  # type: ignore[arg-type]
            elif form is not None:  # (passwords are on)
                data = form.cleaned_data
                _, user = invitations.invitation_accept(
                    token=token, full_name=data["full_name"], password=data["password1"]
                )
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            else:
                return redirect(f"{reverse('accounts:login')}?next={request.path}")
        except ValidationError as error:  # the password validators
            assert form is not None
            form.add_error("password1", error)
        except invitations.InvitationUnusable as unusable:
            return render(
                request, "register/invitation_accept.html", {"problem": unusable.reason}, status=410
            )
        else:
            messages.success(
                request,
                f"Welcome to {invitation.partnership.name}: you are now {invitation.get_role_display().lower()}.",
            )
            return redirect(invitation.partnership.get_absolute_url())
    context = {
        "invitation": invitation,
        "form": form,
        "signed_in": signed_in,
        "has_account": has_account,
        "login_url": f"{reverse('accounts:login')}?next={request.path}",
        "sso_enabled": sso.sso_enabled(),
        "sso_url": reverse("register:invitation_sso", args=[token]),
        "password_sign_in": settings.PASSWORD_SIGN_IN,
    }
    return render(request, "register/invitation_accept.html", context)


SSO_TOKEN_KEY = "sso_invitation_token"  # the session keeps the link's token while the browser is away


@permission_declared(Access.PUBLIC)  # the link is the key, as on the invitation page
def invitation_sso(request: HttpRequest, token: str) -> HttpResponse:
    """Accept through the organisation's single sign-on: remember the invitation, let the sign-on make an
    account for the invited address (only that one), and send the browser to the provider. A link (GET), as the
    provider is another site and the CSP lets forms go to this one only; it changes nothing but the session."""
    if not sso.sso_enabled():
        raise Http404("Single sign-on is not set up on this site")
    try:
        invitation = invitations.invitation_for_token(token)
    except invitations.InvitationUnusable as unusable:
        return render(request, "register/invitation_accept.html", {"problem": unusable.reason}, status=410)
    request.session[SSO_TOKEN_KEY] = token
    sso.invitation_sso_allow(request, email=invitation.email)
    return redirect(f"{reverse('accounts:sso_start')}?next={reverse('register:invitation_sso_done')}")


@permission_declared(Access.PUBLIC)  # does nothing without the token its own session keeps
def invitation_sso_done(request: HttpRequest) -> HttpResponse:
    """Back from the single sign-on, signed in: accept the invitation for the person it signed in."""
    token = request.session.pop(SSO_TOKEN_KEY, None)
    request.session.pop(sso.INVITED_EMAIL_KEY, None)
    if token is None:
        return redirect("home")
    if not request.user.is_authenticated:  # the sign-on did not finish: its own page said why
        return redirect("accounts:login")
    user = request.user
    try:
        invitation = invitations.invitation_for_token(token)
        if user.email.lower() != invitation.email:
            raise invitations.InvitationUnusable(
                f"This invitation is for {invitation.email}, but your organisation's single sign-on signed you "
                f"in as {user.email}. Ask the coordinator to send the invitation to {user.email}, or sign out "
                "and sign in as the invited person."
            )
        invitation, _ = invitations.invitation_accept(token=token, user=user)  # type: ignore[arg-type]
    except invitations.InvitationUnusable as unusable:
        return render(request, "register/invitation_accept.html", {"problem": unusable.reason}, status=410)
    messages.success(
        request,
        f"Welcome to {invitation.partnership.name}: you are now {invitation.get_role_display().lower()}.",
    )
    return redirect(invitation.partnership.get_absolute_url())


@login_required
@permission_declared(Access.SIGNED_IN)  # only an invitation sent to the user's own address opens
def invitation_own(request: AuthedRequest, invitation_pk: int) -> HttpResponse:
    """An invitation to the signed-in user's own address, opened from their home page: accept it with one button."""
    try:
        if request.method == "POST":
            invitation = invitations.invitation_accept_own(by=request.user, pk=invitation_pk)
            messages.success(
                request,
                f"Welcome to {invitation.partnership.name}: you are now {invitation.get_role_display().lower()}.",
            )
            return redirect(invitation.partnership.get_absolute_url())
        invitation = invitations.own_invitation(user=request.user, pk=invitation_pk)
    except invitations.InvitationUnusable as unusable:
        return render(request, "register/invitation_accept.html", {"problem": unusable.reason}, status=410)
    context = {"invitation": invitation, "form": None, "signed_in": True, "has_account": True}
    return render(request, "register/invitation_accept.html", context)
