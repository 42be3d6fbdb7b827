from __future__ import annotations

from ninja import Schema


class StatementOut(Schema):
    key: str
    statement: str
    answered: int | None
    agree: int | None
    percent_agree: int | None


class FigureOut(Schema):
    label: str
    shown: bool
    answers: int | None
    very_good_or_good: int | None
    percent_very_good_or_good: int | None
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
