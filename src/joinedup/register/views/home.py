from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from joinedup.core.permissions import Access, permission_declared, place_partnership_ids
from joinedup.core.registry import needs_for, tools
from joinedup.register import selectors


@login_required
@permission_declared(Access.SIGNED_IN)
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in user's home: what needs them, across their partnerships (every app's `needs_sources`),
    most urgent first; then the partnerships they belong to."""
    partnerships = selectors.partnership_list(user=request.user)
    shown = [{"title": t.title, "url": reverse(t.url_name), "description": t.description} for t in tools]
    needs = needs_for(user=request.user, today=timezone.localdate())
    place = len(place_partnership_ids(request.user))
    context = {"partnerships": partnerships, "tools": shown, "needs": needs, "place": place}
    return render(request, "register/home.html", context)
