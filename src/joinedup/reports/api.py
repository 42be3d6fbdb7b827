"""Reports API: ask for a partnership's review pack, or a member's governance pack, as a background job (202 and
the job to poll, core.api), then fetch the file. The same service, disclosure control and EXPORT checks as the
pack page (reports.services.pack_request): 404 for a partnership the caller cannot see, 403 without EXPORT (asked
again when the file is fetched), 404 for another person's pack, 409 while it is not ready."""

import uuid
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from ninja import Router

from joinedup.core.api import JobOut, job_accepted
from joinedup.core.api_rules import ProblemError, body_schema, read_body
from joinedup.core.choices import JobStatus
from joinedup.core.permissions import Permission, has_permission, permission_declared
from joinedup.core.selectors import job_for_user
from joinedup.register import selectors as register_selectors
from joinedup.register.models import Partnership
from joinedup.reports import services
from joinedup.reports.choices import FORMATS, PACK_JOB
from joinedup.reports.jobs import pack_filename
from joinedup.reports.schemas import PackIn
from joinedup.reports.selectors import PackProblem, pack_job_get, pack_organisation

router = Router(tags=["reports"])
FILE_RESPONSE = {
    "responses": {
        "200": {
            "description": "The pack's file (PDF, HTML or XLSX, as asked for).",
            "content": {FORMATS[k][0]: {"schema": {"type": "string", "format": "binary"}} for k in FORMATS},
        }
    }
}


def _exporting(request: HttpRequest, partnership_id: int) -> Partnership:
    partnership = register_selectors.partnership_get(user=request.user, pk=partnership_id)
    if partnership is None:
        raise Http404("No such partnership")
    if not has_permission(request.user, Permission.EXPORT, partnership):
        raise ProblemError(403, "Your account cannot take this partnership's figures away.")
    return partnership


@router.post(
    "/partnerships/{partnership_id}/reports", response={202: JobOut}, openapi_extra=body_schema(PackIn)
)
@permission_declared(Permission.EXPORT)
def request_pack(request: HttpRequest, partnership_id: int) -> Any:
    """Ask for a pack: it is made in the background; poll the job in `Location`, then fetch `/reports/{id}/file`."""
    partnership = _exporting(request, partnership_id)
    body = read_body(request, PackIn)
    organisation = None
    if body.partner:
        try:
            organisation = pack_organisation(partnership=partnership, text=body.partner)
        except PackProblem as exc:
            raise ProblemError(422, str(exc), invalid_params=[("partner", str(exc))]) from None
    job = services.pack_request(
        by=request.user, partnership=partnership, organisation=organisation, kind=body.format
    )
    return job_accepted(job)


@router.get("/reports/{job_id}/file", url_name="report_file", openapi_extra=FILE_RESPONSE)
@permission_declared(Permission.EXPORT)
def report_file(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """A pack you asked for, once its job is done, while you may still take the partnership's figures away."""
    found = pack_job_get(pk=str(job_id))
    if found is None or found.kind != PACK_JOB or found.partnership_id is None:
        raise Http404("No such pack")
    _exporting(request, found.partnership_id)
    job = job_for_user(user=request.user, pk=str(job_id))
    if job.status != JobStatus.DONE or job.payload is None:
        raise ProblemError(409, "The pack is not ready yet: ask for its job again in a moment.")
    kind = str(job.params.get("format", "pdf"))
    response = HttpResponse(bytes(job.payload), content_type=FORMATS[kind][0])
    response["Content-Disposition"] = content_disposition_header(True, pack_filename(job)) or "attachment"
    return response
