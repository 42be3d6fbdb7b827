from __future__ import annotations

import datetime

from ninja import Field, Schema

from joinedup.core.api_figures import Figure


class StatementOut(Schema):
    key: str
    statement: str
    answered: Figure
    agree: Figure
    percent_agree: Figure


class FigureOut(Schema):
    label: str
    shown: bool
    answers: Figure
    very_good_or_good: Figure
    percent_very_good_or_good: Figure
    statements: list[StatementOut]


class ServiceOut(Schema):
    form_id: int
    service: str
    whole_period: FigureOut
    months: list[FigureOut]


class FeedbackResultsOut(Schema):
    partnership_id: int
    smallest_group: int
    whole_period: FigureOut | None
    months: list[FigureOut]
    services: list[ServiceOut]


class RecordLinkOut(Schema):
    kind: str
    id: int
    title: str


class LogEntryOut(Schema):
    """One "you said, we did" entry: what people said (a theme of their feedback) and what was done about it."""

    id: int
    theme: str
    you_said: str
    we_did: str
    recorded_on: datetime.date
    record: RecordLinkOut | None = Field(description="The decision, action or other record the change is in.")
    indicator: RecordLinkOut | None = Field(description="The indicator that should show the change, if any.")
