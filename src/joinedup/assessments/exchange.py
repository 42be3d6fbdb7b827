"""The assessments' share of the JSON export (core.exchange_spec): each wave's releases of results.

Only what was released: `WaveResult` is the latest release as pages show it and `WaveRelease` the record of
each release (what it showed, and which sent responses it counted, by their keys), which later releases are
checked against so that nothing of fewer than k people can be worked out (DESIGN.md §6). Both hold figures
already through disclosure control; no suppressed figure is in either."""

from __future__ import annotations

from typing import Any

from joinedup.assessments.models import WaveRelease, WaveResult
from joinedup.core.exchange_spec import KEY_SCHEMA, RecordProblem, Table, key_order

RESPONSE = "surveys.response"


def _response_keys(row: WaveRelease, record: dict[str, Any]) -> dict[str, Any]:
    from joinedup.core.exchange_export import current

    keys = [current().key_of(RESPONSE, pk) for pk in row.response_ids]
    record["responses"] = sorted((k for k in keys if k is not None), key=key_order)
    return record


def _response_ids(record: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    from joinedup.core.exchange_import import current

    ids = []
    for i, key in enumerate(record["responses"]):
        pk = current().pk_of(RESPONSE, key)
        if pk is None:
            raise RecordProblem(f"responses[{i}]: no response with the key {key!r} in this file")
        ids.append(pk)
    return {**values, "response_ids": sorted(ids)}


results = Table(
    name="wave_results",
    model=WaveResult,
    parent="wave__partnership",
    fields=("respondents", "report", "items", "comments", "computed_at", "release", "released_at", "final"),
    refs={"wave": "surveys.wave"},
)
releases = Table(
    name="wave_releases",
    model=WaveRelease,
    parent="wave__partnership",
    fields=("number", "released_at", "respondents", "shown"),
    refs={"wave": "surveys.wave"},
    dump=_response_keys,
    prepare=_response_ids,
    extra={"responses": {"type": "array", "items": KEY_SCHEMA, "uniqueItems": True}},
    left_out=("response_ids",),  # written as responses, by key
)

TABLES = (results, releases)
