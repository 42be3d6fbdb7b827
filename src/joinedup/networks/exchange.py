"""The relationship surveys' share of the JSON export (core.exchange_spec): the ratings of each sent response,
one record per organisation it names. Ratings of an anonymous wave carry no time (ADR 7)."""

from __future__ import annotations

from typing import Any

from joinedup.core.exchange_spec import Table, key_order
from joinedup.networks.models import TieRating
from joinedup.surveys.choices import Anonymity


def _no_time_if_anonymous(row: TieRating, record: dict[str, Any]) -> dict[str, Any]:
    if row.response.wave.anonymity == Anonymity.ANONYMOUS:
        record.pop("updated_at", None)
    return record


tie_ratings = Table(
    name="tie_ratings",
    model=TieRating,
    parent="response__wave__partnership",
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
    refs={"response": "surveys.response", "target": "organisation"},
    rows=lambda queryset, scope: queryset.filter(response__submitted_on__isnull=False).select_related(
        "response__wave"
    ),
    sort_by_keys=lambda row, export: (  # in the order of the responses' keys: never the order of their ids
        key_order(export.keys["surveys.response"][row.response_id]),
        export.keys["organisation"].get(row.target_id, ""),
    ),
    dump=_no_time_if_anonymous,
    optional=("updated_at",),
)

TABLES = (tie_ratings,)
