from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from joinedup.core.choices import AuditVerb, JobStatus


class AuditEvent(models.Model):
    """One row per write a user made: who, what, on which object, when. Written by services only
    (`core.services.audit_record`), each linked to the one before it in its chain (see `core.audit`)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField("by", max_length=254, blank=True)
    verb = models.CharField(max_length=80, choices=AuditVerb.choices)
    target_type = models.CharField(max_length=80)
    target_id = models.CharField(max_length=64)
    target_label = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    chain = models.CharField(max_length=40, default="register")
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["chain", "id"], name="core_audit_chain_order"),
        ]

    def __str__(self) -> str:
        return f"{self.verb} {self.target_type}:{self.target_id}"


class AuditChainHead(models.Model):
    """The newest event of one audit chain: appending locks this row, and `audit verify` checks the chain
    still ends here (so deleting the newest events is noticed too)."""

    chain = models.CharField(max_length=40, primary_key=True)
    hash = models.CharField(max_length=64, blank=True)
    count = models.PositiveBigIntegerField(default=0)
    last_event_id = models.BigIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.chain}: {self.count} events"


class Job(models.Model):
    """Long work done in the background (a big analysis, a rescore), with progress a user can watch.

    The work itself runs as a django-tasks task (`joinedup.core.jobs.run_job`); this row is what pages show: who
    asked, how far it has got, and its result or a plain-English reason it failed. Rows with the same `kind` and
    `key` describe the same piece of work: while one is still queued, asking again returns it (coalescing).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=60)
    key = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(default=0)
    message = models.CharField(max_length=200, blank=True)
    params = models.JSONField(default=dict, blank=True)
    payload = models.BinaryField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    partnership = models.ForeignKey(
        "register.Partnership", null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # While running: which process holds the job ("host:pid:start:attempt") and until when, renewed by the
    # worker's heartbeat. A job whose lease has run out (or whose process is gone) is recovered (core.job_leases).
    lease_owner = models.CharField(max_length=120, blank=True)
    lease_expires = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True, help_text="The django-tasks task running it.")

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["kind", "key", "status"]),
            models.Index(fields=["status", "lease_expires"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key"],
                condition=models.Q(status=JobStatus.QUEUED) & ~models.Q(key=""),
                name="core_job_one_queued_per_key",
            ),
            models.CheckConstraint(
                condition=models.Q(finished_at__isnull=True)
                | models.Q(status__in=[JobStatus.DONE, JobStatus.FAILED]),
                name="core_job_finished_only_when_ended",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        """How far the work has got, 0-100 (100 once finished)."""
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, int(100 * self.done / self.total))

    @property
    def ended(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class IdempotentRequest(models.Model):
    """An API write sent with an `Idempotency-Key` header and the answer it got (`core.idempotency`), so that the
    same request sent again (a retry after a lost connection) gets the same answer instead of being done twice.
    `scope` is whose key it is (a hash of the token, or the signed-in user); `request_hash` the method, path and
    body; `status`, `content_type` and `body` the answer it got."""

    scope = models.CharField(max_length=80)
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(blank=True, default=b"")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="idempotency_key_once_per_scope")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.status or 'in progress'})"
