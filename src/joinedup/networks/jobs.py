"""Background jobs of networks (see core.jobs): an evaluator's files, and the network of a large wave."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from joinedup.core.jobs import JobError, Report, job_runner
from joinedup.core.models import Job
from joinedup.networks.files import FILE_JOB, FileProblem, files_analyse


@job_runner(FILE_JOB, result_url=lambda job: reverse("networks:file_result", args=[job.pk]))
def analyse_file(job: Job, report: Report) -> dict[str, Any]:
    if not job.payload:
        raise JobError("The files of this analysis are no longer kept. Upload them again.")
    try:
        result, outputs = files_analyse(bytes(job.payload), job.params, report)
    except FileProblem as problem:  # checked before queueing, so only if the reader has changed since
        raise JobError(str(problem)) from problem
    # The uploaded files are not needed any more: keep the command's outputs in their place.
    Job.objects.filter(pk=job.pk).update(payload=outputs)
    return result
