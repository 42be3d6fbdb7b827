from __future__ import annotations

from django.http import Http404, HttpRequest

from joinedup.agreements import selectors
from joinedup.agreements.models import Agreement, AgreementVersion


def agreement_or_404(request: HttpRequest, pk: int) -> Agreement:
    """An agreement whose partnership the user may see; any other answers 404."""
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    if agreement is None:
        raise Http404("No such agreement")
    return agreement


def version_or_404(agreement: Agreement, number: int) -> AgreementVersion:
    version = selectors.version_get(agreement=agreement, number=number)
    if version is None:
        raise Http404("No such version")
    return version
