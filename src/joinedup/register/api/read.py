"""Register API, reading: partnerships, organisations and people, every endpoint behind has_permission.

Lists page by cursor (core.api_pages). A partnership the caller may not see answers 404, exactly as one that does
not exist.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from joinedup.core.api_pages import CursorPagination
from joinedup.core.permissions import Permission, has_permission, permission_declared
from joinedup.register import selectors
from joinedup.register.models import Organisation
from joinedup.register.schemas import (
    OrganisationDetailOut,
    OrganisationOut,
    PartnershipDetailOut,
    PartnershipOut,
    PersonOut,
)

router = Router(tags=["register"])


def _require(request: HttpRequest, perm: Permission) -> None:
    if not has_permission(request.user, perm):
        raise HttpError(403, "Your account cannot see the register.")


@router.get("/partnerships", response=list[PartnershipOut])
@paginate(CursorPagination)
@permission_declared(Permission.REGISTER_VIEW)
def list_partnerships(request: HttpRequest, search: str = "", status: str = "", kind: str = "") -> Any:
    """The partnerships the caller may see."""
    _require(request, Permission.REGISTER_VIEW)
    return selectors.partnership_list(user=request.user, search=search, status=status, kind=kind)


@router.get("/partnerships/{partnership_id}", response=PartnershipDetailOut)
@permission_declared(Permission.PARTNERSHIP_VIEW)
def get_partnership(request: HttpRequest, partnership_id: int) -> PartnershipDetailOut:
    """One partnership with its members, current and past."""
    partnership = selectors.partnership_get(user=request.user, pk=partnership_id)
    if partnership is None:
        raise Http404("No such partnership")
    memberships = list(selectors.membership_list(user=request.user, partnership=partnership))
    return PartnershipDetailOut.from_model_with_members(partnership, memberships)


@router.get("/organisations", response=list[OrganisationOut])
@paginate(CursorPagination)
@permission_declared(Permission.REGISTER_VIEW)
def list_organisations(request: HttpRequest, search: str = "", sector: str = "", area: str = "") -> Any:
    _require(request, Permission.REGISTER_VIEW)
    return selectors.organisation_list(search=search, sector=sector, area=area)


@router.get("/organisations/{organisation_id}", response=OrganisationDetailOut)
@permission_declared(Permission.REGISTER_VIEW)
def get_organisation(request: HttpRequest, organisation_id: int) -> OrganisationDetailOut:
    _require(request, Permission.REGISTER_VIEW)
    return OrganisationDetailOut.from_model(get_object_or_404(Organisation, pk=organisation_id))


@router.get("/people", response=list[PersonOut])
@paginate(CursorPagination)
@permission_declared(Permission.REGISTER_VIEW)
def list_people(
    request: HttpRequest, search: str = "", profession: str = "", organisation_id: int | None = None
) -> Any:
    _require(request, Permission.REGISTER_VIEW)
    people = selectors.person_list(
        user=request.user, search=search, profession=profession, organisation_id=organisation_id
    )
    return people
