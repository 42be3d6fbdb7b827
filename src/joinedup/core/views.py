from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from joinedup.core import jobs
from joinedup.core.glossary import TERMS
from joinedup.core.http import ShellRequest, paginate
from joinedup.core.jobs import job_can_retry, job_result_url
from joinedup.core.models import Job
from joinedup.core.permissions import Access, permission_declared
from joinedup.core.selectors import job_for_user, jobs_for_user


@require_GET
@never_cache
@permission_declared(Access.PUBLIC)
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: answers without touching the database or anything slow."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
@permission_declared(Access.PUBLIC)  # no data: what the figures on the pages mean
def glossary(request: HttpRequest) -> HttpResponse:
    """What each statistic and network measure means for a partnership, in a sentence or two each."""
    return render(request, "core/glossary.html", {"sections": list(TERMS.items())})


def job_status_response(
    request: HttpRequest,
    job: Job,
    *,
    result_url: str | None = None,
    page_url: str | None = None,
    can_retry: bool = False,
) -> HttpResponse:
    """The partial htmx polls for a job's progress; the status 286 tells htmx to stop once the job has ended."""
    context = {"job": job, "result_url": result_url, "page_url": page_url, "can_retry": can_retry}
    response = render(request, "core/_job_status.html", context)
    if job.ended:
        response.status_code = 286
    return response


@login_required
@never_cache
@require_GET
@permission_declared(Access.SIGNED_IN)
def job(request: ShellRequest, pk: uuid.UUID) -> HttpResponse:
    """A background job's progress page (and the partial its polling asks for)."""
    found = job_for_user(user=request.user, pk=str(pk))
    result_url = job_result_url(found)
    can_retry = job_can_retry(found, request.user)
    if request.htmx:
        return job_status_response(request, found, result_url=result_url, can_retry=can_retry)
    context = {"job": found, "result_url": result_url, "can_retry": can_retry}
    return render(request, "core/job.html", context)


@login_required
@require_POST
@permission_declared(Access.SIGNED_IN)
def job_retry(request: ShellRequest, pk: uuid.UUID) -> HttpResponse:
    """Try a failed job's work again (its requester only; the work must be safe to repeat)."""
    found = job_for_user(user=request.user, pk=str(pk))
    if not job_can_retry(found, request.user):
        messages.error(request, "This cannot be tried again from here.")
        return redirect("core:job", found.pk)
    again = jobs.job_retry(by=request.user, job=found)
    messages.success(request, "Trying again.")
    return redirect("core:job", again.pk)


@login_required
@require_GET
@permission_declared(Access.SIGNED_IN)
def job_list(request: ShellRequest) -> HttpResponse:
    """The long pieces of work a user has asked for (analyses, imports, e-mails), so they can come back to them."""
    context = paginate(request, jobs_for_user(user=request.user))
    return render(request, "core/job_list.html", context)
