from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from joinedup.accounts.permissions import Permission, has_permission
from joinedup.register import selectors
from joinedup.register.choices import PartnershipKind, PartnershipStatus
from joinedup.register.views.common import paginate, partnership_or_404


@login_required
def partnership_list(request: HttpRequest) -> HttpResponse:
    filters = {k: request.GET.get(k, "").strip() for k in ("search", "status", "kind")}
    qs = selectors.partnership_list(user=request.user, **filters)
    context = {
        "filters": filters,
        "statuses": PartnershipStatus.choices,
        "kinds": PartnershipKind.choices,
        "can_create": has_permission(request.user, Permission.PARTNERSHIP_CREATE),
        **paginate(request, qs),
    }
    template = "register/_partnership_results.html" if request.htmx else "register/partnership_list.html"
    return render(request, template, context)


@login_required
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
    memberships = selectors.membership_list(partnership=partnership)
    context = {
        "partnership": partnership,
        "current": [m for m in memberships if m.left is None],
        "past": [m for m in memberships if m.left is not None],
        "events": selectors.event_list(partnership=partnership)[:20],
        "children": selectors.partnerships_visible_to(request.user).filter(parent=partnership),
        "can_edit": has_permission(request.user, Permission.PARTNERSHIP_EDIT, partnership),
        "can_manage_members": has_permission(request.user, Permission.MEMBERSHIP_MANAGE, partnership),
        "can_record_event": has_permission(request.user, Permission.EVENT_RECORD, partnership),
    }
    return render(request, "register/partnership_detail.html", context)


def _todo(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError("being built in this session")


partnership_create = partnership_edit = membership_add = membership_edit = event_add = login_required(_todo)
