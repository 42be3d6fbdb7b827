"""API shapes for a partnership's flags (its insight FlagSet)."""

import datetime
from typing import Any

from ninja import Field, Schema


class FlagOut(Schema):
    code: str
    severity: str = Field(description="critical, warning or info.")
    title: str = Field(description="What the flag says, in plain words.")
    action: str = Field(description="What to do about it.")
    source: str = Field(description="Where the rule and its threshold come from.")
    evidence: dict[str, Any] = Field(description="The records and figures the flag rests on.")


class FlagSetOut(Schema):
    partnership_id: int
    computed_at: datetime.datetime | None = Field(
        description="When the flags were last worked out; null: never."
    )
    flags: list[FlagOut]
