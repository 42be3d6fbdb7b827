"""Redacting a comment before its release: the redacted text is released, the original is kept nowhere."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from joinedup.assessments.models import WaveResult
from joinedup.assessments.moderation import MARKER, comment_redact
from joinedup.assessments.services import wave_results_compute
from joinedup.core.models import AuditEvent
from joinedup.surveys.models import Response
from tests.assessments.helpers import add_answers, make_wave, partnership_with_members
from tests.conftest import grant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SECRET = "Dr Quillfeather"


def _setup():  # type: ignore[no-untyped-def]
    partnership, orgs = partnership_with_members()
    coordinator = UserFactory()
    grant(coordinator, partnership, "coordinator")
    wave = make_wave(partnership)
    add_answers(wave, orgs["trust"], 5, comment=f"{SECRET} never answers e-mails", compute=False)
    return wave, coordinator


def _everything() -> str:
    with connection.cursor() as cursor:
        texts = []
        for table in ("surveys_response", "core_auditevent", "core_job"):
            cursor.execute(f"SELECT * FROM {table}")
            texts.append(repr(cursor.fetchall()))
    return "\n".join(texts)


def test_redacted_text_is_released_and_the_original_is_kept_nowhere() -> None:
    wave, coordinator = _setup()
    for response in Response.objects.filter(wave=wave):
        comment_redact(wave=wave, response_id=response.pk, dimension="trust", remove=SECRET, by=coordinator)
    wave_results_compute(wave=wave)
    texts = [c["text"] for c in WaveResult.objects.get(wave=wave).comments]
    assert texts and all(t == f"{MARKER} never answers e-mails" for t in texts)
    assert SECRET not in _everything()
    assert AuditEvent.objects.filter(verb="assessment.comment_redacted").count() == 5


def test_a_released_comment_cannot_be_redacted_and_others_cannot_redact() -> None:
    wave, coordinator = _setup()
    response = Response.objects.filter(wave=wave).first()
    assert response is not None
    with pytest.raises(PermissionDenied):
        comment_redact(wave=wave, response_id=response.pk, dimension="trust", remove=SECRET, by=UserFactory())
    with pytest.raises(ValidationError, match="not in the comment"):
        comment_redact(wave=wave, response_id=response.pk, dimension="trust", remove="Nobody", by=coordinator)
    wave_results_compute(wave=wave)
    with pytest.raises(ValidationError, match="already been released"):
        comment_redact(wave=wave, response_id=response.pk, dimension="trust", remove=SECRET, by=coordinator)
