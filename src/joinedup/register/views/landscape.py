"""The landscape of a place: which organisations sit in which partnerships, who bridges them, who is stretched.

GET /register/landscape/                    every partnership the user may see the landscape of
GET /register/landscape/?partnership=<id>   that partnership and the partnerships within it (at any depth)
GET /register/landscape/?area=<area>        partnerships in that area, or with a current member there

Only partnerships in which the user holds LANDSCAPE_VIEW are shown. The page costs a fixed number of queries
for the data (one for memberships, one for representatives) however many organisations there are; the
permission check costs at most one query per partnership considered.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from joinedup.analysis.landscape import (
    compute_landscape,
    landscape_chart_spec,
)
from joinedup.core.permissions import Access, Permission, has_permission, permission_declared
from joinedup.register import selectors
from joinedup.register.models import Partnership


def _descendants(root: Partnership, partnerships: list[Partnership]) -> list[Partnership]:
    """`root` and every partnership below it, among `partnerships` (the ones the user can see)."""
    children: dict[int | None, list[Partnership]] = {}
    for p in partnerships:
        children.setdefault(p.parent_id, []).append(p)
    found, todo, seen = [], [root], set()
    while todo:
        p = todo.pop()
        if p.pk in seen:
            continue
        seen.add(p.pk)
        found.append(p)
        todo.extend(children.get(p.pk, []))
    return found


def _chosen_partnership(request: HttpRequest, visible: list[Partnership]) -> Partnership | None:
    raw = request.GET.get("partnership", "").strip()
    if not raw:
        return None
    chosen = next((p for p in visible if raw.isdigit() and p.pk == int(raw)), None)
    if chosen is None:
        raise Http404("No such partnership")
    return chosen


def _in_area(partnerships: list[Partnership], area: str) -> list[Partnership]:
    """Partnerships in `area`, or with a current member organisation there (one query)."""
    ids = set(
        Partnership.objects.filter(pk__in=[p.pk for p in partnerships])
        .filter(Q(area=area) | Q(memberships__left__isnull=True, memberships__organisation__area=area))
        .values_list("pk", flat=True)
    )
    return [p for p in partnerships if p.pk in ids]


@login_required
@permission_declared(Access.SIGNED_IN)
def landscape(request: HttpRequest) -> HttpResponse:
    visible = list(selectors.partnerships_visible_to(request.user).order_by("name", "pk"))
    allowed = [p for p in visible if has_permission(request.user, Permission.LANDSCAPE_VIEW, p)]
    allowed_ids = {p.pk for p in allowed}
    chosen = _chosen_partnership(request, visible)
    if chosen is not None and chosen.pk not in allowed_ids:
        raise PermissionDenied
    area = request.GET.get("area", "").strip()

    scope = _descendants(chosen, visible) if chosen is not None else visible
    if area:
        scope = _in_area(scope, area)
    shown = [p for p in scope if p.pk in allowed_ids]

    rows, reps = selectors.landscape_rows(shown, request.user)
    result = compute_landscape(rows, reps)
    areas = sorted(
        set(selectors.organisation_areas()) | {p.area for p in visible if p.area}, key=str.casefold
    )
    context: dict[str, Any] = {
        "chosen": chosen,
        "area": area,
        "areas": areas,
        "partnership_choices": allowed,
        "shown": shown,
        "hidden_count": len(scope) - len(shown),
        "landscape": result,
        "grid_rows": result.grid_rows(),
        "chart_spec": landscape_chart_spec(result),
    }
    return render(request, "register/landscape.html", context)
