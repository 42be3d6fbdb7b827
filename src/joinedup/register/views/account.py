"""A person's own account: their name, their e-mail address (changed only through a link sent to the new one),
their password, and the roles they hold in which partnerships."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from joinedup.accounts import email_change
from joinedup.accounts.http import AuthedRequest
from joinedup.core.permissions import Access, permission_declared
from joinedup.register import roles, services
from joinedup.register.forms import add_service_errors


class NameForm(forms.Form):
    full_name = forms.CharField(label="Your name", max_length=200)


class EmailChangeForm(forms.Form):
    new_email = forms.EmailField(label="New e-mail address", max_length=254)
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="So that nobody else can change it from a computer you left signed in.",
    )

    def __init__(self, *args: Any, needs_password: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_email"].widget.attrs["autocomplete"] = "email"
        if not needs_password:  # single sign-on only: there is no password to give
            del self.fields["password"]


@login_required
@permission_declared(Access.SIGNED_IN)
def account(request: AuthedRequest) -> HttpResponse:
    which = request.POST.get("form", "name") if request.method == "POST" else ""
    name_form = NameForm(
        request.POST if which == "name" else None, initial={"full_name": request.user.full_name}
    )
    email_form = EmailChangeForm(
        request.POST if which == "email" else None, needs_password=request.user.has_usable_password()
    )
    if which == "name" and name_form.is_valid():
        request.user.full_name = name_form.cleaned_data["full_name"].strip()
        request.user.save(update_fields=["full_name"])
        messages.success(request, "Your name is saved.")
        return redirect("register:account")
    if which == "email" and email_form.is_valid():
        link = request.build_absolute_uri(
            reverse("register:account_email_confirm", args=[email_change.TOKEN_PLACEHOLDER])
        )
        try:
            change = email_change.email_change_request(
                by=request.user,
                new_email=email_form.cleaned_data["new_email"],
                password=email_form.cleaned_data.get("password", ""),
                link=link,
            )
        except ValidationError as error:
            add_service_errors(email_form, error)
        else:
            messages.success(
                request,
                f"We have e-mailed a link to {change.new_email}. Open it within {email_change.LINK_HOURS} hours "
                "to confirm; until then you sign in with your current address.",
            )
            return redirect("register:account")
    context = {
        "form": name_form,
        "email_form": email_form,
        "pending": email_change.email_change_pending(user=request.user),
        "roles": roles.roles_of_user(user=request.user),
        # an account made through single sign-on has no password; a site may turn passwords off altogether
        "has_password": settings.PASSWORD_SIGN_IN and request.user.has_usable_password(),
    }
    return render(request, "register/account.html", context)


@login_required
@permission_declared(Access.SIGNED_IN)  # the link is for the account that asked; anyone else is refused
def account_email_confirm(request: AuthedRequest, token: str) -> HttpResponse:
    """The link e-mailed to a new address: shows the change, and makes it with one button (a mail scanner that
    opens the link changes nothing)."""
    try:
        if request.method == "POST":
            change = email_change.email_change_confirm(
                by=request.user, token=token, also=services.person_email_follow
            )
            messages.success(
                request, f"Your e-mail address is now {change.new_email}: sign in with it from now on."
            )
            return redirect("register:account")
        change = email_change.email_change_for_token(user=request.user, token=token)
    except email_change.EmailChangeUnusable as unusable:
        return render(
            request, "register/account_email_confirm.html", {"problem": unusable.reason}, status=410
        )
    return render(request, "register/account_email_confirm.html", {"change": change})
