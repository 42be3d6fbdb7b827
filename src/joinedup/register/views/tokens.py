"""A person's API tokens (docs/api.md): make one (shown once), see when each was last used, revoke one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from joinedup.accounts.http import AuthedRequest
from joinedup.core.permissions import Access, permission_declared
from joinedup.register import selectors, tokens
from joinedup.register.forms import add_service_errors
from joinedup.register.models import AccessToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label="What will use this token?",
        max_length=100,
        help_text="For example, the name of the script or the system, so you know later.",
    )
    partnerships: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label="Partnerships it may reach",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="It can do no more in them than you can, and nothing in any other.",
        error_messages={"required": "Choose at least one partnership the token may reach."},
    )
    access = forms.ChoiceField(
        label="What it may do",
        choices=[("read", "Read only"), ("write", "Read and change (as you could on the pages)")],
        initial="read",
        widget=forms.RadioSelect,
    )
    days = forms.IntegerField(label="Days until it stops working", min_value=1, max_value=tokens.MAX_DAYS,
                              initial=90, help_text=f"From 1 to {tokens.MAX_DAYS}.")  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["partnerships"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = selectors.partnerships_visible_to(user).order_by("name")


@login_required
@permission_declared(Access.SIGNED_IN)  # only the user's own tokens, in the user's own partnerships
def token_list(request: AuthedRequest) -> HttpResponse:
    form = TokenForm(request.POST or None, user=request.user)
    made = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _token, made = tokens.token_create(
                by=request.user,
                name=data["name"],
                partnerships=data["partnerships"],
                can_write=data["access"] == "write",
                days=data["days"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            form = TokenForm(user=request.user)
    context = {
        "form": form,
        "made": made,
        "tokens": AccessToken.objects.filter(user=request.user).prefetch_related("partnerships"),
    }
    return render(request, "register/tokens.html", context)


@login_required
@require_POST
@permission_declared(Access.SIGNED_IN)  # only the token's owner: anyone else's is not found
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(AccessToken, pk=pk, user=request.user)
    tokens.token_revoke(by=request.user, token=token)
    messages.success(request, f"The token “{token.name}” no longer works.")
    return redirect("register:token_list")
