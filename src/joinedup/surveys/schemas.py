"""API shapes for survey waves: the wave, its response rates and (for those who run it) its invitations."""

import datetime

from ninja import Field, Schema


class WaveOut(Schema):
    id: int
    partnership_id: int
    kind: str
    title: str
    anonymity: str
    min_group_size: int
    opens: datetime.date
    closes: datetime.date
    status: str = Field(description="draft, open or closed (closed once the closing day has passed).")
    invited: int
    submitted: int = Field(description="Responses sent in so far (live: counts are not held back).")


class RateOut(Schema):
    organisation_id: int | None
    organisation: str
    invited: int
    submitted: int
    rate: float | None = Field(description="Submitted ÷ invited; null when nobody was invited.")


class WaveDetailOut(WaveOut):
    rates: list[RateOut]


class WaveInvitationOut(Schema):
    """An invitation to answer a wave. Whether this person has answered is not given: the wave's page does
    not show it either (reminders go to those who have not, and counts are by organisation)."""

    id: int
    email: str
    organisation_id: int | None
    sent_at: datetime.datetime | None
    reminded_at: datetime.datetime | None
    reminders: int


class SubmittedOut(Schema):
    """A response sent in. It carries no id: an anonymous response keeps no link to who sent it (ADR 7)."""

    wave_id: int
    submitted_on: datetime.date = Field(description="The day the answers were sent (no time is kept).")
