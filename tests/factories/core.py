"""Factories for the core app: audit events and background jobs."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from joinedup.core.choices import AuditVerb
from joinedup.core.models import AuditEvent, Job


class AuditEventFactory(DjangoModelFactory):
    class Meta:
        model = AuditEvent

    verb = AuditVerb.PARTNERSHIP_CREATED
    target_type = "partnership"
    target_id = factory.Sequence(str)
    target_label = factory.Sequence(lambda n: f"Partnership {n}")


class JobFactory(DjangoModelFactory):
    class Meta:
        model = Job

    kind = "test.job"
    title = factory.Sequence(lambda n: f"Job {n}")
