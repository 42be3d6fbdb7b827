"""The relationship surveys' share of the JSON export (core.exchange_spec): the ratings of each sent response,
one record per organisation it names, inside the response's record (`waves[].responses[].tie_ratings`), in the
order of the organisations' keys. Ratings of an anonymous wave carry no time (ADR 7)."""

from __future__ import annotations

from typing import Any

from joinedup.core.exchange_spec import Table
from joinedup.networks.models import TieRating
from joinedup.surveys.choices import Anonymity


def _no_time_if_anonymous(row: TieRating, record: dict[str, Any]) -> dict[str, Any]:
    if row.response.wave.anonymity == Anonymity.ANONYMOUS:
        record.pop("updated_at", None)
    return record


tie_ratings = Table(
    name="tie_ratings",
    model=TieRating,
    parent="response",
    fields=(
        "frequency",
        "exchanges",
        "level",
        "trust_reliability",
        "trust_mission",
        "trust_openness",
        "value_power",
        "value_involvement",
        "value_resources",
        "updated_at",
    ),
    refs={"target": "organisation"},
    rows=lambda queryset, scope: queryset.select_related("response__wave"),
    sort_by_keys=lambda row, export: export.keys["organisation"].get(row.target_id, ""),
    dump=_no_time_if_anonymous,
    optional=("updated_at",),
)

ATTACH = (("waves.responses", tie_ratings),)  # the ratings travel inside their response
