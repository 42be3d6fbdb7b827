from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from joinedup.accounts.models import User


class AuthedRequest(HttpRequest):
    """The request a view behind login_required sees (for the type checker): a signed-in user, htmx details."""

    user: User
    htmx: HtmxDetails
