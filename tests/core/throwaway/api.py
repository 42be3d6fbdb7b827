from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from joinedup.core.permissions import Permission, has_permission, permission_declared
from joinedup.register.models import Partnership

router = Router(tags=["throwaway"])


class CountOut(Schema):
    partnership: int
    seedlings: int


@router.get("/partnerships/{partnership_id}/seedlings", response=CountOut)
@permission_declared(Permission.PARTNERSHIP_VIEW)
def seedlings(request: HttpRequest, partnership_id: int) -> Any:
    """How many seedlings the partnership has planted (always 3: this app exists only in a test)."""
    partnership = Partnership.objects.filter(pk=partnership_id).first()
    if partnership is None or not has_permission(request.user, Permission.PARTNERSHIP_VIEW, partnership):
        raise Http404("No such partnership")
    return {"partnership": partnership.pk, "seedlings": 3}
