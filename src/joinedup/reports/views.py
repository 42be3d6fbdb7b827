"""The reports pages: asking for a review pack (queued as a background job; its progress page links to the
download), downloading it (EXPORT, through has_permission, checked again at download time), and a meeting's
minutes as a PDF.

A pack is built and laid out in the worker, never in the request. The minutes PDF is one meeting's record,
small like the feedback poster, so it is made while the request waits."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

from joinedup.accounts.http import AuthedRequest
from joinedup.core.choices import JobStatus
from joinedup.core.permissions import Permission, permission_declared, require
from joinedup.core.selectors import job_for_user
from joinedup.governance import selectors as governance_selectors
from joinedup.governance.choices import MeetingState
from joinedup.governance.views.meetings import meeting_or_404
from joinedup.register.views.common import partnership_or_404
from joinedup.reports import render as pack_render
from joinedup.reports import services
from joinedup.reports.choices import FORMATS
from joinedup.reports.forms import PackForm
from joinedup.reports.jobs import pack_filename
from joinedup.reports.selectors import pack_job_get, pack_members

MINUTES_CSS = Path(governance_selectors.__file__).parent / "static" / "governance"


@login_required
@permission_declared(Permission.EXPORT)
@require_http_methods(["GET", "POST"])
def pack_form(request: AuthedRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
    require(request, Permission.EXPORT, partnership)
    form = PackForm(request.POST or None, members=list(pack_members(partnership=partnership)))
    if request.method == "POST" and form.is_valid():
        job = services.pack_request(
            by=request.user,
            partnership=partnership,
            organisation=form.organisation(),
            kind=form.cleaned_data["format"],
        )
        return redirect("core:job", job.pk)
    held = governance_selectors.meeting_list(partnership=partnership).filter(state=MeetingState.HELD)
    return render(
        request, "reports/pack_form.html", {"partnership": partnership, "form": form, "meetings": held[:12]}
    )


@login_required
@permission_declared(Permission.EXPORT)
def pack_download(request: AuthedRequest, pk: uuid.UUID) -> HttpResponse:
    """The file of a pack its requester asked for, while they may still take the partnership's figures away:
    404 for a partnership they cannot see or someone else's pack, 403 without EXPORT."""
    found = pack_job_get(pk=str(pk))
    if found is None or found.partnership_id is None:
        raise Http404("No such pack")
    require(request, Permission.EXPORT, partnership_or_404(request, found.partnership_id))
    job = job_for_user(user=request.user, pk=str(pk))
    if job.status != JobStatus.DONE or job.payload is None:
        raise Http404("This pack is not ready")
    kind = str(job.params.get("format", "pdf"))
    response = HttpResponse(bytes(job.payload), content_type=FORMATS[kind][0])
    response["Content-Disposition"] = content_disposition_header(True, pack_filename(job)) or "attachment"
    return response


@login_required
@permission_declared(Permission.EXPORT)
def minutes_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk)
    require(request, Permission.EXPORT, meeting.partnership)
    record = governance_selectors.meeting_record(
        user=request.user, meeting=meeting, today=timezone.localdate()
    )
    html = render_to_string(
        "reports/minutes.html",
        {
            "partnership": meeting.partnership,
            "meeting": meeting,
            "record": record,
            "pdf": True,
            "styles": pack_render.STYLES.read_text(encoding="utf-8")
            + (MINUTES_CSS / "minutes-print.css").read_text(encoding="utf-8"),
        },
    )
    pdf = pack_render.html_pdf(html)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        content_disposition_header(False, f"minutes-{meeting.pk}.pdf") or "inline"
    )
    return response
