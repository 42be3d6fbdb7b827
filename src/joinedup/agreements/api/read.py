"""Agreements API, reading: agreements and their versions, behind has_permission. A partnership, agreement or
version the caller may not see answers 404, exactly as one that does not exist."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router
from ninja.pagination import paginate

from joinedup.agreements import presenters, selectors
from joinedup.agreements.models import Agreement, AgreementVersion
from joinedup.agreements.schemas import AgreementDetailOut, AgreementOut, VersionOut, VersionSummaryOut
from joinedup.core.api_pages import CursorPagination
from joinedup.core.permissions import Permission, permission_declared
from joinedup.register import selectors as register_selectors

router = Router(tags=["agreements"])


@router.get("/partnerships/{partnership_id}/agreements", response=list[AgreementOut])
@paginate(CursorPagination)
@permission_declared(Permission.PARTNERSHIP_VIEW)
def list_agreements(request: HttpRequest, partnership_id: int) -> Any:
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


def agreement_or_404(request: HttpRequest, agreement_id: int) -> Agreement:
    agreement = selectors.agreement_get(user=request.user, pk=agreement_id)
    if agreement is None:
        raise Http404("No such agreement")
    return agreement


def version_or_404(request: HttpRequest, agreement_id: int, number: int) -> AgreementVersion:
    """A version (clauses, contributions, signatures and positions loaded) of an agreement the caller may see."""
    version = selectors.version_get(agreement=agreement_or_404(request, agreement_id), number=number)
    if version is None:
        raise Http404("No such version")
    return version


@router.get("/agreements/{agreement_id}/versions", response=list[VersionSummaryOut])
@paginate(CursorPagination, descending=True)
@permission_declared(Permission.PARTNERSHIP_VIEW)
def list_versions(request: HttpRequest, agreement_id: int) -> Any:
    """Every version of the agreement, the newest first: drafts, proposals, in force, superseded, withdrawn."""
    return selectors.version_list(agreement=agreement_or_404(request, agreement_id))


@router.get("/agreements/{agreement_id}/versions/{number}", response=VersionOut)
@permission_declared(Permission.PARTNERSHIP_VIEW)
def get_version(request: HttpRequest, agreement_id: int, number: int) -> VersionOut:
    """One version with its clauses, contributions and signatures, and its `content_hash`: send that hash back
    to sign it (a version changed since you read it is refused)."""
    return VersionOut.from_model(version_or_404(request, agreement_id, number))
