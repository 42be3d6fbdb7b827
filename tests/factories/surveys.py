"""Factories for survey waves, invitations and responses."""

from __future__ import annotations

import copy
import datetime
import functools
from typing import Any

import factory
import yaml
from factory.django import DjangoModelFactory

from joinedup.analysis.instruments import shipped_instruments
from joinedup.assessments.choices import ASSESSMENT_KIND
from joinedup.networks.choices import RELATIONSHIP_KIND
from joinedup.surveys.choices import WaveStatus
from joinedup.surveys.models import Invitation, Response, Wave
from tests.factories.register import PartnershipFactory

INSTRUMENT = "partnership-health"


@functools.cache
def _shipped(key: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(shipped_instruments()[key].read_text(encoding="utf-8"))
    return data


def instrument_data(key: str = INSTRUMENT) -> dict[str, Any]:
    """A shipped instrument as a wave keeps it (a fresh copy each call)."""
    return copy.deepcopy(_shipped(key))


class WaveFactory(DjangoModelFactory):
    """An open assessment wave with a shipped instrument; `relationship=True` for a relationship survey."""

    class Meta:
        model = Wave

    class Params:
        relationship = factory.Trait(kind=RELATIONSHIP_KIND, instrument_key="", instrument={})

    partnership = factory.SubFactory(PartnershipFactory)
    kind = ASSESSMENT_KIND
    title = factory.Sequence(lambda n: f"Wave {n}")
    instrument_key = INSTRUMENT
    instrument = factory.LazyAttribute(
        lambda o: instrument_data(o.instrument_key) if o.instrument_key else {}
    )
    opens = datetime.date(2026, 1, 1)
    closes = datetime.date(2099, 3, 1)
    status = WaveStatus.OPEN


class InvitationFactory(DjangoModelFactory):
    class Meta:
        model = Invitation

    wave = factory.SubFactory(WaveFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    token_hash = factory.Sequence(lambda n: f"{n:064x}")


class ResponseFactory(DjangoModelFactory):
    """A response not yet submitted; pass `submitted=True` (or `submitted_on`, with `submitted_at` if you like)
    for a submitted one."""

    class Meta:
        model = Response

    class Params:
        submitted = factory.Trait(
            submitted_at=datetime.datetime(2026, 1, 10, tzinfo=datetime.UTC),
            submitted_on=datetime.date(2026, 1, 10),
        )

    wave = factory.SubFactory(WaveFactory)
    resume_hash = factory.Sequence(lambda n: f"{n:064x}")
