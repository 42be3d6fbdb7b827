"""Register API: read-only lists for now, every one behind has_permission."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from joinedup.accounts.permissions import Permission, has_permission
from joinedup.register import selectors
from joinedup.register.schemas import OrganisationOut, PartnershipOut

router = Router(tags=["register"])


@router.get("/partnerships", response=list[PartnershipOut])
def list_partnerships(request: HttpRequest) -> list[PartnershipOut]:
    return [PartnershipOut.from_model(p) for p in selectors.partnership_list(user=request.user)]


@router.get("/organisations", response={200: list[OrganisationOut], 403: dict})
def list_organisations(request: HttpRequest, search: str = "", sector: str = ""):  # type: ignore[no-untyped-def]
    if not has_permission(request.user, Permission.REGISTER_VIEW):
        return 403, {"detail": "You cannot see the register."}
    qs = selectors.organisation_list(search=search, sector=sector)[:1000]
    return 200, [OrganisationOut.from_model(o) for o in qs]
