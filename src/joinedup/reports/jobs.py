"""Background work of the reports app: making a review pack in the worker (never in the request). The file is
kept in the job (its payload) for its requester to download; making it again only writes the file again."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.text import slugify

from joinedup.core.jobs import JobError, Report, job_runner
from joinedup.core.models import Job
from joinedup.core.permissions import Permission, has_permission
from joinedup.register.models import Partnership
from joinedup.reports import render, spreadsheet
from joinedup.reports.choices import FORMATS, PACK_JOB
from joinedup.reports.selectors import PackProblem, pack_build, pack_organisation


def pack_filename(job: Job) -> str:
    return str((job.result or {}).get("filename") or f"review-pack.{job.params.get('format', 'pdf')}")


@job_runner(
    PACK_JOB,
    result_url=lambda job: reverse("reports:download", args=[job.pk]),
    rerun_safe=True,
    retry_needs=Permission.EXPORT,
    title="Make a review pack",
    result_label="Download the pack",
)
def make_pack(job: Job, report: Report) -> dict[str, Any]:
    partnership = Partnership.objects.filter(pk=job.params.get("partnership")).first()
    kind = str(job.params.get("format"))
    if partnership is None or kind not in FORMATS:
        raise JobError("The partnership no longer exists.")
    user = job.created_by
    # the right is checked again here: it may have been taken away since the pack was asked for
    if user is None or not has_permission(user, Permission.EXPORT, partnership):
        raise JobError("You no longer have the right to take this partnership's figures away.")
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
