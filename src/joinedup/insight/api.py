"""Insight API: a partnership's flags as its health page shows them (network-based evidence only for those who
may see the network). A partnership the caller may not see answers 404. The flags are one set, worked out after
each write: not a list to page through."""

from django.http import Http404, HttpRequest
from ninja import Router

from joinedup.core.permissions import Permission, permission_declared
from joinedup.insight import selectors
from joinedup.insight.schemas import FlagOut, FlagSetOut
from joinedup.register import selectors as register_selectors

router = Router(tags=["insight"])


@router.get("/partnerships/{partnership_id}/flags", response=FlagSetOut)
@permission_declared(Permission.PARTNERSHIP_VIEW)
def partnership_flags(request: HttpRequest, partnership_id: int) -> FlagSetOut:
    """The flags raised for the partnership (empty until they are first worked out)."""
    partnership = register_selectors.partnership_get(user=request.user, pk=partnership_id)
    if partnership is None:
        raise Http404("No such partnership")
    flag_set = selectors.flag_set_get(partnership=partnership)
    flags = (
        selectors.flags_visible(flag_set.flags, user=request.user, partnership=partnership)
        if flag_set
        else []
    )
    return FlagSetOut(
        partnership_id=partnership.pk,
        computed_at=flag_set.computed_at if flag_set else None,
        flags=[
            FlagOut(
                code=f["code"],
                severity=f["severity"],
                title=f["title"],
                action=f.get("action", ""),
                source=f.get("source", ""),
                evidence=f.get("evidence", {}),
            )
            for f in flags
        ],
    )
