"""API shapes for relationship networks: the numbers the network and compare pages show."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Schema

from joinedup.core.api_figures import Figure


class WaveOut(Schema):
    id: int
    title: str
    partnership_id: int
    status: str
    opens: datetime.date
    closes: datetime.date


class FiltersOut(Schema):
    exchange: str  # "" for any kind
    min_frequency: int


def _sector() -> Any:
    return Field(description="The organisation's sector as stored in the register, e.g. 'voluntary'.")


class NodeOut(Schema):
    id: int
    name: str
    sector: str = _sector()


class NetworkSummaryOut(Schema):
    organisations: int
    ties: int
    tie_rows: int  # rating rows used, before reciprocal and duplicate rows were merged
    density: float | None
    reciprocity: float | None
    degree_centralization: float | None
    components: int
    isolates: int
    mean_distance: float | None
    transitivity: float | None
    trust: Figure  # mean over the ties to organisations whose trust received is released
    value: Figure
    ei_index: float | None
    betweenness_method: str
    self_ties_dropped: int


class OrganisationMeasuresOut(Schema):
    id: int
    name: str
    sector: str = _sector()
    expected: bool  # a current member or invited: should have answered
    responded: bool
    in_degree: int
    out_degree: int
    degree: int
    betweenness: float
    closeness: float
    raters: int  # organisations that rated it (all ties of the wave, whatever the filters)
    trust: Figure = Field(
        description="Mean trust received from all ties: null with too_few_raters (fewer than `ratings.min_raters` "
        "rated it) or not_released (the survey is open); null with no reason when nobody rated it."
    )
    value: Figure


class RatingsOut(Schema):
    """How trust and value received are released: from all the wave's ties (filters do not change them),
    once the survey has closed, and only for organisations rated by at least `min_raters` organisations.
    One organisation's ratings of another are never released."""

    released: bool  # false while the survey is open: no ratings are shown yet
    min_raters: int
    withheld: int  # organisations rated by someone whose figures are withheld


class WaveNetworkOut(Schema):
    wave: WaveOut
    filters: FiltersOut
    ratings: RatingsOut
    response_rate: float | None  # share of expected organisations that answered; None when none expected
    non_respondents: list[NodeOut]
    network: NetworkSummaryOut
    organisations: list[OrganisationMeasuresOut]  # most named first, as on the page


class TieOut(Schema):
    source_id: int  # the organisation that reported the tie
    source: str
    target_id: int
    target: str


class MeasuresOut(Schema):
    in_degree: float | None
    out_degree: float | None
    betweenness: float | None
    trust: Figure  # null with a reason where that wave's release withheld it (and then the change too)
    value: Figure


class OrganisationChangeOut(Schema):
    id: int
    name: str
    in_before: bool
    in_after: bool
    before: MeasuresOut
    after: MeasuresOut
    change: MeasuresOut  # after - before; None where either side is missing


class TieCountsOut(Schema):
    gained: int
    lost: int
    kept: int
    not_comparable: int  # ties whose reporter did not answer in both waves


class WaveComparisonOut(Schema):
    before: WaveOut
    after: WaveOut
    observed: int  # organisations that answered in both waves; only their ties are compared
    ties: TieCountsOut
    jaccard: float | None
    gained: list[TieOut]
    lost: list[TieOut]
    organisations: list[OrganisationChangeOut]


class AnalysisPendingOut(Schema):
    """A large wave's network is still being analysed in the background: ask again later."""

    status: str  # queued or running (failed: a new analysis has been queued)
    percent: int
    message: str
    error: str


class TieIn(Schema):
    """The answers about one organisation your organisation works with (the answer page's questions)."""

    organisation_id: int = Field(ge=1, le=2**63 - 1)
    frequency: int = Field(description="How often you work together: 0 (never) to 5 (every day or nearly).")
    exchanges: list[str] = Field(
        default_factory=list,
        max_length=10,
        description="What passes between you: information, referrals, planning, staff, delivery, money.",
    )
    level: int = Field(description="How closely: 0 (not at all) to 5 (collaboration, as one team).")
    trust_reliability: int = Field(description="1 to 4")
    trust_mission: int = Field(description="1 to 4")
    trust_openness: int = Field(description="1 to 4")
    value_power: int = Field(description="1 to 4")
    value_involvement: int = Field(description="1 to 4")
    value_resources: int = Field(description="1 to 4")


class RelationshipResponseIn(Schema):
    """A relationship survey sent in one go: which organisation you answer for (asked only when the link does not
    already say) and every organisation it works with, each rated."""

    organisation_id: int | None = Field(None, ge=1, le=2**63 - 1)
    ties: list[TieIn] = Field(default_factory=list, max_length=500)
