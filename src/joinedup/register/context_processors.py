from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from joinedup.register.selectors import partnerships_for_header


def shell(request: HttpRequest) -> dict[str, Any]:
    """The header's list of the partnerships the signed-in user belongs to; whether this is the demo (the footer
    then links to the demo mailbox)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"my_partnerships": [], "demo_mode": settings.DEMO}
    return {"my_partnerships": partnerships_for_header(user), "demo_mode": settings.DEMO}
