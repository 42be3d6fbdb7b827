"""Shared set-up for the relationship survey tests: a partnership, members and an open relationship wave."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core import mail
from django.test import TestCase

from joinedup.networks.choices import RELATIONSHIP_KIND
from joinedup.surveys import services as survey_services
from tests.factories import MembershipFactory, OrganisationFactory, PartnershipFactory

TOKENS: dict[str, str] = {}


def link_for(token: str) -> str:
    return f"/networks/respond/{token}/"


def relationship_wave(*, members: int = 4, title: str = "Relationships 2026", partnership: Any = None) -> Any:
    if partnership is not None:  # a further wave of the same partnership: no new members
        members = 0
    partnership = partnership or PartnershipFactory()
    orgs = [
        MembershipFactory(
            partnership=partnership, organisation=OrganisationFactory(sector=sector)
        ).organisation
        for sector in (["nhs", "local_authority", "voluntary", "voluntary", "housing"] * 4)[:members]
    ]
    wave = survey_services.wave_create(
        by=None,
        partnership=partnership,
        kind=RELATIONSHIP_KIND,
        title=title,
        opens=datetime.date(2026, 1, 1),
        closes=datetime.date(2099, 2, 1),
    )
    survey_services.wave_open(by=None, wave=wave)
    return wave, orgs


def invite(wave: Any, organisation: Any) -> str:
    """Invite the organisation; returns the link token (from the e-mail the background job sends)."""
    email = f"rep{organisation.pk}@example.org"
    with TestCase.captureOnCommitCallbacks(execute=True):
        survey_services.invitations_send(
            by=None,
            wave=wave,
            recipients=[survey_services.Recipient(email, organisation=organisation)],
            link_for=link_for,
        )
    sent = [m for m in mail.outbox if m.to == [email]][-1]
    found = re.search(r"/networks/respond/([\w-]+)/", sent.body)
    assert found is not None, sent.body
    return found.group(1)
