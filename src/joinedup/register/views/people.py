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
from joinedup.register.choices import Profession
from joinedup.register.forms import AffiliationForm, PersonForm, add_service_errors
from joinedup.register.models import Affiliation
from joinedup.register.people_access import people_visible_to


def _int_or_none(value: str) -> int | None:
    return int(value) if value.isdigit() else None


@login_required
@permission_declared(Permission.REGISTER_VIEW)
def person_list(request: AuthedRequest) -> HttpResponse:
    require(request, Permission.REGISTER_VIEW)
    filters = {k: request.GET.get(k, "").strip() for k in ("search", "profession", "organisation")}
    qs = selectors.person_list(
        user=request.user,
        search=filters["search"],
        profession=filters["profession"],
        organisation_id=_int_or_none(filters["organisation"]),
    )
    context = {
        "filters": filters,
        "professions": Profession.choices,
        "can_edit": has_permission(request.user, Permission.REGISTER_EDIT),
        **paginate(request, qs),
    }
    if request.htmx:
        return render(request, "register/_person_results.html", context)
    context["organisations"] = selectors.organisation_choices()
    return render(request, "register/person_list.html", context)


@login_required
@permission_declared(Permission.REGISTER_VIEW)
def person_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    require(request, Permission.REGISTER_VIEW)
    # service users and carers are not found by those who may not see them (404, as if not there)
    person = get_object_or_404(people_visible_to(request.user), pk=pk)
    context = {
        "person": person,
        "affiliations": selectors.affiliation_list(person=person),
        "representing": selectors.representing_list(person=person, user=request.user),
        "can_edit": has_permission(request.user, Permission.REGISTER_EDIT),
    }
    return render(request, "register/person_detail.html", context)


@login_required
@permission_declared(Permission.REGISTER_EDIT)
def person_create(request: AuthedRequest) -> HttpResponse:
    require(request, Permission.REGISTER_EDIT)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_save(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{person.name} added. Add the organisations they work for below.")
            return redirect(person)
    return form_page(
        request,
        form,
        title="Add a person",
        submit_label="Add person",
        cancel_url=reverse("register:person_list"),
    )


@login_required
@permission_declared(Permission.REGISTER_EDIT)
def person_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    require(request, Permission.REGISTER_EDIT)
    person = get_object_or_404(people_visible_to(request.user), pk=pk)
    form = PersonForm(request.POST or None, instance=person)
    if not getattr(person, "contact_shown", False):  # kept as it is, neither shown nor changed
        del form.fields["email"]
    if request.method == "POST" and form.is_valid():
        try:
            services.person_save(by=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{person.name} saved.")
            return redirect(person)
    return form_page(request, form, title=f"Edit {person.name}", cancel_url=person.get_absolute_url())


@login_required
@permission_declared(Permission.REGISTER_EDIT)
def affiliation_add(request: AuthedRequest, pk: int) -> HttpResponse:
    require(request, Permission.REGISTER_EDIT)
    person = get_object_or_404(people_visible_to(request.user), pk=pk)
    form = AffiliationForm(request.POST or None, initial={"job_title": person.job_title})
    if request.method == "POST" and form.is_valid():
        try:
            affiliation = services.affiliation_save(by=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"{person.name} now shows as working with {affiliation.organisation.name}."
            )
            return redirect(person)
    return form_page(
        request,
        form,
        title=f"Add an organisation {person.name} works with",
        submit_label="Add organisation",
        cancel_url=person.get_absolute_url(),
    )


@login_required
@permission_declared(Permission.REGISTER_EDIT)
def affiliation_edit(request: AuthedRequest, pk: int, affiliation_pk: int) -> HttpResponse:
    """Change an affiliation; setting its end date records that the person no longer works there."""
    require(request, Permission.REGISTER_EDIT)
    affiliation = get_object_or_404(
        Affiliation.objects.select_related("person", "organisation"),
        pk=affiliation_pk,
        person_id=pk,
        person__in=people_visible_to(request.user).values("pk"),
    )
    person = affiliation.person
    form = AffiliationForm(request.POST or None, instance=affiliation)
    if request.method == "POST" and form.is_valid():
        try:
            services.affiliation_save(by=request.user, affiliation=affiliation, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{person.name}'s time with {affiliation.organisation.name} saved.")
            return redirect(person)
    return form_page(
        request,
        form,
        title=f"{person.name} at {affiliation.organisation.name}",
        intro="To record that they no longer work there, enter the date it ended.",
        cancel_url=person.get_absolute_url(),
    )
