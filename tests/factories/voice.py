"""Factories for feedback forms, answers, comments, themes and "you said, we did" entries."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from joinedup.voice.models import (
    FeedbackComment,
    FeedbackForm,
    FeedbackRelease,
    FeedbackResponse,
    Theme,
    YouSaidWeDid,
)
from tests.factories.register import PartnershipFactory


class FeedbackFormFactory(DjangoModelFactory):
    class Meta:
        model = FeedbackForm

    partnership = factory.SubFactory(PartnershipFactory)
    service = factory.Sequence(lambda n: f"Community service {n}")
    code = factory.Sequence(lambda n: f"code{n:03d}")
    instrument_key = "service-user-experience"
    instrument_version = 1
    created_on = datetime.date(2026, 1, 1)


class FeedbackResponseFactory(DjangoModelFactory):
    class Meta:
        model = FeedbackResponse

    form = factory.SubFactory(FeedbackFormFactory)
    submitted_on = datetime.date(2026, 3, 14)
    overall = "good"
    statements = factory.LazyFunction(lambda: {"listened": "agree"})


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = Theme

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Theme {n}")


class FeedbackCommentFactory(DjangoModelFactory):
    class Meta:
        model = FeedbackComment

    response = factory.SubFactory(FeedbackResponseFactory)
    original = "The staff were kind."
    text = "The staff were kind."


class YouSaidWeDidFactory(DjangoModelFactory):
    class Meta:
        model = YouSaidWeDid

    partnership = factory.SubFactory(PartnershipFactory)
    theme = factory.SubFactory(ThemeFactory, partnership=factory.SelfAttribute("..partnership"))
    you_said = "Waiting times are too long."
    we_did = "The board funded two more staff."
    record_kind = "governance.decision"
    record_id = 1
    recorded_on = datetime.date(2026, 6, 1)


class FeedbackReleaseFactory(DjangoModelFactory):
    class Meta:
        model = FeedbackRelease

    partnership = factory.SubFactory(PartnershipFactory)
    month = factory.Sequence(lambda n: f"{2020 + n // 12}-{n % 12 + 1:02d}")
    min_group_size = 10
    shown = factory.LazyFunction(lambda: {"groups": [], "cells": {}, "items": []})
    made_on = datetime.date(2026, 6, 1)
