from __future__ import annotations

from django.db import models


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    DONE = "done", "Finished"
    FAILED = "failed", "Failed"


class RoleKind(models.TextChoices):
    """The roles a user can hold in a partnership (rows of register.PartnershipRole; see core.permissions)."""

    COORDINATOR = "coordinator", "Partnership coordinator"
    REPRESENTATIVE = "representative", "Partner representative"
    MEMBER = "member", "Member"
    EVALUATOR = "evaluator", "Evaluator"
    OBSERVER = "observer", "Observer"
