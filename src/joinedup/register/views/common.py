from __future__ import annotations

from django.http import Http404, HttpRequest

from joinedup.register import selectors
from joinedup.register.models import Partnership


def partnership_or_404(request: HttpRequest, pk: int) -> Partnership:
    """A partnership the user may see; any other answers 404, so its existence is not revealed."""
    partnership = selectors.partnership_get(user=request.user, pk=pk)
    if partnership is None:
        raise Http404("No such partnership")
    return partnership
