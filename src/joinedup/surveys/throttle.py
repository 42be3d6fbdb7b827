"""Throttling of open links: how many responses can be started through a wave's open link, per link and per
client, in a window of time (Django's cache holds the counters; nothing about the client is stored with answers).

The client is the request's address, kept only as a keyed hash inside the cache key, for the length of the window.
With several web processes the cache must be shared (CACHE_URL), or each process counts on its own.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from joinedup.surveys.models import Wave


def _client_key(request: HttpRequest) -> str:
    address = str(request.META.get("REMOTE_ADDR", ""))
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def _count(key: str, window: int) -> int:
    """Add one to a counter that lasts `window` seconds from its first use; return the new count."""
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # it expired between the two calls
        cache.add(key, 1, timeout=window)
        return 1


def open_link_start_allowed(request: HttpRequest, wave: Wave) -> bool:
    """Count one attempt to start a response through `wave`'s open link; False once a limit is reached."""
    window = int(settings.SURVEY_OPEN_LINK_WINDOW_SECONDS)
    per_link = _count(f"joinedup:openlink:{wave.pk}:{wave.open_link_hash[:16]}", window)
    per_client = _count(f"joinedup:openlink:{wave.pk}:client:{_client_key(request)}", window)
    return (
        per_link <= settings.SURVEY_OPEN_LINK_STARTS_PER_LINK
        and per_client <= settings.SURVEY_OPEN_LINK_STARTS_PER_CLIENT
    )
