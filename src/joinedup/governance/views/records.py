"""Decisions (recorded with their votes, declarations and actions on one page), actions and disputes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from joinedup.accounts.http import AuthedRequest
from joinedup.core.http import form_page
from joinedup.core.permissions import Permission, has_permission, permission_declared, require
from joinedup.governance import selectors, services
from joinedup.governance.choices import ActionStatus
from joinedup.governance.forms import ActionForm, DecisionForm, DecisionWordsForm, DisputeForm
from joinedup.governance.models import AgendaItem, Meeting
from joinedup.governance.views.meetings import meeting_or_404
from joinedup.register.forms import add_service_errors
from joinedup.register.views.common import partnership_or_404


@login_required
@permission_declared(Permission.GOVERNANCE_RECORD)
def decision_create(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk)
    require(request, Permission.GOVERNANCE_RECORD, meeting.partnership)
    day = timezone.localdate(meeting.start)
    voting = selectors.voting_members(partnership_id=meeting.partnership_id, on=day)
    members = selectors.members_on(partnership_id=meeting.partnership_id, on=day)
    form = DecisionForm(
        request.POST or None,
        items=AgendaItem.objects.filter(meeting=meeting),
        voting=voting,
        members=members,
        initial={"method": "consensus", "item": request.GET.get("item")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.decision_record(
                by=request.user,
                meeting=meeting,
                title=data["title"],
                text=data["text"],
                reasons=data["reasons"],
                options_rejected=data["options_rejected"],
                method=data["method"],
                item=data["item"],
                votes=form.votes(),
                declarations=form.declarations(),
                actions=[services.ActionSpec(**a) for a in form.action_data()],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            note = (
                " It was taken while the meeting was not quorate, and is marked so."
                if decision.inquorate
                else ""
            )
            messages.success(request, f"Decision recorded.{note}")
            return redirect(decision.get_absolute_url())
    quorum = selectors.meeting_quorum(meeting=meeting)
    context = {"form": form, "meeting": meeting, "partnership": meeting.partnership, "quorum": quorum}
    return render(request, "governance/decision_form.html", context)


@login_required
@permission_declared(Permission.PARTNERSHIP_VIEW)
def decision_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk)
    if decision is None:
        raise Http404("No such decision")
    partnership = partnership_or_404(request, decision.meeting.partnership_id)
    actions = [
        selectors.mark_overdue(a, timezone.localdate())
        for a in selectors.action_queryset(user=request.user, partnership=partnership).filter(
            decision=decision
        )
    ]
    context = {
        "decision": decision,
        "partnership": partnership,
        "meeting": decision.meeting,
        "actions": actions,
    }
    return render(request, "governance/decision_detail.html", context)


@login_required
@permission_declared(Permission.GOVERNANCE_RECORD)
def decision_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk)
    if decision is None:
        raise Http404("No such decision")
    partnership = partnership_or_404(request, decision.meeting.partnership_id)
    require(request, Permission.GOVERNANCE_RECORD, partnership)
    fields = ("title", "text", "reasons", "options_rejected")
    form = DecisionWordsForm(request.POST or None, initial={f: getattr(decision, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_update(by=request.user, decision=decision, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Decision corrected.")
            return redirect(decision.get_absolute_url())
    return form_page(
        request,
        form,
        title=f"Correct the decision: {decision.title}",
        intro="Correct the words as minuted. How it was decided, the votes and the quorum stay as recorded.",
        cancel_url=decision.get_absolute_url(),
        submit_label="Save",
    )


@login_required
@permission_declared(Permission.PARTNERSHIP_VIEW)
def decision_list(request: AuthedRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
    context = {
        "partnership": partnership,
        "decisions": selectors.decision_list(user=request.user, partnership=partnership),
    }
    return render(request, "governance/decision_list.html", context)


# ---- actions ------------------------------------------------------------------------------------------------


@login_required
@permission_declared(Permission.PARTNERSHIP_VIEW)
def action_list(request: AuthedRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
    status = request.GET.get("status", "open")
    if status not in {"open", "", *ActionStatus.values}:
        status = "open"
    actions = selectors.action_list(
        user=request.user, partnership=partnership, today=timezone.localdate(), status=status
    )
    context = {
        "partnership": partnership,
        "actions": actions,
        "overdue": sum(1 for a in actions if a.overdue),
        "status": status,
        "statuses": [("open", "Open or in progress"), *ActionStatus.choices, ("", "All")],
        "can_record": has_permission(request.user, Permission.GOVERNANCE_RECORD, partnership),
    }
    return render(request, "governance/action_list.html", context)


def _action_form_page(request: AuthedRequest, partnership: Any, action: Any = None) -> HttpResponse:
    members = selectors.members_on(partnership_id=partnership.pk, on=timezone.localdate())
    initial = (
        {
            f: getattr(action, f)
            for f in ("title", "owner_organisation", "owner_person", "due", "status", "completed", "meeting")
        }
        if action
        else {"status": ActionStatus.OPEN, "meeting": request.GET.get("meeting")}
    )
    meetings = Meeting.objects.filter(partnership=partnership).order_by("-start")
    form = ActionForm(request.POST or None, initial=initial, members=members, meetings=meetings)
    if request.method == "POST" and form.is_valid():
        try:
            if action is None:
                saved = services.action_save(by=request.user, partnership=partnership, **form.cleaned_data)
            else:
                saved = services.action_save(by=request.user, action=action, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Action saved.")
            return redirect(saved.get_absolute_url())
    back = action.get_absolute_url() if action else reverse("governance:actions", args=[partnership.pk])
    return form_page(
        request,
        form,
        title=f"Change the action: {action.title}" if action else f"Add an action for {partnership.name}",
        cancel_url=back,
        submit_label="Save action",
    )


@login_required
@permission_declared(Permission.GOVERNANCE_RECORD)
def action_create(request: AuthedRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
    require(request, Permission.GOVERNANCE_RECORD, partnership)
    return _action_form_page(request, partnership)


def _action_or_404(request: AuthedRequest, pk: int) -> Any:
    action = selectors.action_get(user=request.user, pk=pk)
    if action is None:
        raise Http404("No such action")
    action.partnership = partnership_or_404(request, action.partnership_id)
    return selectors.mark_overdue(action, timezone.localdate())


@login_required
@permission_declared(Permission.PARTNERSHIP_VIEW)
def action_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    action = _action_or_404(request, pk)
    context = {
        "action": action,
        "partnership": action.partnership,
        "can_record": has_permission(request.user, Permission.GOVERNANCE_RECORD, action.partnership),
    }
    return render(request, "governance/action_detail.html", context)


@login_required
@permission_declared(Permission.GOVERNANCE_RECORD)
def action_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    action = _action_or_404(request, pk)
    require(request, Permission.GOVERNANCE_RECORD, action.partnership)
    return _action_form_page(request, action.partnership, action)


# ---- disputes -----------------------------------------------------------------------------------------------


@login_required
@permission_declared(Permission.PARTNERSHIP_VIEW)
def dispute_list(request: AuthedRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
    context = {
        "partnership": partnership,
        "disputes": selectors.dispute_list(partnership=partnership),
        "can_record": has_permission(request.user, Permission.GOVERNANCE_RECORD, partnership),
    }
    return render(request, "governance/dispute_list.html", context)


def _dispute_form_page(request: AuthedRequest, partnership: Any, dispute: Any = None) -> HttpResponse:
    members = selectors.members_on(partnership_id=partnership.pk, on=timezone.localdate())
    fields = ("topic", "description", "raised_by", "status", "escalation_step", "raised_on", "closed_on")
    initial: dict[str, Any] = (
        {**{f: getattr(dispute, f) for f in fields}, "partners": list(dispute.partners.all())}
        if dispute
        else {"raised_on": timezone.localdate()}
    )
    form = DisputeForm(request.POST or None, initial=initial, members=members)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        partners = data.pop("partners")
        try:
            if dispute is None:
                saved = services.dispute_save(
                    by=request.user, partnership=partnership, partners=partners, **data
                )
            else:
                saved = services.dispute_save(by=request.user, dispute=dispute, partners=partners, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Dispute saved.")
            return redirect(saved.get_absolute_url())
    back = dispute.get_absolute_url() if dispute else reverse("governance:disputes", args=[partnership.pk])
    return form_page(
        request,
        form,
        title=f"Change: {dispute.topic}" if dispute else f"Log a dispute or tension in {partnership.name}",
        intro=(
            "Follow the disputes clause of your agreement: note each step taken. Moving a dispute to escalated "
            "needs the step quoted."
        ),
        cancel_url=back,
        submit_label="Save",
    )


@login_required
@permission_declared(Permission.GOVERNANCE_RECORD)
def dispute_create(request: AuthedRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
    require(request, Permission.GOVERNANCE_RECORD, partnership)
    return _dispute_form_page(request, partnership)


def _dispute_or_404(request: AuthedRequest, pk: int) -> Any:
    dispute = selectors.dispute_get(pk=pk)
    if dispute is None:
        raise Http404("No such dispute")
    dispute.partnership = partnership_or_404(request, dispute.partnership_id)
    return dispute


@login_required
@permission_declared(Permission.PARTNERSHIP_VIEW)
def dispute_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    dispute = _dispute_or_404(request, pk)
    context = {
        "dispute": dispute,
        "partnership": dispute.partnership,
        "can_record": has_permission(request.user, Permission.GOVERNANCE_RECORD, dispute.partnership),
    }
    return render(request, "governance/dispute_detail.html", context)


@login_required
@permission_declared(Permission.GOVERNANCE_RECORD)
def dispute_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    dispute = _dispute_or_404(request, pk)
    require(request, Permission.GOVERNANCE_RECORD, dispute.partnership)
    return _dispute_form_page(request, dispute.partnership, dispute)
