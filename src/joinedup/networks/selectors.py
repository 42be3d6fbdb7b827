"""Reads for relationship surveys: the waves of a partnership, a respondent's list, and a wave's network.

`wave_network` builds the node and tie arrays of a wave from submitted responses only and hands them to
`joinedup.analysis.network`. Organisations that were expected to answer but did not are reported as such:
their own ties are unknown, never taken to be "no tie".
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Collection
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from django.db.models import Count, Max, Q, QuerySet

from joinedup.analysis.network import (
    TRUST_ITEMS,
    VALUE_ITEMS,
    NetworkMetrics,
    Progress,
    analyse_network,
    merge_ties,
    tie_means,
)
from joinedup.analysis.network_change import organisation_change, tie_change
from joinedup.analysis.rating_disclosure import ReleasedRatings, effective_minimum, release_received
from joinedup.core.models import Job
from joinedup.networks.choices import RATING_FIELDS, RELATIONSHIP_KIND
from joinedup.networks.models import TieRating
from joinedup.register.choices import Sector
from joinedup.register.models import Organisation, Partnership
from joinedup.register.selectors import organisation_matches
from joinedup.surveys.choices import WaveStatus
from joinedup.surveys.models import Response, Wave

RATING_ITEMS = tuple(f for f in RATING_FIELDS)
LARGE_WAVE = 1_500  # organisations above which a wave's network page is analysed in the background
WAVE_JOB = "networks.wave"
_SECTOR_LABELS = dict(Sector.choices)


def relationship_waves(*, partnership: Partnership) -> QuerySet[Wave]:
    return Wave.objects.filter(partnership=partnership, kind=RELATIONSHIP_KIND).order_by("opens", "id")


def response_ties(*, response: Response) -> list[TieRating]:
    """The organisations on a respondent's list, by name."""
    return list(TieRating.objects.filter(response=response).select_related("target").order_by("target__name"))


SEARCH_LIMIT = 20


def organisation_search(
    *, query: str, exclude: Collection[int], limit: int = SEARCH_LIMIT
) -> list[Organisation]:
    """Up to `limit` + 1 organisations of the register matching `query` (part of the name or postcode, or an
    identifier exactly), by name; one more than `limit` tells the caller there are more. Blank query: none."""
    query = query.strip()
    if not query:
        return []
    matches = (
        Organisation.objects.filter(organisation_matches(query))
        .exclude(pk__in=list(exclude))
        .only("id", "name", "sector", "area", "postcode", "ods_code")
        .order_by("name", "id")
    )
    return list(matches[: limit + 1])


def current_members(*, partnership: Partnership) -> list[Organisation]:
    return list(
        Organisation.objects.filter(memberships__partnership=partnership, memberships__left__isnull=True)
        .distinct()
        .order_by("name", "id")
    )


@dataclass(frozen=True)
class Node:
    id: int
    name: str
    sector: str  # the stored key, e.g. "voluntary" (as the register and the rest of the API)
    sector_label: str  # for people, e.g. "Voluntary and community"
    expected: bool  # a current member or invited: should have answered
    responded: bool


@dataclass(frozen=True)
class RatingsRelease:
    """How the wave's ratings are released (analysis.rating_disclosure): per organisation, how many
    organisations rated it; whether ratings are released yet (once the wave has closed); the smallest number of
    raters an organisation's figure needs; and how many rated organisations' figures are withheld."""

    released: bool
    min_raters: int
    raters: list[int]
    withheld: int

    def note(self, raters: int) -> str:
        """Why an organisation's trust or value received is not shown (blank when it is)."""
        if raters == 0:
            return "no ratings"
        if not self.released:
            return "shown when the survey closes"
        if raters >= self.min_raters:
            return ""
        return f"not shown: fewer than {self.min_raters} organisations rated it"

    def to_dict(self) -> dict[str, Any]:
        return {
            "released": self.released,
            "min_raters": self.min_raters,
            "raters": self.raters,
            "withheld": self.withheld,
        }


WITHHELD_RATINGS = RatingsRelease(released=False, min_raters=0, raters=[], withheld=0)


@dataclass(frozen=True)
class WaveNetwork:
    wave: Wave
    nodes: list[Node]
    source: np.ndarray  # merged ties, as node indexes
    target: np.ndarray
    metrics: NetworkMetrics
    tie_rows: int  # rating rows used (before merging)
    exchange: str
    min_frequency: int
    ratings: RatingsRelease

    @property
    def expected(self) -> list[Node]:
        return [n for n in self.nodes if n.expected]

    @property
    def non_respondents(self) -> list[Node]:
        return [n for n in self.nodes if n.expected and not n.responded]

    @property
    def response_rate(self) -> float | None:
        expected = self.expected
        return sum(n.responded for n in expected) / len(expected) if expected else None

    def organisation_rows(self) -> list[dict[str, Any]]:
        """One row per organisation with its measures (None where not defined), most named first."""
        return sorted(
            self.organisation_rows_in_order(), key=lambda r: (-r["in_degree"], -r["degree"], r["name"])
        )

    def organisation_rows_in_order(self) -> list[dict[str, Any]]:
        """The same rows in node order (the order `source` and `target` index)."""
        m = self.metrics
        rows = []
        for i, node in enumerate(self.nodes):
            raters = self.ratings.raters[i] if i < len(self.ratings.raters) else 0
            rows.append(
                {
                    "id": node.id,
                    "name": node.name,
                    "sector": node.sector,
                    "sector_label": node.sector_label,
                    "responded": node.responded,
                    "expected": node.expected,
                    "in_degree": int(m.in_degree[i]),
                    "out_degree": int(m.out_degree[i]),
                    "degree": int(m.in_degree[i] + m.out_degree[i]),
                    "betweenness": float(m.betweenness[i]),
                    "closeness": float(m.closeness[i]),
                    "trust": _none_if_nan(m.trust[i]) if m.trust is not None else None,
                    "value": _none_if_nan(m.value[i]) if m.value is not None else None,
                    "raters": raters,
                    "trust_note": self.ratings.note(raters),
                    "value_note": self.ratings.note(raters),
                    "responded_text": "Yes" if node.responded else ("No" if node.expected else "Not asked"),
                }
            )
        return rows

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON (for a background job's result); `from_dict` gives the same network back."""
        m = self.metrics
        return {
            "nodes": [[n.id, n.name, n.sector, n.sector_label, n.expected, n.responded] for n in self.nodes],
            "source": self.source.tolist(),
            "target": self.target.tolist(),
            "network": m.network,
            "in_degree": m.in_degree.tolist(),
            "out_degree": m.out_degree.tolist(),
            "betweenness": m.betweenness.tolist(),
            "closeness": m.closeness.tolist(),
            "trust": None if m.trust is None else [_none_if_nan(v) for v in m.trust.tolist()],
            "value": None if m.value is None else [_none_if_nan(v) for v in m.value.tolist()],
            "tie_rows": self.tie_rows,
            "exchange": self.exchange,
            "min_frequency": self.min_frequency,
            "ratings": self.ratings.to_dict(),
        }

    @classmethod
    def from_dict(cls, wave: Wave, data: dict[str, Any]) -> WaveNetwork:
        def floats(values: list[float | None] | None) -> np.ndarray | None:
            return None if values is None else np.array([_nan_if_none(v) for v in values], dtype=np.float64)

        ratings = data.get("ratings")
        if ratings is None:  # analysed before ratings were withheld: show none of them
            data = {
                **data,
                "trust": None,
                "value": None,
                "network": {**data["network"], "trust": None, "value": None},
            }
        metrics = NetworkMetrics(
            network=data["network"],
            in_degree=np.array(data["in_degree"], dtype=np.int64),
            out_degree=np.array(data["out_degree"], dtype=np.int64),
            betweenness=np.array(data["betweenness"], dtype=np.float64),
            closeness=np.array(data["closeness"], dtype=np.float64),
            trust=floats(data["trust"]),
            value=floats(data["value"]),
        )
        return cls(
            wave=wave,
            nodes=[Node(*row) for row in data["nodes"]],
            source=np.array(data["source"], dtype=np.int64),
            target=np.array(data["target"], dtype=np.int64),
            metrics=metrics,
            tie_rows=data["tie_rows"],
            exchange=data["exchange"],
            min_frequency=data["min_frequency"],
            ratings=WITHHELD_RATINGS if ratings is None else RatingsRelease(**ratings),
        )

    def tie_pairs(self) -> set[tuple[int, int]]:
        """The merged ties as (source organisation id, target organisation id)."""
        ids = [n.id for n in self.nodes]
        return {(ids[s], ids[t]) for s, t in zip(self.source.tolist(), self.target.tolist(), strict=True)}


def wave_network(
    *, wave: Wave, exchange: str = "", min_frequency: int = 0, progress: Progress | None = None
) -> WaveNetwork:
    """The wave's network from submitted responses, with ties filtered (by kind of exchange and minimum
    frequency) before the analysis. Nodes: current members, invited organisations, respondents and every
    organisation a respondent named."""
    submitted = Response.objects.filter(wave=wave, submitted_on__isnull=False, organisation__isnull=False)
    responded_ids = set(submitted.values_list("organisation_id", flat=True))
    invited_ids = set(
        wave.invitations.filter(organisation__isnull=False).values_list("organisation_id", flat=True)
    )
    member_ids = set(
        wave.partnership.memberships.filter(left__isnull=True).values_list("organisation_id", flat=True)
    )
    rows = list(
        TieRating.objects.filter(response__in=submitted).values_list(
            "response__organisation_id", "target_id", "exchanges", *RATING_ITEMS
        )
    )
    named_ids = {row[1] for row in rows}
    expected_ids = invited_ids | member_ids
    organisations = (
        Organisation.objects.filter(pk__in=expected_ids | responded_ids | named_ids)
        .only("id", "name", "sector")
        .order_by("name", "id")
    )
    nodes = [
        Node(
            id=org.pk,
            name=org.name,
            sector=org.sector,
            sector_label=_SECTOR_LABELS.get(org.sector, org.sector),
            expected=org.pk in expected_ids,
            responded=org.pk in responded_ids,
        )
        for org in organisations
    ]
    index = {node.id: i for i, node in enumerate(nodes)}
    kept = [
        row
        for row in rows
        if (not exchange or exchange in (row[2] or []))
        and (row[3] if row[3] is not None else -1) >= min_frequency
    ]
    n = len(nodes)
    source = np.array([index[r[0]] for r in kept], dtype=np.int64)
    target = np.array([index[r[1]] for r in kept], dtype=np.int64)
    items = {
        name: np.array([_nan_if_none(r[3 + k]) for r in kept], dtype=np.float64)
        for k, name in enumerate(RATING_ITEMS)
    }
    merged = merge_ties(n, source, target, items)
    sector_labels = sorted({node.sector for node in nodes})
    sector_codes = np.array([sector_labels.index(node.sector) for node in nodes], dtype=np.int64)
    metrics = analyse_network(
        n, merged, sector=sector_codes, workers=1 if progress is None else None, progress=progress
    )
    metrics, ratings = _released(wave, n, index, rows, metrics)
    return WaveNetwork(
        wave=wave,
        nodes=nodes,
        source=merged.source,
        target=merged.target,
        metrics=metrics,
        tie_rows=len(kept),
        exchange=exchange,
        min_frequency=min_frequency,
        ratings=ratings,
    )


def _released(
    wave: Wave, n: int, index: dict[int, int], rows: list[tuple[Any, ...]], metrics: NetworkMetrics
) -> tuple[NetworkMetrics, RatingsRelease]:
    """The metrics with trust and value received replaced by what may be shown (analysis.rating_disclosure):
    computed from ALL the wave's ties whatever the filters, released once the wave has closed, and only for
    organisations rated by at least the wave's minimum number of organisations."""
    source = np.array([index[r[0]] for r in rows], dtype=np.int64)
    target = np.array([index[r[1]] for r in rows], dtype=np.int64)
    items = {
        name: np.array([_nan_if_none(r[3 + k]) for r in rows], dtype=np.float64)
        for k, name in enumerate(RATING_ITEMS)
        if name in TRUST_ITEMS + VALUE_ITEMS
    }
    merged = merge_ties(n, source, target, items)
    minimum = effective_minimum(wave.min_group_size)
    closed = wave.status == WaveStatus.CLOSED
    trust, value = (
        release_received(n, merged.target, tie_means(merged.items, names), minimum=minimum, closed=closed)
        for names in (TRUST_ITEMS, VALUE_ITEMS)
    )
    shown: ReleasedRatings | None = trust or value
    raters = shown.raters.tolist() if shown is not None else [0] * n
    network = {**metrics.network, "trust": trust.network if trust else None}
    network["value"] = value.network if value else None
    metrics = replace(
        metrics,
        network=network,
        trust=trust.received if trust else None,
        value=value.received if value else None,
    )
    release = RatingsRelease(
        released=closed,
        min_raters=minimum,
        raters=[int(r) for r in raters],
        withheld=shown.withheld if shown is not None else 0,
    )
    return metrics, release


def wave_size(*, wave: Wave) -> int:
    """How many organisations the wave's network has (members, invited, respondents and those named)."""
    submitted = Response.objects.filter(wave=wave, submitted_on__isnull=False, organisation__isnull=False)
    return (
        Organisation.objects.filter(
            Q(pk__in=submitted.values("organisation_id"))
            | Q(pk__in=wave.invitations.filter(organisation__isnull=False).values("organisation_id"))
            | Q(pk__in=wave.partnership.memberships.filter(left__isnull=True).values("organisation_id"))
            | Q(pk__in=TieRating.objects.filter(response__in=submitted).values("target_id"))
        )
        .distinct()
        .count()
    )


def wave_network_key(*, wave: Wave, exchange: str, min_frequency: int) -> str:
    """Names one analysis of the wave as its data stand now: it changes when an answer is sent, an
    organisation is invited, or a member joins or leaves, so a finished analysis is reused until then."""
    answers = Response.objects.filter(wave=wave, submitted_on__isnull=False).aggregate(
        count=Count("pk"), last=Max("submitted_on"), top=Max("pk")
    )
    invited = wave.invitations.aggregate(count=Count("pk"), top=Max("pk"))
    members = wave.partnership.memberships.filter(left__isnull=True).aggregate(
        count=Count("pk"), top=Max("pk")
    )
    # The status and the minimum number of raters decide which ratings are released (see `_released`).
    release = ["ratings-v1", wave.status, wave.min_group_size]
    state = json.dumps([answers, invited, members, release], default=str, sort_keys=True)
    digest = hashlib.sha256(state.encode()).hexdigest()[:16]
    return f"wave:{wave.pk}:{exchange}:{min_frequency}:{digest}"


def wave_network_job(*, key: str) -> Job | None:
    """The newest analysis of a large wave under this key (finished, failed, or still queued or running)."""
    return Job.objects.filter(kind=WAVE_JOB, key=key).order_by("-created_at").first()


def wave_comparison(
    *, before: Wave, after: Wave, first: WaveNetwork | None = None, second: WaveNetwork | None = None
) -> dict[str, Any]:
    """Ties gained, lost and kept between two waves (over organisations that answered both times) and each
    organisation's change in degree, betweenness, trust and value received. `first` and `second` are the
    waves' unfiltered networks when already analysed (large waves, in the background)."""
    first = first or wave_network(wave=before)
    second = second or wave_network(wave=after)
    names = {n.id: n.name for n in first.nodes} | {n.id: n.name for n in second.nodes}
    observed = {n.id for n in first.nodes if n.responded} & {n.id for n in second.nodes if n.responded}
    ties = tie_change(first.tie_pairs(), second.tie_pairs(), observed=observed)
    measures_before = {r["id"]: r for r in first.organisation_rows_in_order()}
    measures_after = {r["id"]: r for r in second.organisation_rows_in_order()}
    changes = organisation_change(measures_before, measures_after)
    rows = sorted(
        ({"name": names[c.key], "change": c} for c in changes), key=lambda r: str(r["name"]).casefold()
    )

    def named(pairs: list[tuple[Any, Any]]) -> list[tuple[str, str]]:
        return sorted((names[a], names[b]) for a, b in pairs)

    return {
        "first": first,
        "second": second,
        "ties": ties,
        "gained": named(ties.gained),
        "lost": named(ties.lost),
        "kept_count": len(ties.kept),
        "observed_count": len(observed),
        "organisation_rows": rows,
    }


def _nan_if_none(value: Any) -> float:
    return math.nan if value is None else float(value)


def _none_if_nan(value: float) -> float | None:
    return None if math.isnan(value) else float(value)
