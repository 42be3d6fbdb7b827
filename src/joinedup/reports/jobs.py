"""Background work of the reports app: making a review pack, or a meeting's minutes as a PDF, in the worker
(never in the request). The file is
kept in the job (its payload) for its requester to download; making it again only writes the file again."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.text import slugify

from joinedup.core.jobs import JobError, Report, job_runner
from joinedup.core.models import Job
from joinedup.core.permissions import Permission, has_permission
from joinedup.governance.models import Meeting
from joinedup.register.models import Partnership
from joinedup.reports import render, spreadsheet
from joinedup.reports.choices import FORMATS, MINUTES_JOB, PACK_JOB
from joinedup.reports.selectors import PackProblem, pack_build, pack_organisation


def pack_filename(job: Job) -> str:
    return str((job.result or {}).get("filename") or f"review-pack.{job.params.get('format', 'pdf')}")


def _file_runner(kind: str, *, title: str, result_label: str) -> Any:
    """A job that makes one file for its requester to download from reports:download (EXPORT); safe to run
    again (it only writes its own file again)."""
    return job_runner(
        kind,
        result_url=lambda job: reverse("reports:download", args=[job.pk]),
        rerun_safe=True,
        retry_needs=Permission.EXPORT,
        title=title,
        result_label=result_label,
    )


def _requester(job: Job, partnership: Any) -> Any:
    """Who asked, while they still may take the partnership's records away (the right may have gone since)."""
    user = job.created_by
    if user is None or not has_permission(user, Permission.EXPORT, partnership):
        raise JobError("You no longer have the right to take this partnership's figures away.")
    return user


@_file_runner(PACK_JOB, title="Make a review pack", result_label="Download the pack")
def make_pack(job: Job, report: Report) -> dict[str, Any]:
    partnership = Partnership.objects.filter(pk=job.params.get("partnership")).first()
    kind = str(job.params.get("format"))
    if partnership is None or kind not in FORMATS:
        raise JobError("The partnership no longer exists.")
    user = _requester(job, partnership)
    organisation = None
    if job.params.get("organisation"):
        try:
            organisation = pack_organisation(partnership=partnership, text=str(job.params["organisation"]))
        except PackProblem as problem:
            raise JobError(str(problem)) from problem
    report(0, 3, "Reading the partnership's records")
    pack = pack_build(user=user, partnership=partnership, organisation=organisation)
    report(1, 3, "Drawing the charts and laying out the pages")
    if kind == "xlsx":
        content = spreadsheet.pack_xlsx(pack)
    elif kind == "html":
        content = render.pack_html(pack).encode()
    else:
        content = render.pack_pdf(pack)
    report(2, 3, "Keeping the file")
    who = slugify(organisation.name) + "-governance-pack" if organisation is not None else "review-pack"
    filename = f"{slugify(partnership.name)[:60]}-{who}.{kind}"
    Job.objects.filter(pk=job.pk).update(payload=content)
    report(3, 3, "Ready to download")
    return {"format": kind, "filename": filename, "bytes": len(content)}


@_file_runner(MINUTES_JOB, title="Make a meeting's minutes as a PDF", result_label="Download the minutes")
def make_minutes(job: Job, report: Report) -> dict[str, Any]:
    meeting = Meeting.objects.select_related("partnership").filter(pk=job.params.get("meeting")).first()
    if meeting is None:
        raise JobError("The meeting no longer exists.")
    user = _requester(job, meeting.partnership)
    report(0, 2, "Laying out the minutes")
    content = render.minutes_pdf(user=user, meeting=meeting)
    Job.objects.filter(pk=job.pk).update(payload=content)
    report(2, 2, "Ready to download")
    return {"format": "pdf", "filename": f"minutes-{meeting.pk}.pdf", "bytes": len(content)}
