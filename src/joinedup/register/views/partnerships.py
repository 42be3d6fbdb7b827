from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse

from joinedup.accounts.http import AuthedRequest
from joinedup.core import selectors as core_selectors
from joinedup.core.choices import AuditVerb
from joinedup.core.http import form_page, paginate
from joinedup.core.permissions import Permission, has_permission, permission_declared, require
from joinedup.core.registry import sections, timeline_for
from joinedup.register import selectors, services
from joinedup.register.choices import PartnershipKind, PartnershipStatus
from joinedup.register.forms import (
    EventForm,
    MembershipChangeForm,
    MembershipEndForm,
    MembershipForm,
    PartnershipForm,
    add_service_errors,
)
from joinedup.register.models import Membership
from joinedup.register.views import representatives as picker
from joinedup.register.views.common import partnership_or_404


@login_required
@permission_declared(Permission.REGISTER_VIEW)
def partnership_list(request: AuthedRequest) -> HttpResponse:
    require(request, Permission.REGISTER_VIEW)
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
@permission_declared(Permission.PARTNERSHIP_VIEW)
def partnership_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
    memberships = selectors.membership_list(user=request.user, partnership=partnership)
    context = {
        "partnership": partnership,
        "current": [m for m in memberships if m.left is None],
        "past": [m for m in memberships if m.left is not None],
        "timeline": timeline_for(user=request.user, partnership=partnership, limit=20),
        "children": selectors.partnerships_visible_to(request.user).filter(parent=partnership),
        "can_edit": has_permission(request.user, Permission.PARTNERSHIP_EDIT, partnership),
        "can_manage_members": has_permission(request.user, Permission.MEMBERSHIP_MANAGE, partnership),
        "can_manage_roles": has_permission(request.user, Permission.ROLE_MANAGE, partnership),
        "can_record_event": has_permission(request.user, Permission.EVENT_RECORD, partnership),
        "can_see_history": has_permission(request.user, Permission.HISTORY_VIEW, partnership),
        "sections": partnership_sections(request, partnership),
    }
    return render(request, "register/partnership_detail.html", context)


@login_required
@permission_declared(Permission.HISTORY_VIEW)
def partnership_history(request: AuthedRequest, pk: int) -> HttpResponse:
    """The partnership's audit record, newest first: every change anyone made to it, its members, agreements
    and surveys, with who made it."""
    partnership = partnership_or_404(request, pk)
    require(request, Permission.HISTORY_VIEW, partnership)
    events = core_selectors.audit_events_of_partnership(partnership_id=partnership.pk)
    context = {"partnership": partnership, "verbs": dict(AuditVerb.choices), **paginate(request, events)}
    return render(request, "register/partnership_history.html", context)


def partnership_sections(request: AuthedRequest, partnership: Any) -> list[dict[str, Any]]:
    """The sections capabilities registered for the partnership page (joinedup.core.registry), each rendered
    from its own selector and template, for the sections the user may see."""
    shown = []
    for section in sections:
        if not has_permission(request.user, section.permission, partnership):
            continue
        context = {
            "partnership": partnership,
            "user": request.user,
            **section.context(user=request.user, partnership=partnership),
        }
        html = render_to_string(section.template, context, request=request)
        shown.append({"key": section.key, "title": section.title, "html": html})
    return shown


@login_required
@permission_declared(Permission.PARTNERSHIP_CREATE)
def partnership_create(request: AuthedRequest) -> HttpResponse:
    require(request, Permission.PARTNERSHIP_CREATE)
    parents = selectors.partnerships_visible_to(request.user)
    form = PartnershipForm(request.POST or None, parents=parents)
    if request.method == "POST" and form.is_valid():
        try:
            partnership = services.partnership_save(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"{partnership.name} created. You are its coordinator: add its members next."
            )
            return redirect(partnership)
    return form_page(
        request,
        form,
        title="Add a partnership",
        submit_label="Create partnership",
        cancel_url=reverse("register:partnership_list"),
    )


@login_required
@permission_declared(Permission.PARTNERSHIP_EDIT)
def partnership_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
    require(request, Permission.PARTNERSHIP_EDIT, partnership)
    parents = selectors.partnerships_visible_to(request.user)
    form = PartnershipForm(request.POST or None, instance=partnership, parents=parents)
    if request.method == "POST" and form.is_valid():
        try:
            services.partnership_save(by=request.user, partnership=partnership, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{partnership.name} saved.")
            return redirect(partnership)
    return form_page(
        request, form, title=f"Edit {partnership.name}", cancel_url=partnership.get_absolute_url()
    )


def _initial_from(data: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """A form's values as posted, to show again unchecked (the no-JavaScript Search button saves nothing)."""
    initial: dict[str, Any] = {name: data.get(name) for name in names if data.get(name)}
    initial["representatives"] = picker.chosen_from(data)
    return initial


@login_required
@permission_declared(Permission.MEMBERSHIP_MANAGE)
def membership_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add a member organisation, choosing its representatives from its people (the picker); the Search
    button (action=search) shows the page again with the organisation's people, saving nothing."""
    partnership = partnership_or_404(request, pk)
    require(request, Permission.MEMBERSHIP_MANAGE, partnership)
    picker_url = reverse("register:representative_picker", args=[partnership.pk])
    form_kwargs: dict[str, Any] = {"user": request.user, "picker_url": picker_url}
    searching = request.method == "POST" and request.POST.get("action") == "search"
    if searching:
        initial = _initial_from(request.POST, ("organisation", "role", "joined"))
        form = MembershipForm(initial=initial, **form_kwargs)
    else:
        initial = {"joined": datetime.date.today(), "organisation": request.GET.get("organisation")}
        form = MembershipForm(request.POST or None, initial=initial, **form_kwargs)
    if request.method == "POST" and not searching and form.is_valid():
        data = form.cleaned_data
        try:
            membership = services.membership_add(
                by=request.user,
                partnership=partnership,
                organisation=data["organisation"],
                role=data["role"],
                joined=data["joined"],
                representatives=list(data["representatives"]),
                record_affiliation=data["record_affiliation"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{membership.organisation.name} added to {partnership.name}.")
            return redirect(f"{partnership.get_absolute_url()}#members")
    data = request.POST if request.method == "POST" else request.GET
    context = {
        "partnership": partnership,
        "form": form,
        **picker.picker_context(
            request,
            partnership=partnership,
            organisation=picker.organisation_from(data),
            chosen=picker.chosen_from(data),
            search=picker.search_text(data),
            field=form["representatives"] if form.is_bound else None,
        ),
    }
    return render(request, "register/membership_add.html", context)


@login_required
@permission_declared(Permission.MEMBERSHIP_MANAGE)
def membership_edit(request: AuthedRequest, pk: int, membership_pk: int) -> HttpResponse:
    """Change a membership, or (with the second form on the page) record that the organisation left."""
    partnership = partnership_or_404(request, pk)
    require(request, Permission.MEMBERSHIP_MANAGE, partnership)
    membership = get_object_or_404(
        Membership.objects.select_related("organisation"), pk=membership_pk, partnership=partnership
    )
    change_form = MembershipChangeForm(
        user=request.user,
        initial={
            "role": membership.role,
            "joined": membership.joined,
            "representatives": [p.pk for p in membership.representatives.all()],
        },
    )
    end_form = MembershipEndForm(initial={"left": datetime.date.today()})
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "end":
        end_form = MembershipEndForm(request.POST)
        if end_form.is_valid():
            try:
                services.membership_end(by=request.user, membership=membership, **end_form.cleaned_data)
            except ValidationError as error:
                add_service_errors(end_form, error)
            else:
                messages.success(request, f"{membership.organisation.name} has left {partnership.name}.")
                return redirect(f"{partnership.get_absolute_url()}#members")
    elif action == "search":
        change_form = MembershipChangeForm(
            user=request.user, initial=_initial_from(request.POST, ("role", "joined"))
        )
    elif action == "change":
        change_form = MembershipChangeForm(request.POST, user=request.user)
        if change_form.is_valid():
            data = change_form.cleaned_data
            try:
                services.membership_update(
                    by=request.user,
                    membership=membership,
                    role=data["role"],
                    joined=data["joined"],
                    representatives=list(data["representatives"]),
                    record_affiliation=data["record_affiliation"],
                )
            except ValidationError as error:
                add_service_errors(change_form, error)
            else:
                messages.success(request, f"{membership.organisation.name}'s membership saved.")
                return redirect(f"{partnership.get_absolute_url()}#members")
    elif action is not None:
        return HttpResponseBadRequest("Unknown action")
    context = {
        "partnership": partnership,
        "membership": membership,
        "change_form": change_form,
        "end_form": end_form,
        **picker.picker_context(
            request,
            partnership=partnership,
            organisation=membership.organisation,
            chosen=change_form.picked_ids(),
            search=picker.search_text(request.POST) if action else "",
            field=change_form["representatives"] if change_form.is_bound else None,
            fixed_organisation=True,
        ),
    }
    return render(request, "register/membership_edit.html", context)


@login_required
@permission_declared(Permission.EVENT_RECORD)
def event_add(request: AuthedRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
    require(request, Permission.EVENT_RECORD, partnership)
    form = EventForm(request.POST or None, partnership=partnership, initial={"date": datetime.date.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.event_record(by=request.user, partnership=partnership, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Event added to the timeline.")
            return redirect(f"{partnership.get_absolute_url()}#timeline")
    return form_page(
        request,
        form,
        title=f"Record an event in {partnership.name}",
        submit_label="Record event",
        cancel_url=f"{partnership.get_absolute_url()}#timeline",
    )
