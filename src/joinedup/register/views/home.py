from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from joinedup.core.permissions import Access, permission_declared
from joinedup.register import selectors


@login_required
@permission_declared(Access.SIGNED_IN)
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in user's home: the partnerships they belong to."""
    partnerships = selectors.partnership_list(user=request.user)
    return render(request, "core/home.html", {"partnerships": partnerships})
