"""Spam protection for feedback links without tracking: how many answers can be sent through one form's link,
and from one client, in a window of time. The counters live in Django's cache (as the surveys app's open links
do: `surveys.throttle`); the client is known there only by a keyed hash of its address, for the window's length,
and nothing about it is stored with the answers."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from joinedup.surveys.throttle import _client_key, _count
from joinedup.voice.models import FeedbackForm

WINDOW_SECONDS = 3600
PER_LINK = 200  # answers an hour through one form's link
PER_CLIENT = 5  # answers an hour from one address (a shared tablet in a waiting room may send a few)


def submit_allowed(request: HttpRequest, form: FeedbackForm) -> bool:
    """Count one answer through `form`'s link; False once a limit is reached."""
    window = int(getattr(settings, "FEEDBACK_WINDOW_SECONDS", WINDOW_SECONDS))
    per_link = _count(f"joinedup:feedback:{form.pk}", window)
    per_client = _count(f"joinedup:feedback:{form.pk}:client:{_client_key(request)}", window)
    return per_link <= int(getattr(settings, "FEEDBACK_ANSWERS_PER_LINK", PER_LINK)) and per_client <= int(
        getattr(settings, "FEEDBACK_ANSWERS_PER_CLIENT", PER_CLIENT)
    )
