"""Background jobs of networks (see core.jobs): an evaluator's files, and the network of a large wave."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from joinedup.analysis.network_map import AGGREGATE_ABOVE, layout_positions
from joinedup.core.jobs import JobError, Report, job_runner
from joinedup.core.models import Job
from joinedup.networks import selectors
from joinedup.networks.files import FILE_JOB, FileProblem, files_analyse
from joinedup.networks.selectors import WAVE_JOB
from joinedup.surveys.models import Wave


@job_runner(FILE_JOB, result_url=lambda job: reverse("networks:file_result", args=[job.pk]), rerun_safe=True)
def analyse_file(job: Job, report: Report) -> dict[str, Any]:
    if job.result is not None:
        # A run that stopped after keeping its outputs (below) and before finishing: the work is done.
        return job.result
    if not job.payload:
        raise JobError("The files of this analysis are no longer kept. Upload them again.")
    try:
        result, outputs = files_analyse(bytes(job.payload), job.params, report)
    except FileProblem as problem:  # checked before queueing, so only if the reader has changed since
        raise JobError(str(problem)) from problem
    # The uploaded files are not needed any more: keep the command's outputs in their place, with the result in
    # the same write, so a run started again after this point finds the work done rather than reading outputs.
    Job.objects.filter(pk=job.pk).update(payload=outputs, result=result)
    return result


# Reads the answers and writes only its result: safe to run again.
@job_runner(WAVE_JOB, result_url=lambda job: wave_page_url(job.params), rerun_safe=True)
def analyse_wave(job: Job, report: Report) -> dict[str, Any]:
    wave = Wave.objects.select_related("partnership").filter(pk=job.params["wave"]).first()
    if wave is None:
        raise JobError("The survey has been deleted, so there is nothing to analyse.")
    report(0, 1, "Reading the answers")

    def sources_done(done: int, total: int) -> None:
        report(done, total, f"Finding shortest paths: {done:,} of {total:,} organisations done")

    network = selectors.wave_network(
        wave=wave,
        exchange=job.params["exchange"],
        min_frequency=job.params["min_frequency"],
        progress=sources_done,
    )
    n = len(network.nodes)
    positions = None
    if n <= AGGREGATE_ABOVE:  # the layout is the slow part of drawing the map: done once, here
        report(n, n, "Drawing the map")
        xy = layout_positions(n, network.source.tolist(), network.target.tolist())
        positions = xy.tolist()
    return {**network.to_dict(), "positions": positions}


def wave_page_url(params: dict[str, Any]) -> str:
    query = {k: params[k] for k in ("exchange", "min_frequency") if params.get(k)}
    url = reverse("networks:wave", args=[params["wave"]])
    return f"{url}?{urlencode(query)}" if query else url
