"""Agreements API: read-only, behind has_permission. A partnership or agreement the caller may not see
answers 404, exactly as one that does not exist."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Router

from joinedup.agreements import presenters, selectors
from joinedup.agreements.schemas import AgreementDetailOut, AgreementOut
from joinedup.core.permissions import Permission, permission_declared
from joinedup.register import selectors as register_selectors

router = Router(tags=["agreements"])


@router.get("/partnerships/{partnership_id}/agreements", response=list[AgreementOut])
@permission_declared(Permission.PARTNERSHIP_VIEW)
def list_agreements(request: HttpRequest, partnership_id: int) -> list[AgreementOut]:
    """A partnership's agreements with the version in force and their status."""
    partnership = register_selectors.partnership_get(user=request.user, pk=partnership_id)
    if partnership is None:
        raise Http404("No such partnership")
    return [AgreementOut.from_row(row) for row in presenters.agreement_rows(partnership=partnership)]


@router.get("/agreements/{agreement_id}", response=AgreementDetailOut)
@permission_declared(Permission.PARTNERSHIP_VIEW)
def get_agreement(request: HttpRequest, agreement_id: int) -> AgreementDetailOut:
    """One agreement with its version in force and that version's "contract or partnership?" reading."""
    agreement = selectors.agreement_get(user=request.user, pk=agreement_id)
    if agreement is None:
        raise Http404("No such agreement")
    version = selectors.version_in_force(agreement=agreement)
    reading = selectors.version_reading(version=version) if version else None
    unsigned = [o.pk for o in selectors.signing_status(version=version).unsigned] if version else []
    return AgreementDetailOut.build(agreement, version, reading, unsigned)
