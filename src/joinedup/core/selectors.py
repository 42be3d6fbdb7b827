from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from joinedup.core.audit import partnership_chain
from joinedup.core.models import AuditEvent, Job
from joinedup.core.permissions import Permission, has_permission


def job_for_user(*, user: Any, pk: str) -> Job:
    """A job its requester (or a site admin) may watch; 404 for anyone else, so ids reveal nothing.

    A job for a partnership also needs the user to still see that partnership (has_permission)."""
    job = Job.objects.filter(pk=pk).select_related("partnership").first()
    if job is None or not (user.is_superuser or job.created_by_id == user.pk):
        raise Http404("No such job")
    if job.partnership is not None and not has_permission(user, Permission.PARTNERSHIP_VIEW, job.partnership):
        raise Http404("No such job")
    return job


def jobs_for_user(*, user: Any) -> QuerySet[Job]:
    """The background jobs a user asked for, newest first (without their stored files)."""
    return Job.objects.filter(created_by=user).defer("payload", "result", "params").order_by("-created_at")


def audit_events_of_partnership(*, partnership_id: int) -> QuerySet[AuditEvent]:
    """A partnership's audit events, newest first (its chain; see core.audit)."""
    return AuditEvent.objects.filter(chain=partnership_chain(partnership_id)).order_by("-pk")
