from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from joinedup.accounts.http import AuthedRequest
from joinedup.core.http import form_page, paginate
from joinedup.core.permissions import Permission, has_permission, permission_declared, require
from joinedup.register import selectors, services
from joinedup.register.choices import PROTECTED_SECTORS, Sector
from joinedup.register.forms import OrganisationForm, add_service_errors
from joinedup.register.models import Organisation
from joinedup.register.people_access import people_visible_to


@login_required
@permission_declared(Permission.REGISTER_VIEW)
def organisation_list(request: AuthedRequest) -> HttpResponse:
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
@permission_declared(Permission.REGISTER_VIEW)
def organisation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    require(request, Permission.REGISTER_VIEW)
    organisation = get_object_or_404(Organisation, pk=pk)
    visible = selectors.partnerships_visible_to(request.user)
    memberships = (
        organisation.memberships.filter(partnership__in=visible)
        .select_related("partnership")
        .order_by("-joined")
    )
    context = {
        "organisation": organisation,
        "memberships": memberships,
        "people": organisation.affiliations.filter(person__in=people_visible_to(request.user).values("pk"))
        .select_related("person")
        .order_by("person__name"),
        "people_protected": organisation.sector in PROTECTED_SECTORS,
        "events": selectors.event_list(organisation=organisation).filter(partnership__isnull=True)
        | selectors.event_list(organisation=organisation).filter(partnership__in=visible),
        "can_edit": has_permission(request.user, Permission.REGISTER_EDIT),
    }
    return render(request, "register/organisation_detail.html", context)


@login_required
@permission_declared(Permission.REGISTER_EDIT)
def organisation_create(request: AuthedRequest) -> HttpResponse:
    require(request, Permission.REGISTER_EDIT)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_save(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{organisation.name} added to the register.")
            return redirect(organisation)
    return form_page(
        request,
        form,
        title="Add an organisation",
        submit_label="Add organisation",
        cancel_url=reverse("register:organisation_list"),
    )


@login_required
@permission_declared(Permission.REGISTER_EDIT)
def organisation_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    require(request, Permission.REGISTER_EDIT)
    organisation = get_object_or_404(Organisation, pk=pk)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_save(by=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{organisation.name} saved.")
            return redirect(organisation)
    return form_page(
        request, form, title=f"Edit {organisation.name}", cancel_url=organisation.get_absolute_url()
    )
