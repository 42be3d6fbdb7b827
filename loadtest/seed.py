"""Seed a fresh database for the load test and print what the load needs, as JSON (run by `loadtest.run` as
`python -m loadtest.seed N`, with the servers' environment). Uses the test suite's factories and helpers: the
data is a partnership with three members, an open assessment wave with N personal invitations, a feedback form,
and ten coordinators."""

from __future__ import annotations

import json
import os
import sys
from typing import Any


def seed(respondents: int) -> dict[str, Any]:
    from django.urls import reverse
    from django.utils import timezone

    from joinedup.core.tokens import new_token, token_hash
    from joinedup.surveys import services as survey_services
    from joinedup.surveys.models import Invitation
    from joinedup.voice import services as voice_services
    from tests.assessments.helpers import make_wave, partnership_with_members
    from tests.conftest import grant
    from tests.factories import UserFactory
    from tests.factories.accounts import PASSWORD

    partnership, orgs = partnership_with_members(name="Load test partnership")
    coordinators = [UserFactory(email=f"coordinator{i}@load.example") for i in range(10)]
    for user in coordinators:
        grant(user, partnership, "coordinator")
    wave = make_wave(partnership, title="Load test health check")
    survey_services.wave_open(by=None, wave=wave)
    members = list(orgs.values())
    tokens = [new_token() for _ in range(respondents)]
    Invitation.objects.bulk_create(
        Invitation(
            wave=wave,
            email=f"respondent{i}@load.example",
            organisation=members[i % len(members)],
            token_hash=token_hash(token),
            sent_at=timezone.now(),
        )
        for i, token in enumerate(tokens)
    )
    form = voice_services.form_create(
        by=coordinators[0], partnership=partnership, service="Load test service"
    )
    return {
        "wave": wave.pk,
        "form": form.pk,
        "tokens": tokens,
        "feedback": f"/f/{form.code}/",
        "coordinators": [u.email for u in coordinators],
        "password": PASSWORD,
        "pages": [
            reverse("insight:health", args=[partnership.pk]),
            reverse("assessments:results", args=[wave.pk]),
            reverse("home"),
        ],
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.settings")
    import django

    django.setup()
    sys.stdout.write(json.dumps(seed(int(sys.argv[1]))))
