from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from joinedup.accounts.models import User
from joinedup.core.models import Job


def job_for_user(*, user: User, pk: str) -> Job:
    """A job its requester (or a site admin) may watch; 404 for anyone else, so ids reveal nothing."""
    job = Job.objects.filter(pk=pk).select_related("partnership").first()
    if job is None or not (user.is_superuser or job.created_by_id == user.pk):
        raise Http404("No such job")
    return job


def jobs_for_user(*, user: User) -> QuerySet[Job]:
    """The background jobs a user asked for, newest first (without their stored files)."""
    return Job.objects.filter(created_by=user).defer("payload", "result", "params").order_by("-created_at")
