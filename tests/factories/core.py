"""Factories for the core app: audit events (and their chains' heads) and background jobs."""

from __future__ import annotations

from typing import Any

import factory
from django.db import transaction
from factory.django import DjangoModelFactory

from joinedup.core.audit import chain_append
from joinedup.core.choices import AuditVerb
from joinedup.core.models import AuditChainHead, AuditEvent, IdempotentRequest, Job


class AuditEventFactory(DjangoModelFactory):
    class Meta:
        model = AuditEvent

    verb = AuditVerb.PARTNERSHIP_CREATED
    target_type = "partnership"
    target_id = factory.Sequence(str)
    target_label = factory.Sequence(lambda n: f"Partnership {n}")

    @classmethod
    def _create(cls, model_class: type[AuditEvent], *args: Any, **kwargs: Any) -> AuditEvent:
        """Linked into its chain as the audit writer links every event, so `audit verify` passes."""
        with transaction.atomic():
            return chain_append(model_class(*args, **kwargs))


class AuditChainHeadFactory(DjangoModelFactory):
    class Meta:
        model = AuditChainHead
        django_get_or_create = ("chain",)

    chain = factory.Sequence(lambda n: f"test:{n}")


class JobFactory(DjangoModelFactory):
    class Meta:
        model = Job

    kind = "test.job"
    title = factory.Sequence(lambda n: f"Job {n}")


class IdempotentRequestFactory(DjangoModelFactory):
    class Meta:
        model = IdempotentRequest

    scope = factory.Sequence(lambda n: f"user:{n}")
    key = factory.Sequence(lambda n: f"key-{n}")
    request_hash = factory.Sequence(lambda n: f"{n:064x}")
    status = 201
    content_type = "application/json"
    body = b"{}"
