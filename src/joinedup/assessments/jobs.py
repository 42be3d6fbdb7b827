"""Background jobs of assessments: rescoring a wave after its answers change (see core.jobs)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from joinedup.assessments.services import RESULTS_JOB, wave_results_compute
from joinedup.core.jobs import JobError, Report, job_runner
from joinedup.core.models import Job
from joinedup.surveys.models import Wave


# Recomputes the wave's results from its answers and replaces them: safe to run again.
@job_runner(
    RESULTS_JOB,
    result_url=lambda job: reverse("assessments:results", args=[job.params["wave"]]),
    rerun_safe=True,
)
def rescore_wave(job: Job, report: Report) -> dict[str, Any]:
    wave = Wave.objects.select_related("partnership").filter(pk=job.params["wave"]).first()
    if wave is None:
        raise JobError("The wave has been deleted, so there is nothing to score.")
    result = wave_results_compute(wave=wave, report=report)
    return {"respondents": result.respondents}
