"""What the shell itself adds: its API (the status of a job the caller started), and on the "needs you" home the
user's background work still going, and what failed in the last week (one query)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from joinedup.core import api
from joinedup.core.choices import JobStatus
from joinedup.core.models import Job
from joinedup.core.registry import ApiRouter, Need, NeedsSource, api_routers, needs_sources

FAILED_SHOWN_DAYS = 7
JOBS_SHOWN = 10


def _jobs(*, user: Any, today: datetime.date) -> list[Need]:
    since = timezone.now() - datetime.timedelta(days=FAILED_SHOWN_DAYS)
    jobs = (
        Job.objects.filter(created_by=user)
        .filter(
            Q(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
            | Q(status=JobStatus.FAILED, created_at__gte=since)
        )
        .select_related("partnership")
        .defer("payload", "result", "params")
        .order_by("-created_at")[:JOBS_SHOWN]
    )
    return [
        Need(
            title=job.title,
            reason=(
                "It failed: open it to see why and to try again."
                if job.status == JobStatus.FAILED
                else f"{job.get_status_display()}: it carries on if you leave the page."
            ),
            url=reverse("core:job", args=[job.pk]),
            partnership=job.partnership.name if job.partnership else "",
        )
        for job in jobs
    ]


needs_sources.add(NeedsSource(key="jobs", needs=_jobs))
api_routers.add(ApiRouter(key="jobs", router=api.router, order=90))
