"""Meeting pages: the list with attendance rates, a meeting, its minutes, and recording it (details, agenda
items, papers, attendance in one table, the quorum rule)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from joinedup.accounts.http import AuthedRequest
from joinedup.core.http import form_page
from joinedup.core.permissions import Permission, has_permission, permission_declared, require
from joinedup.governance import selectors, services
from joinedup.governance.choices import ATTENDANCE_RATE_DEFAULT
from joinedup.governance.forms import (
    EXTRA_ATTENDANCE_ROWS,
    AgendaItemForm,
    AttendanceFormSet,
    MeetingEditForm,
    MeetingForm,
    PaperForm,
    QuorumRuleForm,
)
from joinedup.governance.models import AgendaItem, Meeting
from joinedup.register.forms import add_service_errors
from joinedup.register.models import Organisation
from joinedup.register.views.common import partnership_or_404

RATE_CHOICES = (3, 6, 10, 12)


def meeting_or_404(request: AuthedRequest, pk: int) -> Meeting:
    """A meeting of a partnership the user may see; any other answers 404."""
    meeting = selectors.meeting_get(pk=pk)
    if meeting is None:
        raise Http404("No such meeting")
    meeting.partnership = partnership_or_404(request, meeting.partnership_id)
    return meeting


@login_required
@permission_declared(Permission.PARTNERSHIP_VIEW)
def meeting_list(request: AuthedRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
    try:
        last = int(request.GET.get("last", ATTENDANCE_RATE_DEFAULT))
    except ValueError:
        last = ATTENDANCE_RATE_DEFAULT
    last = last if last in RATE_CHOICES else ATTENDANCE_RATE_DEFAULT
    counted, rates = selectors.attendance_rates(partnership=partnership, last=last)
    context = {
        "partnership": partnership,
        "meetings": selectors.meeting_list(partnership=partnership),
        "rates": rates,
        "rate_meetings": counted,
        "last": last,
        "rate_choices": RATE_CHOICES,
        "rule": selectors.quorum_rule(partnership_id=partnership.pk),
        "can_record": has_permission(request.user, Permission.GOVERNANCE_RECORD, partnership),
    }
    return render(request, "governance/meeting_list.html", context)


def _record_context(request: AuthedRequest, meeting: Meeting) -> dict[str, Any]:
    record = selectors.meeting_record(user=request.user, meeting=meeting, today=timezone.localdate())
    return {
        "partnership": meeting.partnership,
        "meeting": meeting,
        "record": record,
        "can_record": has_permission(request.user, Permission.GOVERNANCE_RECORD, meeting.partnership),
    }


@login_required
@permission_declared(Permission.PARTNERSHIP_VIEW)
def meeting_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk)
    return render(request, "governance/meeting_detail.html", _record_context(request, meeting))


@login_required
@permission_declared(Permission.PARTNERSHIP_VIEW)
def meeting_minutes(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk)
    return render(request, "governance/minutes.html", _record_context(request, meeting))


@login_required
@permission_declared(Permission.GOVERNANCE_RECORD)
def meeting_create(request: AuthedRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
    require(request, Permission.GOVERNANCE_RECORD, partnership)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_save(by=request.user, partnership=partnership, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{meeting.title} scheduled. Add its agenda items and papers below.")
            return redirect(meeting.get_absolute_url())
    return form_page(
        request,
        form,
        title=f"Schedule a meeting of {partnership.name}",
        submit_label="Schedule meeting",
        cancel_url=reverse("governance:meetings", args=[partnership.pk]),
    )


@login_required
@permission_declared(Permission.GOVERNANCE_RECORD)
def meeting_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk)
    require(request, Permission.GOVERNANCE_RECORD, meeting.partnership)
    initial = {f: getattr(meeting, f) for f in ("title", "kind", "start", "end", "place", "online")}
    initial["state"] = meeting.state
    form = MeetingEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_save(by=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Meeting saved.")
            return redirect(meeting.get_absolute_url())
    return form_page(
        request,
        form,
        title=f"Change {meeting.title}",
        cancel_url=meeting.get_absolute_url(),
        submit_label="Save meeting",
    )


@login_required
@permission_declared(Permission.GOVERNANCE_RECORD)
def item_add(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk)
    require(request, Permission.GOVERNANCE_RECORD, meeting.partnership)
    item_pk = request.GET.get("item") or request.POST.get("item_pk")
    item = (
        AgendaItem.objects.filter(meeting=meeting, pk=item_pk).first()
        if item_pk and item_pk.isdigit()
        else None
    )
    following = (max((i.number for i in meeting.items.all()), default=0)) + 1
    initial = (
        {"number": item.number, "title": item.title, "is_private": item.is_private, "note": item.note}
        if item
        else {"number": following}
    )
    form = AgendaItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_save(by=request.user, meeting=meeting, item=item, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Agenda item saved.")
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "governance/item_form.html",
        {"form": form, "meeting": meeting, "item": item, "partnership": meeting.partnership},
    )


@login_required
@permission_declared(Permission.GOVERNANCE_RECORD)
def paper_add(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk)
    require(request, Permission.GOVERNANCE_RECORD, meeting.partnership)
    form = PaperForm(
        request.POST or None, request.FILES or None, items=AgendaItem.objects.filter(meeting=meeting)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.paper_add(
                by=request.user,
                meeting=meeting,
                upload=data["file"],
                title=data["title"],
                item=data["item"],
                is_private=data["is_private"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Paper added.")
            return redirect(meeting.get_absolute_url())
    return form_page(
        request,
        form,
        title=f"Add a paper to {meeting.title}",
        cancel_url=meeting.get_absolute_url(),
        submit_label="Add paper",
    )


@login_required
@permission_declared(Permission.PARTNERSHIP_VIEW)
def paper_download(request: AuthedRequest, pk: int) -> HttpResponse:
    paper = selectors.paper_get(user=request.user, pk=pk)
    if paper is None:
        raise Http404("No such paper")
    partnership_or_404(request, paper.meeting.partnership_id)
    if paper.private and not selectors.sees_private(request.user, paper.meeting.partnership):
        raise Http404("No such paper")
    try:  # papers are at most PAPER_MAX_BYTES, so read whole: the file is closed before the response goes
        with paper.file.open("rb") as handle:
            data = handle.read()
    except FileNotFoundError as missing:
        raise Http404("The file of this paper is missing") from missing
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, paper.filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _attendance_initial(meeting: Meeting) -> tuple[list[dict[str, Any]], Any]:
    members = selectors.members_on(
        partnership_id=meeting.partnership_id, on=timezone.localdate(meeting.start), representatives=True
    )
    organisations = Organisation.objects.filter(pk__in=[m.organisation_id for m in members]).order_by("name")
    existing = list(meeting.attendance.select_related("organisation").order_by("organisation__name", "name"))
    rows: list[dict[str, Any]] = []
    if existing:
        rows = [
            {
                "organisation": a.organisation,
                "name": a.name,
                "status": a.status,
                "substitute_for": a.substitute_for,
            }
            for a in existing
        ]
        recorded = {a.organisation_id for a in existing}
        rows += [{"organisation": m.organisation} for m in members if m.organisation_id not in recorded]
    else:
        reps = {m.pk: [p.name for p in m.representatives.all()] for m in members}
        for m in members:
            names = reps[m.pk] or [""]
            rows += [{"organisation": m.organisation, "name": n} for n in names[:2]]
    rows += [{} for _ in range(EXTRA_ATTENDANCE_ROWS)]
    return rows, organisations


@login_required
@permission_declared(Permission.GOVERNANCE_RECORD)
def attendance_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Everyone's attendance in one table: a row per representative of each member organisation, and spare
    rows for substitutes and people in attendance."""
    meeting = meeting_or_404(request, pk)
    require(request, Permission.GOVERNANCE_RECORD, meeting.partnership)
    initial, organisations = _attendance_initial(meeting)
    choices = [("", "Choose an organisation"), *((o.pk, o.name) for o in organisations)]
    kwargs = {"form_kwargs": {"organisations": organisations, "choices": choices}, "prefix": "att"}
    formset = (
        AttendanceFormSet(request.POST, **kwargs)  # type: ignore[arg-type]
        if request.method == "POST"
        else AttendanceFormSet(initial=initial, **kwargs)  # type: ignore[arg-type]
    )
    problems: list[str] = []
    if request.method == "POST" and formset.is_valid():
        rows = [
            services.AttendanceRow(
                organisation=f.cleaned_data["organisation"],
                status=f.cleaned_data["status"],
                name=f.cleaned_data.get("name", ""),
                substitute_for=f.cleaned_data.get("substitute_for", ""),
            )
            for f in formset.forms
            if f.cleaned_data.get("status")
        ]
        try:
            services.attendance_record(by=request.user, meeting=meeting, rows=rows)
        except ValidationError as error:
            problems = list(error.messages)
        else:
            messages.success(request, f"Attendance recorded: {len(rows)} people.")
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "governance/attendance_form.html",
        {"meeting": meeting, "partnership": meeting.partnership, "formset": formset, "problems": problems},
    )


@login_required
@permission_declared(Permission.GOVERNANCE_RECORD)
def quorum_rule_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
    require(request, Permission.GOVERNANCE_RECORD, partnership)
    rule = selectors.quorum_rule(partnership_id=partnership.pk)
    initial: dict[str, Any] = {}
    if rule is not None:
        initial = {
            "min_count": rule.min_count,
            "min_share_percent": rule.min_share_percent,
            "source": rule.source,
        }
        initial.update({f"sector_{c['sector']}": c["minimum"] for c in rule.constituencies})
    form = QuorumRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.quorum_rule_save(
                by=request.user,
                partnership=partnership,
                min_count=data["min_count"],
                min_share_percent=data["min_share_percent"],
                constituencies=form.constituencies(),
                source=data["source"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Quorum rule saved. It applies to decisions recorded from now on.")
            return redirect(reverse("governance:meetings", args=[partnership.pk]))
    return form_page(
        request,
        form,
        title=f"Quorum rule of {partnership.name}",
        intro=(
            "A meeting is quorate when every part of the rule is met. Only voting members count (leads, hosts and "
            "members, not associates or observers); someone present, present online or standing in as a "
            "substitute counts for their organisation; someone in attendance does not. Leave a box empty to "
            "leave that part out."
        ),
        cancel_url=reverse("governance:meetings", args=[partnership.pk]),
        submit_label="Save rule",
    )
