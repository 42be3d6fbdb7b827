from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from joinedup.accounts.permissions import Permission, has_permission
from joinedup.register import selectors
from joinedup.register.choices import Sector
from joinedup.register.models import Organisation
from joinedup.register.views.common import paginate, require


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    require(request, Permission.REGISTER_VIEW)
    filters = {k: request.GET.get(k, "").strip() for k in ("search", "sector", "area", "status")}
    qs = selectors.organisation_list(**filters)
    context = {
        "filters": filters,
        "sectors": Sector.choices,
        "areas": selectors.organisation_areas(),
        "can_edit": has_permission(request.user, Permission.REGISTER_EDIT),
        "can_import": has_permission(request.user, Permission.REGISTER_IMPORT),
        **paginate(request, qs),
    }
    template = "register/_organisation_results.html" if request.htmx else "register/organisation_list.html"
    return render(request, template, context)


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, Permission.REGISTER_VIEW)
    organisation = get_object_or_404(Organisation, pk=pk)
    visible = selectors.partnerships_visible_to(request.user)
    memberships = (
        organisation.memberships.filter(partnership__in=visible).select_related("partnership").order_by("-joined")
    )
    context = {
        "organisation": organisation,
        "memberships": memberships,
        "people": organisation.affiliations.select_related("person").order_by("person__name"),
        "events": selectors.event_list(organisation=organisation).filter(
            partnership__isnull=True
        ) | selectors.event_list(organisation=organisation).filter(partnership__in=visible),
        "can_edit": has_permission(request.user, Permission.REGISTER_EDIT),
    }
    return render(request, "register/organisation_detail.html", context)


def _todo(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError("being built in this session")


organisation_create = organisation_edit = login_required(_todo)
