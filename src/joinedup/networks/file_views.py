"""Pages for analysing an evaluator's own network files: upload, then (after the background job) the results.

The upload is checked in the request exactly as `joinedup network analyse` checks it; a good one is queued and
the evaluator is sent to the job's progress page, which links here when the job has finished.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from joinedup.accounts.http import AuthedRequest
from joinedup.core.choices import JobStatus
from joinedup.core.models import Job
from joinedup.core.permissions import Access, permission_declared
from joinedup.core.selectors import job_for_user
from joinedup.networks import files, services
from joinedup.networks.forms import NetworkFileForm
from joinedup.networks.words import betweenness_method_text

PAGE_SIZE = 50
NETWORK_LABELS = {  # the same order and words as the command's text output
    "organisations": "Organisations",
    "ties": "Ties (merged per ordered pair)",
    "density": "Density (share of possible ties that exist)",
    "reciprocity": "Reciprocity (share of ties returned)",
    "degree_centralization": "Degree centralisation (0 = even, 1 = a single hub)",
    "components": "Separate groups (weak components)",
    "isolates": "Isolates (no tie in or out)",
    "mean_distance": "Mean distance (steps between organisations)",
    "transitivity": "Transitivity (partners of partners who work together)",
    "trust": "Mean trust (1 to 4)",
    "value": "Mean value (1 to 4)",
    "ei_index": "Sector E-I index (−1 = ties only within sectors, 1 = only across)",
    "betweenness_method": "How betweenness was worked out",
    "self_ties_dropped": "Self-ties dropped",
    "response_rate": "Response rate",
    "non_respondents": "Organisations that did not respond",
}


@login_required
@permission_declared(Access.SIGNED_IN)
def analyse_file(request: AuthedRequest) -> HttpResponse:
    form = NetworkFileForm(request.POST, request.FILES) if request.method == "POST" else NetworkFileForm()
    if request.method == "POST" and form.is_valid():
        try:
            job = services.network_file_analyse(
                by=request.user, ties=form.cleaned_data["ties"], nodes=form.cleaned_data["nodes"]
            )
        except files.FileProblem as problem:
            for line in str(problem).splitlines():  # every problem in the file, one error each
                form.add_error(problem.field, line)
        else:
            return redirect("core:job", pk=job.pk)
    context = {"form": form, "max_mb": files.MAX_FILE_BYTES // 2**20}
    return render(request, "networks/analyse_file.html", context, status=400 if form.errors else 200)


def _file_job(request: AuthedRequest, pk: uuid.UUID) -> Job:
    job = job_for_user(user=request.user, pk=str(pk))
    if job.kind != files.FILE_JOB:
        raise Http404("No such analysis")
    return job


@login_required
@permission_declared(Access.SIGNED_IN)
def file_result(request: AuthedRequest, pk: uuid.UUID) -> HttpResponse:
    job = _file_job(request, pk)
    if job.status != JobStatus.DONE or not job.payload:
        return render(request, "networks/file_result.html", {"job": job}, status=202)
    result: dict[str, Any] = job.result or {}
    network = result.get("network", {})
    total = int(network.get("organisations") or 0)
    page = Paginator(range(total), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = files.organisations_page(bytes(job.payload), offset=page.start_index() - 1, limit=PAGE_SIZE)
    context = {
        "job": job,
        "result": result,
        "measures": [
            (label, _shown(key, network[key])) for key, label in NETWORK_LABELS.items() if key in network
        ],
        "columns": result.get("columns", {}),
        "spec": result.get("map"),
        "rows": rows if total else [],
        "page_obj": page,
        "querystring_without_page": "",
        "sampled": str(network.get("betweenness_method", "")).startswith("sampled"),
        "aggregated": bool(result.get("map") and result["map"]["usermeta"]["aggregated"]),
        "sector_rows": result["map"]["layer"][1]["data"]["values"] if result.get("map") else [],
    }
    return render(request, "networks/file_result.html", context)


def _shown(key: str, value: Any) -> str:
    if value is None:
        return "–"
    if key == "response_rate":
        return f"{value:.0%}"
    if key == "betweenness_method":
        return betweenness_method_text(value)
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _download(request: AuthedRequest, pk: uuid.UUID, name: str, content_type: str) -> HttpResponse:
    job = _file_job(request, pk)
    if job.status != JobStatus.DONE or not job.payload:
        raise Http404("This analysis has not finished")
    response = HttpResponse(files.output(bytes(job.payload), name), content_type=content_type)
    stem = str(job.params.get("ties") or "ties").rsplit(".", 1)[0]
    response["Content-Disposition"] = f'attachment; filename="{stem}-{name}"'
    return response


@login_required
@permission_declared(Access.SIGNED_IN)
def file_json(request: AuthedRequest, pk: uuid.UUID) -> HttpResponse:
    return _download(request, pk, files.JSON_NAME, "application/json")


@login_required
@permission_declared(Access.SIGNED_IN)
def file_csv(request: AuthedRequest, pk: uuid.UUID) -> HttpResponse:
    return _download(request, pk, files.CSV_NAME, "text/csv; charset=utf-8")
