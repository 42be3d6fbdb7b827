"""View helpers every app's pages share: pagination and the one form page."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.middleware import HtmxDetails

PAGE_SIZE = 50


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


class ShellRequest(HttpRequest):
    """A request as the shell's views see it (for the type checker): with django-htmx's details."""

    htmx: HtmxDetails
