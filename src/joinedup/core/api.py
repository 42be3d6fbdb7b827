"""The shell's API: the status of a background job the caller started (`GET /jobs/{job_id}`), and the seam for
endpoints that start one (reports, exports, large analyses): they enqueue it with `core.jobs.job_enqueue(...,
by=request.user, partnership=...)` and answer `job_accepted(job)`: 202, the job as below, and a `Location` header
naming the URL to poll. A finished job's `result_url` says where its result is.

Only the person who started a job (or a site admin) sees it, as on the job's page (core.selectors.job_for_user):
anyone else, and a token that does not reach the job's partnership, gets 404, as for a job that does not exist."""

import datetime
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Router, Schema

from joinedup.core.jobs import job_result_url
from joinedup.core.models import Job
from joinedup.core.permissions import Access, permission_declared
from joinedup.core.selectors import job_for_user

router = Router(tags=["jobs"])


class JobOut(Schema):
    id: uuid.UUID
    kind: str
    title: str
    status: str = Field(description="queued, running, done or failed.")
    percent: int = Field(description="How far the work has got, 0 to 100.")
    message: str
    error: str = Field(description="Why it failed, in plain words (failed jobs only).")
    partnership_id: int | None
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    result_url: str | None = Field(description="Where the finished job's result is; null until it is done.")

    @classmethod
    def of(cls, job: Job) -> "JobOut":
        return cls(
            id=job.pk,
            kind=job.kind,
            title=job.title,
            status=job.status,
            percent=job.percent,
            message=job.message,
            error=job.error,
            partnership_id=job.partnership_id,
            created_at=job.created_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
            result_url=job_result_url(job),
        )


def job_accepted(job: Job) -> HttpResponse:
    """The answer of an endpoint that started `job`: 202 with the job, and where to poll it."""
    response = HttpResponse(JobOut.of(job).model_dump_json(), status=202, content_type="application/json")
    response["Location"] = reverse("api:get_job", args=[job.pk])
    return response


@router.get("/jobs/{job_id}", response=JobOut, url_name="get_job")
@permission_declared(Access.SIGNED_IN)  # only the job's starter; a token only within its partnerships
def get_job(request: HttpRequest, job_id: uuid.UUID) -> Any:
    """A background job you started: how far it has got, and where its result is once done."""
    return JobOut.of(job_for_user(user=request.user, pk=str(job_id)))
