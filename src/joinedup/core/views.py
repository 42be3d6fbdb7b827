from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from joinedup.register import selectors


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: answers without touching the database or anything slow."""
    return HttpResponse("ok", content_type="text/plain")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    partnerships = selectors.partnership_list(user=request.user)
    return render(request, "core/home.html", {"partnerships": partnerships})
