from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from joinedup.core.permissions import Access, permission_declared
from joinedup.core.registry import tools
from joinedup.register import selectors


@login_required
@permission_declared(Access.SIGNED_IN)
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in user's home: the partnerships they belong to."""
    partnerships = selectors.partnership_list(user=request.user)
    shown = [{"title": t.title, "url": reverse(t.url_name), "description": t.description} for t in tools]
    return render(request, "register/home.html", {"partnerships": partnerships, "tools": shown})
