"""Shared set-up for the voice tests: a partnership with a coordinator (a moderator) and a feedback form, and
answers dated in given months."""

from __future__ import annotations

import datetime
from typing import Any

from joinedup.voice import services
from joinedup.voice.models import FeedbackResponse
from tests.conftest import grant
from tests.factories import PartnershipFactory, UserFactory

STATEMENTS = ("outcome", "listened", "expert", "story_once", "together", "dignity")
TODAY = datetime.date(2026, 12, 7)


def feedback_setup(service: str = "Community mental health team") -> tuple[Any, Any, Any]:
    partnership = PartnershipFactory(name="Northshire Mental Health Partnership")
    coordinator = UserFactory(email="coordinator@example.org")
    grant(coordinator, partnership, "coordinator")
    form = services.form_create(by=coordinator, partnership=partnership, service=service)
    return partnership, coordinator, form


def answers_in(form: Any, month: int, n: int, *, overall: str = "good", year: int = 2026) -> None:
    """`n` answers sent in `month` (bulk, as the demo's are; the service is tested on its own)."""
    FeedbackResponse.objects.bulk_create(
        FeedbackResponse(
            form=form,
            submitted_on=datetime.date(year, month, 1 + i % 27),
            overall=overall,
            statements={s: "agree" for s in STATEMENTS},
        )
        for i in range(n)
    )
