"""The place page: for a system leader (or the coordinator of a partnership with partnerships under it), every
partnership in their place, its current members and links to its published results. Read-only.

GET /register/place/
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from joinedup.accounts.http import AuthedRequest
from joinedup.core.permissions import Access, permission_declared
from joinedup.core.registry import place_results_for
from joinedup.register import selectors


@login_required
@permission_declared(Access.SIGNED_IN)
def place(request: AuthedRequest) -> HttpResponse:
    """Any signed-in user gets the page; it lists only the partnerships their place role reaches."""
    tree = selectors.place_partnerships(user=request.user)
    partnerships = [p for p, _depth in tree]
    results = place_results_for(user=request.user, partnerships=partnerships)
    rows = [
        {
            "partnership": p,
            "depth": depth,
            "members": p.current_members,  # type: ignore[attr-defined]
            "results": results.get(p.pk, []),
        }
        for p, depth in tree
    ]
    return render(
        request, "register/place.html", {"rows": rows, "places": sum(1 for r in rows if not r["depth"])}
    )
