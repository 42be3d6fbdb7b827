"""What the warning-flag rules read: a plain picture of one partnership on one day (`PartnershipSnapshot`).

A selector builds it from the database in a fixed number of queries; the rules in `analysis.flags` read only
this, so they are plain Python, tested with hand-built snapshots. Every record carries the `url` of the page
that shows it, so a flag's evidence links to its source. Members are named by `key` (a stable string the
selector chooses, such as the organisation's id) and shown by `name`.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Date = datetime.date


@dataclass(frozen=True)
class Member:
    key: str
    name: str
    sector: str = ""
    expert_by_experience: bool = (
        False  # a service-user or carer organisation, or an expert-by-experience seat
    )
    url: str = ""


@dataclass(frozen=True)
class AgreementFacts:
    """An agreement as it stands: the version in force (if any) and the proposal waiting (if any)."""

    title: str
    url: str
    in_force: bool
    has_aims_clause: bool = False
    unsigned: tuple[str, ...] = ()  # current members (keys) who have not signed the version in force
    review_due: Date | None = None
    proposal_waiting_since: Date | None = None  # a proposed version still waiting for signatures
    contract_like: bool = False
    criteria_not_met: tuple[str, ...] = ()  # Crawford & Peck's criteria the reading found not met
    contributions: Mapping[str, float] = field(default_factory=dict)  # member key -> amount put in
    fixed_chair: bool = False
    casting_vote: bool = False


@dataclass(frozen=True)
class TrustReading:
    """Trust in one wave (an assessment's trust dimension or a relationship survey's trust received), on its
    own scale from `low` to `high`, with the change from the wave before and that change's 95 % interval."""

    source: Literal["assessment", "network"]
    wave: str
    url: str
    score: float
    low: float
    high: float
    change: float | None = None
    change_interval: tuple[float, float] | None = None


@dataclass(frozen=True)
class PerceptionGap:
    dimension: str  # the instrument's dimension key ("power" is "equality and power")
    title: str
    high: str  # the group that scored it higher
    low: str
    difference: float
    to_discuss: bool
    url: str


@dataclass(frozen=True)
class NetworkPosition:
    member: str
    isolated: bool  # no ties in or out
    peripheral: bool  # at the edge: named by at most one other, on no one's path
    url: str


@dataclass(frozen=True)
class MeetingFacts:
    date: Date
    url: str
    held: bool = True
    present: frozenset[str] = frozenset()  # member keys present (in person, online or by a substitute)


@dataclass(frozen=True)
class DecisionFacts:
    date: Date
    title: str
    url: str
    quorate: bool


@dataclass(frozen=True)
class ActionFacts:
    title: str
    owner: str  # the owning organisation's or person's name
    url: str
    due: Date | None = None
    done: bool = False


@dataclass(frozen=True)
class IndicatorFacts:
    name: str
    url: str
    kind: str = "outcome"  # process / output / outcome / experience
    owner: str = ""  # the owning member's key
    variation: str | None = None  # spc point types: special_cause_concern, ...
    assurance: str | None = None  # consistent_pass / consistent_fail / inconsistent
    periods_without_data: int = 0  # the latest periods in a row with no measurement


@dataclass(frozen=True)
class ChangeEvent:
    date: Date
    kind: Literal["reorganisation", "leader_change", "other"]
    title: str
    url: str = ""


@dataclass(frozen=True)
class DisputeFacts:
    topic: str
    url: str
    raised: Date
    status: Literal["open", "resolving", "resolved", "escalated"]


@dataclass(frozen=True)
class Overload:
    """A person or an organisation in many partnerships of the same place."""

    name: str
    kind: Literal["person", "organisation"]
    partnerships: tuple[str, ...]
    url: str = ""


@dataclass(frozen=True)
class PartnershipSnapshot:
    slug: str
    name: str
    url: str
    today: Date
    members: tuple[Member, ...] = ()
    agreements: tuple[AgreementFacts, ...] = ()
    trust: tuple[TrustReading, ...] = ()  # latest first within each source
    gaps: tuple[PerceptionGap, ...] = ()
    network: tuple[NetworkPosition, ...] = ()
    meetings: tuple[MeetingFacts, ...] = ()
    decisions: tuple[DecisionFacts, ...] = ()
    actions: tuple[ActionFacts, ...] = ()
    indicators: tuple[IndicatorFacts, ...] = ()
    changes: tuple[ChangeEvent, ...] = ()
    representatives: int = 0  # representative seats now
    representative_changes: int = 0  # representatives who started or left in the last 12 months
    feedback_dates: tuple[Date, ...] = ()  # days feedback arrived (dates only, as stored)
    disputes: tuple[DisputeFacts, ...] = ()
    overload: tuple[Overload, ...] = ()
    pages: Mapping[str, str] = field(default_factory=dict)  # where to act: "agreements", "meetings", ...

    def member_name(self, key: str) -> str:
        return next((m.name for m in self.members if m.key == key), key)

    def page(self, name: str) -> str:
        return self.pages.get(name, self.url)
