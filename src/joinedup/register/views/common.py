from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.middleware import HtmxDetails

from joinedup.accounts.models import User
from joinedup.accounts.permissions import Permission, has_permission
from joinedup.register import selectors
from joinedup.register.models import Partnership

PAGE_SIZE = 50


class AuthedRequest(HttpRequest):
    """The request a view behind login_required sees (for the type checker): a signed-in user, htmx details."""

    user: User
    htmx: HtmxDetails


def require(request: HttpRequest, perm: Permission, partnership: Partnership | None = None) -> None:
    """Raise 403 unless the user holds `perm` (in `partnership`, when given)."""
    if not has_permission(request.user, perm, partnership):
        raise PermissionDenied


def partnership_or_404(request: HttpRequest, pk: int) -> Partnership:
    """A partnership the user may see; any other answers 404, so its existence is not revealed."""
    partnership = selectors.partnership_get(user=request.user, pk=pk)
    if partnership is None:
        raise Http404("No such partnership")
    return partnership


def paginate(request: HttpRequest, qs: Any) -> dict[str, Any]:
    page: Page[Any] = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    encoded = query.urlencode()
    return {"page_obj": page, "querystring_without_page": f"{encoded}&" if encoded else ""}


def form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    cancel_url: str,
    submit_label: str = "Save",
    intro: str = "",
) -> HttpResponse:
    """Render a form with the shared NHS.UK form page (errors, if any, in the error summary at the top)."""
    context = {
        "form": form,
        "title": title,
        "cancel_url": cancel_url,
        "submit_label": submit_label,
        "intro": intro,
    }
    return render(request, "core/form_page.html", context)
