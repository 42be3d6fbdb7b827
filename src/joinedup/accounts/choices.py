from django.db import models


class RoleKind(models.TextChoices):
    COORDINATOR = "coordinator", "Partnership coordinator"
    REPRESENTATIVE = "representative", "Partner representative"
    MEMBER = "member", "Member"
    EVALUATOR = "evaluator", "Evaluator"
    OBSERVER = "observer", "Observer"
