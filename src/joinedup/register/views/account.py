"""A person's own account: their name, their password, and the roles they hold in which partnerships."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from joinedup.accounts.http import AuthedRequest
from joinedup.core.permissions import Access, permission_declared
from joinedup.register import roles


class NameForm(forms.Form):
    full_name = forms.CharField(label="Your name", max_length=200)


@login_required
@permission_declared(Access.SIGNED_IN)
def account(request: AuthedRequest) -> HttpResponse:
    form = NameForm(request.POST or None, initial={"full_name": request.user.full_name})
    if request.method == "POST" and form.is_valid():
        request.user.full_name = form.cleaned_data["full_name"].strip()
        request.user.save(update_fields=["full_name"])
        messages.success(request, "Your name is saved.")
        return redirect("register:account")
    context = {"form": form, "roles": roles.roles_of_user(user=request.user)}
    # an account made through single sign-on has no password; a site may turn passwords off altogether
    context["has_password"] = settings.PASSWORD_SIGN_IN and request.user.has_usable_password()
    return render(request, "register/account.html", context)
