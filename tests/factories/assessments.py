"""Factories for assessment results."""

from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from joinedup.assessments.models import WaveRelease, WaveResult
from tests.factories.surveys import WaveFactory


def _item_keys(wave: Any) -> list[str]:
    return [item["key"] for d in wave.instrument.get("dimensions", []) for item in d["items"]]


class WaveResultFactory(DjangoModelFactory):
    """Stored results in the shape `wave_results_compute` writes, for a wave too small to show scores.

    `report`, `items` and `comments` may not be blank in a full_clean(), so each holds something.
    """

    class Meta:
        model = WaveResult

    wave = factory.SubFactory(WaveFactory)
    respondents = 1
    report = factory.LazyAttribute(
        lambda o: {
            "instrument": o.wave.instrument_key,
            "respondents": o.respondents,
            "dimensions": [],
            "groups": {},
            "gaps": [],
        }
    )
    items = factory.LazyAttribute(lambda o: {key: {"dk": 0} for key in _item_keys(o.wave)} or {"none": {}})
    comments = factory.LazyFunction(lambda: [{"dimension": "trust", "text": "We listen to each other."}])


class WaveReleaseFactory(DjangoModelFactory):
    """One release of a wave's results: five responses counted, the whole wave shown."""

    class Meta:
        model = WaveRelease

    wave = factory.SubFactory(WaveFactory)
    number = factory.Sequence(lambda n: n + 1)
    released_at = factory.LazyFunction(timezone.now)
    respondents = 5
    response_ids = factory.LazyFunction(lambda: [1, 2, 3, 4, 5])
    shown = factory.LazyFunction(lambda: {"groups": [["__whole__", None]], "cells": {}, "items": []})
